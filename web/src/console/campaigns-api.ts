// The campaign routes of docs/campaigns.md, through the console's one request function
// (`api.request`: CSRF on writes, problems as `Reply`): the viewer's campaigns, one campaign
// with its recipients and progress per comune, opening one, and the four actions.

import { request, type Reply } from "./api";

/** A campaign as the server keeps it (`campaign::model::Campaign`). */
export interface Campaign {
  id: string;
  title: string;
  /** ISTAT codes; empty: the whole territory. */
  comuni: string[];
  from: string;
  until: string;
  opened_by: string;
  created_at: string;
  sent_at: string | null;
  closed_at: string | null;
  remind_every_days: number | null;
}

export type RecipientState = "no_address" | "waiting" | "sent" | "reminded" | "answered" | "bounced";

export interface Recipient {
  organization_id: string;
  organization_name: string | null;
  email: string | null;
  comuni: string[];
  state: RecipientState;
  sent_at: string | null;
  reminded_at: string | null;
  answered_at: string | null;
  answer: "unchanged" | "changed" | null;
}

export interface ComuneProgress {
  comune: string;
  recipients: number;
  answered: number;
  unchanged: number;
  changed: number;
  no_address: number;
}

export interface CampaignWhole {
  campaign: Campaign;
  recipients: Recipient[];
  progress: ComuneProgress[];
}

/** What `POST /api/campaigns` takes. */
export interface NewCampaign {
  title: string;
  comuni: string[];
  from: string;
  until: string;
  remind_every_days?: number;
}

export interface SendResult {
  sent?: number;
  reminded?: number;
  bounced: number;
  failed: number;
}

const enc = encodeURIComponent;
const at = (id: string, action = "") => `/api/campaigns/${enc(id)}${action ? `/${action}` : ""}`;

export const campaigns = (): Promise<Reply<{ campaigns?: Campaign[] }>> => request<{ campaigns?: Campaign[] }>("GET", "/api/campaigns");

export const campaign = (id: string): Promise<Reply<CampaignWhole>> => request<CampaignWhole>("GET", at(id));
export const open = (body: NewCampaign): Promise<Reply<CampaignWhole>> => request<CampaignWhole>("POST", "/api/campaigns", { body });
export const send = (id: string): Promise<Reply<SendResult>> => request<SendResult>("POST", at(id, "send"), { body: {} });
export const remind = (id: string): Promise<Reply<SendResult>> => request<SendResult>("POST", at(id, "remind"), { body: {} });
export const revoke = (id: string, organization_id: string): Promise<Reply<{ revoked: number }>> =>
  request<{ revoked: number }>("POST", at(id, "revoke"), { body: { organization_id } });
export const close = (id: string): Promise<Reply<CampaignWhole>> => request<CampaignWhole>("POST", at(id, "close"), { body: {} });

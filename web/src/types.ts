// The offline bundle (`GET /api/bundle`): the dataset format of docs/data-format.md plus what
// the app needs to work without the network.

import type { Credit } from "./source";

/** Text in several languages, keyed by BCP 47 tag. */
export type I18n = Record<string, string>;

export interface Period {
  valid_from: string | null;
  valid_to: string | null;
  hours: string;
  /** Minutes since midnight, Monday first, added by the server. */
  week?: [number, number][][];
}

export interface Schedule {
  periods: Period[];
  closed_on?: string[];
  public_holidays?: "closed" | "open";
  note?: I18n;
}

/** Dated information on a sportello or a service there (server/src/model/notice.rs). */
export interface Notice {
  kind: "closed" | "hours" | "message" | "saturation";
  /** First and last day (inclusive, Rome calendar); no `until`: until further notice. */
  from: string;
  until?: string | null;
  message?: I18n;
  /** Replacement hours (`hours`): already compiled into the service's schedule by the server. */
  hours?: string;
  places?: "available" | "waiting_list" | "full";
}

/** When a person last confirmed each field a migrant relies on (RFC 3339 instants). */
export type Verified = Partial<Record<"hours" | "address" | "phone" | "languages" | "cost" | "appointment", string>>;

export interface Service {
  id: string;
  organization_id: string;
  name: I18n;
  description?: I18n;
  categories: string[];
  languages: string[];
  cost: "free" | "paid" | "reduced";
  cost_note?: I18n;
  appointment_required: boolean;
  audiences: string[];
  documents?: I18n;
  phone?: string | null;
  email?: string | null;
  url?: string | null;
  schedule?: Schedule;
  notices?: Notice[];
  verified?: Verified;
  last_verified_at?: string | null;
  /** Where it came from; absent: its sportello's; null: none known. */
  provenance?: Credit | null;
}

export interface Address {
  street?: string;
  postcode?: string;
  locality?: string;
  comune_istat?: string;
}

export interface Sportello {
  id: string;
  lon: number;
  lat: number;
  organization_id: string;
  name: I18n;
  description?: I18n;
  address?: Address;
  accessibility?: I18n;
  phones: string[];
  emails: string[];
  website?: string | null;
  last_verified_at?: string | null;
  notices?: Notice[];
  verified?: Verified;
  services: Service[];
  provenance?: Credit | null;
}

export interface Organization {
  id: string;
  name: string;
  fictional?: boolean;
}

export interface Category {
  id: string;
  icon: string;
  name: I18n;
  description?: I18n;
}

export interface Place {
  name: string;
  kind: string;
  comune_istat?: string;
  lon: number;
  lat: number;
}

export interface Bundle {
  sportelli: Sportello[];
  organizations: Map<string, Organization>;
  categories: Category[];
  audiences: { id: string; name: I18n }[];
  places: Place[];
  comuni: Map<string, string>;
  /** National public holidays. */
  holidays: Set<string>;
  /** Per comune (ISTAT code) whose patron day is known: the national holidays and that day. */
  localHolidays: Map<string, Set<string>>;
  /** The patron saint of each of those comuni, by language. */
  patronDays: Map<string, I18n>;
  generatedAt: string;
  /** Days after which a confirmed field may be out of date, per field (the server's thresholds). */
  freshnessDays: Record<keyof Verified, number>;
  demo: boolean;
  notice?: I18n;
  territory?: string;
}

export interface AppConfig {
  basemap_style: string | null;
  territory: { name: string | null; bbox: number[] | null; attribution?: TerritoryAttribution | null };
  demo: boolean;
}

/** Per source of the shipped territory (boundaries, population): what its licence asks us to say. */
export type TerritoryAttribution = Record<string, { attribution?: string; license?: string; license_url?: string }>;

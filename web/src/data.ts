// Loading the territory's bundle and the app's configuration. The service worker keeps a copy
// of both, so after one visit they load in airplane mode too.

import { DEFAULT_DAYS } from "./freshness";
import type { AppConfig, Bundle, Category, I18n, Organization, Place, Sportello, TerritoryAttribution } from "./types";

interface RawFeature {
  id: string;
  geometry: { type: string; coordinates: [number, number] };
  properties: Omit<Sportello, "id" | "lon" | "lat">;
}

interface RawBundle {
  features: RawFeature[];
  bussola: {
    metadata?: { demo?: boolean; notice?: I18n; territory?: string };
    organizations?: Organization[];
    taxonomy?: { categories: Category[]; audiences: { id: string; name: I18n }[] };
    gazetteer?: { places: Place[] };
    comuni?: { istat: string; name: string }[];
    generated_at?: string;
    public_holidays?: string[];
    local_holidays?: Record<string, string[]>;
    patron_days?: Record<string, I18n>;
    freshness_days?: Partial<Bundle["freshnessDays"]>;
  };
}

export function parseBundle(raw: RawBundle): Bundle {
  const b = raw.bussola;
  const holidays = new Set(b.public_holidays ?? []);
  const sportelli: Sportello[] = raw.features
    .filter((f) => f.geometry?.type === "Point")
    .map((f) => ({
      ...f.properties,
      id: String(f.id),
      lon: f.geometry.coordinates[0],
      lat: f.geometry.coordinates[1],
      phones: f.properties.phones ?? [],
      emails: f.properties.emails ?? [],
      services: f.properties.services ?? [],
    }));
  return {
    sportelli,
    organizations: new Map((b.organizations ?? []).map((o) => [o.id, o])),
    categories: b.taxonomy?.categories ?? [],
    audiences: b.taxonomy?.audiences ?? [],
    places: b.gazetteer?.places ?? [],
    comuni: new Map((b.comuni ?? []).map((c) => [c.istat, c.name])),
    holidays,
    localHolidays: new Map(
      Object.entries(b.local_holidays ?? {}).map(([comune, days]) => [comune, new Set([...holidays, ...days])]),
    ),
    patronDays: new Map(Object.entries(b.patron_days ?? {})),
    generatedAt: b.generated_at ?? "",
    freshnessDays: { ...DEFAULT_DAYS, ...b.freshness_days },
    demo: !!b.metadata?.demo,
    notice: b.metadata?.notice,
    territory: b.metadata?.territory,
  };
}

/**
 * The days a sportello's offices close as holidays: the national ones and its comune's patron
 * day (public employees' collective agreements make it a holiday where they work).
 */
export function holidaysAt(bundle: Bundle, sp: Sportello): Set<string> {
  return bundle.localHolidays.get(sp.address?.comune_istat ?? "") ?? bundle.holidays;
}

async function json<T>(url: string): Promise<T> {
  const r = await fetch(url, { headers: { Accept: "application/json" } });
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return (await r.json()) as T;
}

export async function loadBundle(): Promise<Bundle> {
  return parseBundle(await json<RawBundle>("/api/bundle"));
}

export async function loadConfig(): Promise<AppConfig> {
  try {
    return await json<AppConfig>("/api/config");
  } catch {
    return { basemap_style: null, territory: { name: null, bbox: null }, demo: true };
  }
}

/** One line crediting the territory's sources, e.g. "Confini ISTAT, elaborazione Openpolis (CC-BY-4.0) · …". */
export function attributionText(a: TerritoryAttribution | null | undefined): string {
  if (!a) return "";
  return Object.values(a)
    .filter((s) => s && s.attribution)
    .map((s) => (s.license ? `${s.attribution} (${s.license})` : `${s.attribution}`))
    .join(" · ");
}

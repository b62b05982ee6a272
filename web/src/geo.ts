// Distances on the sphere, position rounding and distance formatting.

const EARTH_RADIUS_M = 6_371_008.8;

/** Great-circle distance in metres (the same sphere the server uses). */
export function haversine(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Rounds a coordinate to 3 decimals (about 100 m): all the app ever keeps or shares. */
export function roundCoord(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** "350 m", "2.4 km", "12 km" in the user's locale. */
export function formatDistance(metres: number, locale: string): string {
  if (!Number.isFinite(metres) || metres < 0) return "";
  if (metres < 1000) {
    const m = Math.max(10, Math.round(metres / 10) * 10);
    return new Intl.NumberFormat(locale, { style: "unit", unit: "meter", unitDisplay: "short" }).format(m);
  }
  const km = metres / 1000;
  return new Intl.NumberFormat(locale, {
    style: "unit",
    unit: "kilometer",
    unitDisplay: "short",
    maximumFractionDigits: km < 10 ? 1 : 0,
  }).format(km);
}

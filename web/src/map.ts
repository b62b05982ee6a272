// The map, loaded only when asked for (MapLibre is most of the app's weight). Its default
// style uses nothing but this server: the comuni (land, with their names) over the regions
// around them (land of another shade, so the mainland outside the territory is not sea) on a
// water-coloured ground, and the results, with the person's own point drawn above them. A real basemap is one
// setting away (BUSSOLA_BASEMAP_STYLE); the results are drawn on top of it. The names are HTML
// labels, not map text, because map text would need glyphs from a font server.

import maplibregl, { type GeoJSONSource, type StyleSpecification } from "maplibre-gl";
import "maplibre-gl/dist/maplibre-gl.css";
import type { Feature, FeatureCollection, Geometry, Position } from "geojson";
import type { Result } from "./search";
// The regions around the territory, clipped and simplified (data/territory/SOURCE.md): a hashed,
// immutably cached file of the app, fetched only with the map.
import contextLandUrl from "../../data/territory/context-land.geojson?url";

export interface MapOptions {
  basemap: string | null;
  results: Result[];
  near: { lon: number; lat: number } | null;
  lang: string;
  /** The credit the territory's licences ask for (shown with the server's own layers). */
  attribution: string;
  /** MapLibre's control labels in the UI language. */
  labels: { zoomIn: string; zoomOut: string };
  onSelect: (id: string) => void;
}

export const COMUNI_URL = "/api/collections/comuni/items?limit=1000";

export const COLOURS = { water: "#b9d7e8", contextLand: "#e4e0d3", territory: "#f6f3ea" };

const EMPTY: FeatureCollection = { type: "FeatureCollection", features: [] };

/** The server's own style: water as the ground, the land around, the comuni, their boundaries. */
export function ownStyle(comuni: FeatureCollection, land: FeatureCollection): StyleSpecification {
  return {
    version: 8,
    sources: { land: { type: "geojson", data: land }, comuni: { type: "geojson", data: comuni } },
    layers: [
      { id: "water", type: "background", paint: { "background-color": COLOURS.water } },
      { id: "context-land", type: "fill", source: "land", paint: { "fill-color": COLOURS.contextLand, "fill-opacity": 1 } },
      { id: "comuni-fill", type: "fill", source: "comuni", paint: { "fill-color": COLOURS.territory, "fill-opacity": 1 } },
      { id: "comuni-line", type: "line", source: "comuni", paint: { "line-color": "#7b857f", "line-width": 1 } },
    ],
  };
}

/** The area-weighted centre of a ring (shoelace), falling back to its first point. */
function ringCentre(ring: Position[]): [number, number] {
  let a = 0;
  let x = 0;
  let y = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const f = ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
    a += f;
    x += (ring[j][0] + ring[i][0]) * f;
    y += (ring[j][1] + ring[i][1]) * f;
  }
  return a ? [x / (3 * a), y / (3 * a)] : [ring[0][0], ring[0][1]];
}

/** Where a comune's name goes: the centre of its largest outer ring. */
export function labelPoint(g: Geometry | null): [number, number] | null {
  if (!g) return null;
  const polys = g.type === "Polygon" ? [g.coordinates] : g.type === "MultiPolygon" ? g.coordinates : [];
  const outer = polys.map((p) => p[0]).filter((r) => r && r.length > 2);
  if (!outer.length) return null;
  return ringCentre(outer.reduce((a, b) => (b.length > a.length ? b : a)));
}

function comuneLabels(map: maplibregl.Map, comuni: FeatureCollection) {
  for (const f of comuni.features as Feature[]) {
    const name = f.properties?.name;
    const at = labelPoint(f.geometry);
    if (typeof name !== "string" || !at) continue;
    const el = document.createElement("span");
    el.className = "comune-label";
    el.textContent = name;
    el.setAttribute("aria-hidden", "true");
    new maplibregl.Marker({ element: el }).setLngLat(at).addTo(map);
  }
}

function features(results: Result[]): FeatureCollection {
  return {
    type: "FeatureCollection",
    features: results.map((r, i) => ({
      type: "Feature",
      id: i,
      geometry: { type: "Point", coordinates: [r.sportello.lon, r.sportello.lat] },
      properties: { id: r.sportello.id, open: r.state.kind === "open", rank: i },
    })),
  };
}

/** The context land, or nothing if it cannot be had (the map then shows the comuni alone). */
export async function contextLand(): Promise<FeatureCollection> {
  try {
    const r = await fetch(contextLandUrl, { headers: { Accept: "application/geo+json" } });
    return r.ok ? ((await r.json()) as FeatureCollection) : EMPTY;
  } catch {
    return EMPTY;
  }
}

export async function showMap(box: HTMLElement, o: MapOptions): Promise<maplibregl.Map> {
  let comuni: FeatureCollection | null = null;
  let land = EMPTY;
  if (!o.basemap) {
    const landing = contextLand();
    const r = await fetch(COMUNI_URL, { headers: { Accept: "application/geo+json" } });
    if (!r.ok) throw new Error(`comuni: HTTP ${r.status}`);
    comuni = (await r.json()) as FeatureCollection;
    land = await landing;
  }
  const map = new maplibregl.Map({
    container: box,
    style: o.basemap ?? ownStyle(comuni!, land),
    locale: { "NavigationControl.ZoomIn": o.labels.zoomIn, "NavigationControl.ZoomOut": o.labels.zoomOut },
    center: o.near ? [o.near.lon, o.near.lat] : [12.3, 45.5],
    zoom: 10,
    attributionControl: false,
    cooperativeGestures: false,
  });
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), "top-right");
  if (!o.basemap && o.attribution) {
    map.addControl(new maplibregl.AttributionControl({ compact: true, customAttribution: o.attribution }), "bottom-right");
  }
  await new Promise<void>((resolve, reject) => {
    map.once("load", () => resolve());
    // A missing tile is not fatal; a style that cannot load is.
    map.on("error", (e) => {
      if (!map.isStyleLoaded()) reject(e.error);
    });
  });
  map.addSource("results", { type: "geojson", data: features(o.results) });
  map.addLayer({
    id: "results",
    type: "circle",
    source: "results",
    paint: {
      "circle-radius": ["case", ["<", ["get", "rank"], 5], 9, 6],
      "circle-color": ["case", ["get", "open"], "#0b6b3a", "#9a3412"],
      "circle-stroke-color": "#ffffff",
      "circle-stroke-width": 2,
    },
  });
  // The person's own point last, so no result hides it.
  if (o.near) {
    map.addSource("me", {
      type: "geojson",
      data: { type: "Feature", geometry: { type: "Point", coordinates: [o.near.lon, o.near.lat] }, properties: {} },
    });
    map.addLayer({
      id: "me",
      type: "circle",
      source: "me",
      paint: { "circle-radius": 8, "circle-color": "#1d4ed8", "circle-stroke-color": "#ffffff", "circle-stroke-width": 3 },
    });
  }
  map.on("click", "results", (e) => {
    const id = e.features?.[0]?.properties?.id;
    if (typeof id === "string") o.onSelect(id);
  });
  map.on("mouseenter", "results", () => (map.getCanvas().style.cursor = "pointer"));
  map.on("mouseleave", "results", () => (map.getCanvas().style.cursor = ""));
  // Fit the user and the five nearest results.
  const pts = o.results.slice(0, 5).map((r) => [r.sportello.lon, r.sportello.lat] as [number, number]);
  if (o.near) pts.push([o.near.lon, o.near.lat]);
  if (pts.length > 1) {
    const b = new maplibregl.LngLatBounds(pts[0], pts[0]);
    for (const p of pts) b.extend(p);
    map.fitBounds(b, { padding: 40, maxZoom: 15, duration: 0 });
  }
  (map.getSource("results") as GeoJSONSource | undefined)?.setData(features(o.results));
  if (comuni) comuneLabels(map, comuni);
  // The drawing order, bottom first (the tests read it: "you" above the results).
  box.dataset.layers = map
    .getStyle()
    .layers.map((l) => l.id)
    .join(" ");
  // What the view shows, west,south,east,north (the tests find a place's pixel from it).
  const bounds = () => (box.dataset.bounds = map.getBounds().toArray().flat().join(","));
  bounds();
  map.on("idle", bounds);
  box.dataset.ready = "true";
  return map;
}

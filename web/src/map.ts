// The map, loaded only when asked for (MapLibre is most of the app's weight). Its default
// style uses nothing but this server: the comuni boundaries and the results. A real basemap is
// one setting away (BUSSOLA_BASEMAP_STYLE); the results are drawn on top of it.

import maplibregl, { type GeoJSONSource, type StyleSpecification } from "maplibre-gl";
import "maplibre-gl/dist/maplibre-gl.css";
import type { FeatureCollection } from "geojson";
import type { Result } from "./search";

export interface MapOptions {
  basemap: string | null;
  results: Result[];
  near: { lon: number; lat: number } | null;
  lang: string;
  onSelect: (id: string) => void;
}

const OWN_STYLE: StyleSpecification = {
  version: 8,
  sources: {
    comuni: { type: "geojson", data: "/api/collections/comuni/items?limit=1000" },
  },
  layers: [
    { id: "background", type: "background", paint: { "background-color": "#eef2f0" } },
    { id: "comuni-fill", type: "fill", source: "comuni", paint: { "fill-color": "#ffffff", "fill-opacity": 0.85 } },
    { id: "comuni-line", type: "line", source: "comuni", paint: { "line-color": "#6b7a75", "line-width": 1 } },
  ],
};

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

export async function showMap(box: HTMLElement, o: MapOptions): Promise<void> {
  const map = new maplibregl.Map({
    container: box,
    style: o.basemap ?? OWN_STYLE,
    center: o.near ? [o.near.lon, o.near.lat] : [12.3, 45.5],
    zoom: 10,
    attributionControl: false,
    cooperativeGestures: false,
  });
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), "top-right");
  await new Promise<void>((resolve, reject) => {
    map.once("load", () => resolve());
    // A missing tile is not fatal; a style that cannot load is.
    map.on("error", (e) => {
      if (!map.isStyleLoaded()) reject(e.error);
    });
  });
  map.addSource("results", { type: "geojson", data: features(o.results) });
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
  box.dataset.ready = "true";
}

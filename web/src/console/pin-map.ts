// The draggable pin, loaded only when someone opens the map (MapLibre is most of the weight).
// The same style as the public map: this server's comuni over the regions around them, or the
// configured basemap; no third-party tiles. The marker is a real button: it takes focus and
// its arrow keys move it (the form's coordinates are the other keyboard way).

import maplibregl from "maplibre-gl";
import "maplibre-gl/dist/maplibre-gl.css";
import type { FeatureCollection } from "geojson";
import { COMUNI_URL, contextLand, ownStyle } from "../map";
import { loadConfig } from "../data";

export interface Pin {
  set(lon: number, lat: number): void;
  remove(): void;
}

/** Six decimals: about 10 cm, more than any door needs. */
const round = (x: number) => Math.round(x * 1e6) / 1e6;

export async function mountPin(
  box: HTMLElement,
  at: { lon: number; lat: number },
  labels: { marker: string; zoomIn: string; zoomOut: string },
  onMove: (lon: number, lat: number) => void,
): Promise<Pin> {
  const config = await loadConfig().catch(() => null);
  let style: maplibregl.StyleSpecification | string;
  if (config?.basemap_style) style = config.basemap_style;
  else {
    const [comuni, land] = await Promise.all([
      fetch(COMUNI_URL, { headers: { Accept: "application/geo+json" } }).then((r) => {
        if (!r.ok) throw new Error(`comuni: HTTP ${r.status}`);
        return r.json() as Promise<FeatureCollection>;
      }),
      contextLand(),
    ]);
    style = ownStyle(comuni, land);
  }
  const map = new maplibregl.Map({
    container: box,
    style,
    center: [at.lon, at.lat],
    zoom: 15,
    attributionControl: false,
    locale: { "NavigationControl.ZoomIn": labels.zoomIn, "NavigationControl.ZoomOut": labels.zoomOut },
  });
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), "top-right");
  const el = document.createElement("button");
  el.type = "button";
  el.className = "pin";
  el.id = "pin";
  el.setAttribute("aria-label", labels.marker);
  const marker = new maplibregl.Marker({ element: el, draggable: true }).setLngLat([at.lon, at.lat]).addTo(map);
  const moved = () => {
    const p = marker.getLngLat();
    onMove(round(p.lng), round(p.lat));
  };
  marker.on("dragend", moved);
  // Arrow keys move the pin by a few metres (Shift: more).
  el.addEventListener("keydown", (e) => {
    const step = (e.shiftKey ? 0.001 : 0.0001) as number;
    const p = marker.getLngLat();
    const d: Record<string, [number, number]> = { ArrowUp: [0, step], ArrowDown: [0, -step], ArrowLeft: [-step, 0], ArrowRight: [step, 0] };
    const m = d[e.key];
    if (!m) return;
    e.preventDefault();
    e.stopPropagation();
    marker.setLngLat([p.lng + m[0], p.lat + m[1]]);
    moved();
  });
  await new Promise<void>((resolve, reject) => {
    map.once("load", () => resolve());
    map.on("error", (e) => {
      if (!map.isStyleLoaded()) reject(e.error);
    });
  });
  box.dataset.ready = "true";
  return {
    set(lon, lat) {
      marker.setLngLat([lon, lat]);
      map.easeTo({ center: [lon, lat], duration: 0 });
    },
    remove() {
      map.remove();
    },
  };
}

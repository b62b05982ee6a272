// For signed-in people only, loaded when `GET /api/me` says someone is signed in (anonymous
// people never download it): their name and a sign-out button in the header, the service
// worker told whose private copies it keeps, and the restricted reception layer on the map.
//
// Nothing restricted outlives the session on this phone: signing out asks the worker to drop
// its private cache, deletes every cached response that was not public, and only then reloads
// the app, as anonymous.

import type { FeatureCollection } from "geojson";
import type { Map as MapLibreMap } from "maplibre-gl";
import { h } from "./dom";
import { pick, type Lang } from "./i18n";
import { PRIVATE_CACHE, type Me } from "./me";

/** The worker's note of whose copies it keeps (sw.js writes it). */
const VIEWER_KEY = "/__bussola/viewer";

interface Words {
  signed_in_as: string;
  sign_out: string;
  sign_out_failed: string;
  reception: string;
  capacity: string;
  managed_by: string;
}

export const WORDS: Record<Lang, Words> = {
  it: {
    signed_in_as: "Accesso effettuato come {name}",
    sign_out: "Esci",
    sign_out_failed: "Uscita non riuscita. Riprova.",
    reception: "Centri di accoglienza (riservato)",
    capacity: "posti: {n}",
    managed_by: "gestito da {name}",
  },
  en: {
    signed_in_as: "Signed in as {name}",
    sign_out: "Sign out",
    sign_out_failed: "Could not sign out. Try again.",
    reception: "Reception centres (restricted)",
    capacity: "places: {n}",
    managed_by: "run by {name}",
  },
  fr: {
    signed_in_as: "Connecté en tant que {name}",
    sign_out: "Se déconnecter",
    sign_out_failed: "Déconnexion impossible. Réessayez.",
    reception: "Centres d'accueil (accès restreint)",
    capacity: "places : {n}",
    managed_by: "géré par {name}",
  },
  ar: {
    signed_in_as: "تم تسجيل الدخول باسم {name}",
    sign_out: "تسجيل الخروج",
    sign_out_failed: "تعذّر تسجيل الخروج. حاول مرة أخرى.",
    reception: "مراكز الاستقبال (وصول مقيّد)",
    capacity: "عدد الأماكن: {n}",
    managed_by: "تديره {name}",
  },
  ur: {
    signed_in_as: "{name} کے طور پر سائن ان",
    sign_out: "سائن آؤٹ",
    sign_out_failed: "سائن آؤٹ نہیں ہو سکا۔ دوبارہ کوشش کریں۔",
    reception: "استقبالیہ مراکز (محدود رسائی)",
    capacity: "جگہیں: {n}",
    managed_by: "زیرِ انتظام: {name}",
  },
  bn: {
    signed_in_as: "{name} হিসেবে সাইন ইন করা আছে",
    sign_out: "সাইন আউট",
    sign_out_failed: "সাইন আউট করা যায়নি। আবার চেষ্টা করুন।",
    reception: "অভ্যর্থনা কেন্দ্র (সীমিত প্রবেশাধিকার)",
    capacity: "আসন: {n}",
    managed_by: "পরিচালনায় {name}",
  },
  uk: {
    signed_in_as: "Ви увійшли як {name}",
    sign_out: "Вийти",
    sign_out_failed: "Не вдалося вийти. Спробуйте ще раз.",
    reception: "Центри прийому (обмежений доступ)",
    capacity: "місць: {n}",
    managed_by: "керує {name}",
  },
  zh: {
    signed_in_as: "已登录：{name}",
    sign_out: "退出登录",
    sign_out_failed: "无法退出登录，请重试。",
    reception: "接待中心（受限）",
    capacity: "床位：{n}",
    managed_by: "管理方：{name}",
  },
};

const fill = (s: string, vars: Record<string, string>) => s.replace(/\{(\w+)\}/g, (m, k: string) => vars[k] ?? m);

/** Whether a cached response may be kept for anyone using this phone. */
export function isPublic(r: Response): boolean {
  return !/\b(private|no-store)\b/i.test(r.headers.get("Cache-Control") ?? "");
}

/**
 * Tells the service worker whose private copies it may keep (null: nobody's, drop them all).
 * Resolves with whether that changed what it held, false without a worker.
 */
export async function tellWorker(viewer: string | null, display = ""): Promise<boolean> {
  if (!("serviceWorker" in navigator)) return false;
  const worker = (await navigator.serviceWorker.getRegistration())?.active;
  if (!worker) return false;
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (e) => resolve(!!(e.data as { changed?: boolean } | null)?.changed);
    worker.postMessage({ type: "viewer", viewer, display }, [channel.port2]);
    window.setTimeout(() => resolve(false), 3000);
  });
}

/** Deletes every cached response that was not public: the worker's private cache and any stray one. */
export async function forgetPrivate(): Promise<void> {
  await tellWorker(null);
  if (!window.caches) return;
  await caches.delete(PRIVATE_CACHE);
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const r = await cache.match(request);
      if (r && !isPublic(r)) await cache.delete(request);
    }
  }
}

/** Ends the session on the server (with its CSRF token), forgets what was private, reloads. */
export async function signOut(me: Me): Promise<void> {
  const r = await fetch("/signout", {
    method: "POST",
    credentials: "same-origin",
    cache: "no-store",
    redirect: "manual",
    headers: { "X-CSRF-Token": me.csrf_token ?? "" },
  });
  // Success is a 303 to the app, which a manual redirect shows as an opaque redirect.
  if (r.type !== "opaqueredirect" && !r.ok) throw new Error(`sign-out: HTTP ${r.status}`);
  await forgetPrivate();
  location.reload();
}

/** Tells the worker who is signed in; resolves with whether it held someone else's copies (or none). */
export function enter(me: Me): Promise<boolean> {
  return me.username ? tellWorker(me.username, me.display_name) : Promise.resolve(false);
}

/**
 * Offline, the viewer whose copies the worker keeps (they did not sign out on this phone), as
 * the worker noted them; null if none.
 */
export async function offlineViewer(): Promise<Me | null> {
  const marker = await caches.match(VIEWER_KEY, { cacheName: PRIVATE_CACHE });
  if (!marker) return null;
  const username = await marker.text();
  return { signed_in: true, username, display_name: decodeURIComponent(marker.headers.get("X-Display-Name") ?? username) };
}

/** The header's controls: who is signed in, and the sign-out button. */
export function controls(box: HTMLElement, me: Me, lang: Lang) {
  const w = WORDS[lang];
  const name = me.display_name || me.username || "";
  const button = h("button", { type: "button", class: "signout", id: "signout" }, w.sign_out);
  button.addEventListener("click", () => {
    button.disabled = true;
    signOut(me).catch(() => {
      button.disabled = false;
      const live = document.getElementById("live");
      if (live) live.textContent = w.sign_out_failed;
    });
  });
  box.classList.add("signed");
  box.replaceChildren(
    h(
      "span",
      { class: "who", id: "who" },
      h("span", { class: "sr-only" }, fill(w.signed_in_as, { name })),
      h("span", { "aria-hidden": "true", dir: "auto" }, name),
    ),
    button,
  );
}

let layer: Promise<FeatureCollection | null> | null = null;

/** The reception centres this viewer may see (fetched once per page, never cached). */
export function receptionCentres(): Promise<FeatureCollection | null> {
  layer ??= fetch("/api/collections/reception/items?limit=1000", {
    credentials: "same-origin",
    cache: "no-store",
    headers: { Accept: "application/geo+json" },
  })
    .then((r) => (r.ok ? (r.json() as Promise<FeatureCollection>) : null))
    .catch(() => null);
  return layer;
}

/** The layer's symbol: a violet diamond with a white edge, unlike the results' round dots. */
export const RECEPTION_COLOUR = [109, 40, 217];

function diamond(size = 32): { width: number; height: number; data: Uint8Array } {
  const data = new Uint8Array(size * size * 4);
  const c = (size - 1) / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const d = Math.abs(x - c) + Math.abs(y - c);
      if (d > c) continue;
      const rgb = d > c - 4 ? [255, 255, 255] : RECEPTION_COLOUR;
      data.set([...rgb, 255], (y * size + x) * 4);
    }
  }
  return { width: size, height: size, data };
}

type Props = Record<string, unknown>;

function text(v: unknown, lang: string): string {
  if (typeof v === "string") return v;
  if (v && typeof v === "object") return pick(v as Record<string, string>, lang).text;
  return "";
}

/** One centre in words: name, kind, places, who runs it. */
export function describe(p: Props, lang: Lang): string {
  const w = WORDS[lang];
  const body = text(p.managing_body ?? p.managed_by ?? p.operator, lang);
  return [
    text(p.name, lang),
    text(p.kind, lang),
    typeof p.capacity === "number" ? fill(w.capacity, { n: new Intl.NumberFormat(lang).format(p.capacity) }) : "",
    body ? fill(w.managed_by, { name: body }) : "",
  ]
    .filter(Boolean)
    .join(" · ");
}

/**
 * Draws the reception layer on a map that is on screen (below the person's own point), adds it
 * to the legend and lists its centres under the map for those who do not use the map.
 */
export async function drawReception(map: MapLibreMap, box: HTMLElement, legend: HTMLElement, lang: Lang): Promise<void> {
  const fc = await receptionCentres();
  if (!fc?.features?.length || !box.isConnected || !legend.isConnected) return;
  const w = WORDS[lang];
  map.addImage("reception-diamond", diamond(), { pixelRatio: 2 });
  // Feature ids that are strings do not survive into MapLibre's events: each keeps it as `ref`.
  const data: FeatureCollection = {
    type: "FeatureCollection",
    features: fc.features.map((f) => ({ ...f, properties: { ...f.properties, ref: String(f.id) } })),
  };
  map.addSource("reception", { type: "geojson", data });
  map.addLayer(
    {
      id: "reception",
      type: "symbol",
      source: "reception",
      layout: { "icon-image": "reception-diamond", "icon-allow-overlap": true, "icon-ignore-placement": true },
    },
    map.getLayer("me") ? "me" : undefined,
  );
  box.dataset.layers = map
    .getStyle()
    .layers.map((l) => l.id)
    .join(" ");
  box.dataset.reception = fc.features.map((f) => String(f.id)).join(" ");
  legend.append(h("span", { class: "dot restricted", id: "reception-key" }), w.reception);
  const items = fc.features.map((f) =>
    h("li", { "data-id": String(f.id), id: `reception-${String(f.id)}` }, describe((f.properties ?? {}) as Props, lang)),
  );
  const list = h(
    "details",
    { class: "reception", id: "reception-list" },
    h("summary", {}, `${w.reception} (${new Intl.NumberFormat(lang).format(items.length)})`),
    h("ul", {}, items),
  );
  legend.after(list);
  // A tap on a centre opens the list at it.
  map.on("click", "reception", (e) => {
    const ref: unknown = e.features?.[0]?.properties?.ref;
    const item = document.getElementById(`reception-${String(ref)}`);
    if (!item) return;
    list.open = true;
    item.scrollIntoView({ block: "nearest" });
  });
}

// The operators' and coordinators' console (`/console`): the entries of one's organisation,
// their edit forms and hours, the review queue, history and the stale list. The server sends
// this page only to signed-in people and decides every write; the console shows what the
// server says (roles, states, errors). Its own entry and chunks: the public app never loads it.

import "./console.css";
import { render } from "preact";
import { useCallback, useEffect, useLayoutEffect, useState } from "preact/hooks";
import * as api from "./api";
import { CONSOLE_LANGS, WORDS, type ConsoleLang } from "./words";
import { Heading, Link, makeT, type Ctx } from "./ui";
import { Entries } from "./entries";
import { ServiceForm, SportelloForm } from "./edit";
import { HoursForm } from "./hours";
import { Decision, Queue } from "./review";
import { History } from "./history";
import { Stale } from "./stale";
import { NoticesForm } from "./notices";
import { TranslationsForm } from "./translations";
import { FeedbackList } from "./feedback";
import { campaignScreen, runsCampaigns } from "./campaigns";
import type { Bundle } from "../types";

const LANG_KEY = "bussola.console.lang";

function initialLang(): ConsoleLang {
  const q = new URLSearchParams(location.search).get("lang");
  if (q && (CONSOLE_LANGS as readonly string[]).includes(q)) return q as ConsoleLang;
  try {
    const s = localStorage.getItem(LANG_KEY);
    if (s && (CONSOLE_LANGS as readonly string[]).includes(s)) return s as ConsoleLang;
  } catch {
    /* private mode */
  }
  return navigator.language?.toLowerCase().startsWith("en") ? "en" : "it";
}

/** Whether the viewer reviews (a coordinator or an admin); the server checks it again. */
export const reviews = (me: api.Me) => !!me.roles?.some((r) => r.role === "admin" || r.role === "coordinator");

function route(c: Ctx, path: string) {
  const p = path.replace(/\/+$/, "").split("/").slice(2).map(decodeURIComponent);
  if (p.length === 0) return <Entries c={c} />;
  if (p[0] === "edit" && p.length === 3) {
    if (p[1] === "sportelli") return <SportelloForm c={c} id={p[2]} key={path} />;
    if (p[1] === "services") return <ServiceForm c={c} id={p[2]} key={path} />;
    if (p[1] === "offers") return <HoursForm c={c} id={p[2]} key={path} />;
  }
  if (p[0] === "history" && p.length === 3 && api.pathKind(p[1])) return <History c={c} kind={api.pathKind(p[1])!} id={p[2]} key={path} />;
  if (p[0] === "review" && p.length === 1) return <Queue c={c} />;
  if (p[0] === "review" && p.length === 2) return <Decision c={c} id={p[1]} key={path} />;
  if (p[0] === "stale" && p.length === 1) return <Stale c={c} />;
  if (p[0] === "notices" && p.length === 3 && (p[1] === "sportelli" || p[1] === "offers")) return <NoticesForm c={c} kind={p[1]} id={p[2]} key={path} />;
  if (p[0] === "translations" && p.length === 3 && (p[1] === "sportelli" || p[1] === "services")) return <TranslationsForm c={c} kind={p[1]} id={p[2]} key={path} />;
  if (p[0] === "feedback" && p.length === 1) return <FeedbackList c={c} />;
  if (p[0] === "campaigns") return campaignScreen(c, p.slice(1));
  return <Heading>{c.t("not_found")}</Heading>;
}

function App(p: { me: api.Me }) {
  const [lang, setLang] = useState<ConsoleLang>(initialLang);
  const [path, setPath] = useState(location.pathname);
  const [live, setLive] = useState("");
  const [bundle, setBundle] = useState<Bundle | null>(null);
  const w = WORDS[lang];
  // Before paint, in the same commit as the words: nothing (a reader, a test) sees English under lang="it".
  useLayoutEffect(() => {
    document.documentElement.lang = lang;
    document.title = w.title;
  }, [lang]);
  useEffect(() => {
    const back = () => setPath(location.pathname);
    window.addEventListener("popstate", back);
    // The gazetteer, the comuni, the taxonomy and the holidays: the same bundle the public app reads.
    api.loadBundle().then(setBundle, () => setBundle(null));
    return () => window.removeEventListener("popstate", back);
  }, []);
  const go = useCallback((to: string) => {
    const u = new URL(to, location.href);
    history.pushState(null, "", u.pathname + u.search);
    setPath(u.pathname);
    window.scrollTo(0, 0);
  }, []);
  const announce = useCallback((s: string) => {
    setLive("");
    window.setTimeout(() => setLive(s), 50);
  }, []);
  const c: Ctx = { lang, w, t: makeT(w), me: p.me, bundle, go, announce };
  const name = p.me.display_name || p.me.username || "";
  const section = path.startsWith("/console/campaigns") ? "campaigns" : path.startsWith("/console/review") ? "review" : path.startsWith("/console/stale") || path.startsWith("/console/feedback") ? "stale" : "entries";
  const signOut = async () => {
    await fetch("/signout", { method: "POST", credentials: "same-origin", redirect: "manual", headers: { "X-CSRF-Token": p.me.csrf_token ?? "" } });
    location.assign("/");
  };
  return (
    <>
      <a class="skip" href="#main">
        {w.skip}
      </a>
      <header class="bar">
        <a class="brand" href="/console" onClick={(e) => (e.preventDefault(), go("/console"))}>
          {w.title}
        </a>
        <nav aria-label={w.nav}>
          <ul>
            <li>
              <Link c={c} href="/console" id="nav-entries" current={section === "entries"}>
                {w.nav_entries}
              </Link>
            </li>
            {reviews(p.me) && (
              <li>
                <Link c={c} href="/console/review" id="nav-review" current={section === "review"}>
                {w.nav_review}
              </Link>
              </li>
            )}
            <li>
              <Link c={c} href="/console/stale" id="nav-stale" current={section === "stale"}>
                {w.nav_stale}
              </Link>
            </li>
            {runsCampaigns(p.me) && (
              <li>
                <Link c={c} href="/console/campaigns" id="nav-campaigns" current={section === "campaigns"}>
                  {w.nav_campaigns}
                </Link>
              </li>
            )}
            <li>
              <a href="/">{w.public_app}</a>
            </li>
          </ul>
        </nav>
        <div class="account">
          <label class="lang">
            <span>{w.language}</span>
            <select
              id="console-lang"
              value={lang}
              onChange={(e) => {
                const l = (e.currentTarget as HTMLSelectElement).value as ConsoleLang;
                try {
                  localStorage.setItem(LANG_KEY, l);
                } catch {
                  /* private mode */
                }
                setLang(l);
              }}
            >
              <option value="it" lang="it">
                Italiano
              </option>
              <option value="en" lang="en">
                English
              </option>
            </select>
          </label>
          <span class="who" id="who" dir="auto">
            {say(w.signed_in_as, name)}
          </span>
          <button type="button" id="signout" onClick={signOut}>
            {w.sign_out}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1} key={lang}>
        {route(c, path)}
      </main>
      <div id="live" class="sr-only" aria-live="polite">
        {live}
      </div>
    </>
  );
}

const say = (template: string, name: string) => template.replace("{name}", name);

async function start() {
  const root = document.getElementById("console")!;
  const me = await api.me();
  if (!me.signed_in) {
    // The session ended since the page was sent: sign in again and come back here.
    location.replace(`/signin?${new URLSearchParams({ next: location.pathname + location.search })}`);
    return;
  }
  root.replaceChildren();
  render(<App me={me} />, root);
}

void start();

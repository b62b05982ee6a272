// Who is asking: the one small request (`GET /api/me`) every page makes once its first result
// is on screen, and the sign-in link for anonymous people. Everything for signed-in people
// lives in account.ts, loaded only when the server says someone is signed in.

/** `GET /api/me`, as the app reads it. */
export interface Me {
  signed_in: boolean;
  username?: string;
  display_name?: string;
  roles?: string[];
  csrf_token?: string;
}

/** The non-public cache the service worker keeps for a signed-in viewer (sw.js names it too). */
export const PRIVATE_CACHE = "bussola-private";

/** The fragment to come back to after the sign-in page (the server never sees it). */
const RETURN_KEY = "bussola.return";

/** Who is asking, or null when the server cannot say (offline, an error). */
export async function fetchMe(): Promise<Me | null> {
  try {
    const r = await fetch("/api/me", { cache: "no-store", credentials: "same-origin", headers: { Accept: "application/json" } });
    return r.ok ? ((await r.json()) as Me) : null;
  } catch {
    return null;
  }
}

/**
 * The sign-in page's address: back to this path afterwards, in this language. Only the path and
 * query go to the server; the fragment (need, place, position) waits in this tab's storage.
 */
export function signinHref(path: string, query: string, lang: string): string {
  return `/signin?${new URLSearchParams({ next: path + query, lang })}`;
}

export function rememberReturn(hash: string) {
  try {
    if (hash) sessionStorage.setItem(RETURN_KEY, hash);
  } catch {
    /* private mode: the app opens at its home screen after signing in */
  }
}

/** The fragment saved before signing in, once (and forgotten). */
export function takeReturn(): string | null {
  try {
    const v = sessionStorage.getItem(RETURN_KEY);
    sessionStorage.removeItem(RETURN_KEY);
    return v && v.startsWith("#") ? v : null;
  } catch {
    return null;
  }
}

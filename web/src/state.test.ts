import { describe, expect, test } from "vitest";
import { emptyState, fromLocation, parse, serialize, with_ } from "./state";

describe("URL state", () => {
  test("a full state round-trips through its URL", () => {
    const s = with_(emptyState(), {
      lang: "ar",
      need: "legal-aid",
      near: { lon: 12.236, lat: 45.482 },
      place: "Mestre",
      filters: { openNow: true, free: true, noAppointment: true, spoken: "uk", audience: "women" },
      view: "map",
      id: "loc-cpia-venezia",
    });
    const url = serialize(s);
    expect(url).toBe(
      "#lang=ar&need=legal-aid&near=12.236,45.482&place=Mestre&open=1&free=1&noappt=1&spoken=uk&for=women&view=map&id=loc-cpia-venezia",
    );
    expect(parse(url)).toEqual(s);
  });
  test("the start screen is the empty query", () => {
    expect(serialize(emptyState())).toBe("");
    expect(parse("")).toEqual(emptyState());
  });
  test("positions are rounded to 3 decimals, both ways", () => {
    expect(parse("?near=12.2364999,45.4821111").near).toEqual({ lon: 12.236, lat: 45.482 });
    expect(serialize(with_(emptyState(), { near: { lon: 12.23649, lat: 45.48211 } }))).toBe("#near=12.236,45.482");
    expect(parse("#near=12.2364999,45.4821111").near).toEqual({ lon: 12.236, lat: 45.482 });
  });
  test("malformed values are dropped, not trusted", () => {
    const s = parse("?lang=<script>&need=../etc&near=200,10&view=satellite&id=a%20b&spoken=xx_YY&free=yes");
    expect(s).toEqual(emptyState());
    expect(parse("?near=12.2,abc").near).toBeNull();
    expect(parse("?near=12.2").near).toBeNull();
  });
  test("a place name with spaces and accents survives", () => {
    const s = with_(emptyState(), { place: "Via Giosuè Carducci, Mestre" });
    expect(parse(serialize(s)).place).toBe("Via Giosuè Carducci, Mestre");
  });
  test("the language picker is part of the state", () => {
    const s = with_(emptyState(), { lang: "uk", picking: true });
    expect(serialize(s)).toBe("#lang=uk&pick=lang");
    expect(parse(serialize(s))).toEqual(s);
  });
});

describe("the position stays out of what is sent to the server", () => {
  const loc = (search: string, hash = "") => ({ pathname: "/", search, hash });
  test("an old-style query link moves into the fragment, rounded", () => {
    const r = fromLocation(loc("?lang=it&need=health&near=12.2364999,45.4821111&free=1"));
    expect(r.moved).toBe("/#lang=it&need=health&near=12.236,45.482&free=1");
    expect(r.state.near).toEqual({ lon: 12.236, lat: 45.482 });
    expect(r.state.filters.free).toBe(true);
  });
  test("a fragment link with an unrounded position is rewritten rounded", () => {
    expect(fromLocation(loc("", "#need=health&near=12.2364999,45.4821111")).moved).toBe("/#need=health&near=12.236,45.482");
  });
  test("a canonical fragment is left as it is", () => {
    const r = fromLocation(loc("", "#lang=ar&need=legal-aid&near=12.236,45.482"));
    expect(r.moved).toBeNull();
    expect(r.state.lang).toBe("ar");
  });
  test("the skip link's #main is not a state and not rewritten", () => {
    expect(fromLocation(loc("", "#main"))).toEqual({ state: emptyState(), moved: null });
  });
  test("no serialized state ever has a query string", () => {
    const s = with_(emptyState(), { need: "health", near: { lon: 12.2, lat: 45.4 }, place: "Mestre" });
    expect(serialize(s).startsWith("#")).toBe(true);
    expect(serialize(s)).not.toContain("?");
  });
});

import { describe, expect, test } from "vitest";
import { emptyState, parse, serialize, with_ } from "./state";

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
      "?lang=ar&need=legal-aid&near=12.236,45.482&place=Mestre&open=1&free=1&noappt=1&spoken=uk&for=women&view=map&id=loc-cpia-venezia",
    );
    expect(parse(url)).toEqual(s);
  });
  test("the start screen is the empty query", () => {
    expect(serialize(emptyState())).toBe("");
    expect(parse("")).toEqual(emptyState());
  });
  test("positions are rounded to 3 decimals, both ways", () => {
    expect(parse("?near=12.2364999,45.4821111").near).toEqual({ lon: 12.236, lat: 45.482 });
    expect(serialize(with_(emptyState(), { near: { lon: 12.23649, lat: 45.48211 } }))).toBe("?near=12.236,45.482");
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
});

import { describe, expect, test } from "vitest";
import { formatDistance, haversine, roundCoord } from "./geo";

describe("distances", () => {
  test("haversine on the server's sphere", () => {
    // One degree of latitude is 111.195 km on a sphere of radius 6,371,008.8 m.
    expect(haversine(12, 45, 12, 46)).toBeCloseTo(111_195.08, 1);
    expect(haversine(12.3, 45.4, 12.3, 45.4)).toBe(0);
    expect(haversine(12.2, 45.4, 12.3, 45.5)).toBeCloseTo(haversine(12.3, 45.5, 12.2, 45.4), 9);
  });
  test("positions are rounded to about 100 m", () => {
    expect(roundCoord(12.33456)).toBe(12.335);
    expect(roundCoord(-0.0004)).toBe(-0);
    expect(roundCoord(45.4375)).toBe(45.438);
  });
});

describe("distance formatting", () => {
  test("metres in tens, kilometres with one decimal, then whole", () => {
    expect(formatDistance(4, "en")).toBe("10 m");
    expect(formatDistance(344, "en")).toBe("340 m");
    expect(formatDistance(2449, "en")).toBe("2.4 km");
    expect(formatDistance(2449, "it")).toBe("2,4 km");
    expect(formatDistance(12_600, "en")).toBe("13 km");
  });
  test("localised digits and units", () => {
    expect(formatDistance(2449, "ar-EG")).toMatch(/٢٫٤/);
    expect(formatDistance(2449, "uk")).toMatch(/2,4\s?км/);
  });
  test("nothing for a missing distance", () => {
    expect(formatDistance(NaN, "en")).toBe("");
    expect(formatDistance(-1, "en")).toBe("");
  });
});

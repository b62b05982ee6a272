// Need icons (24×24, drawn with strokes), keyed by the taxonomy's `icon` field. Decorative:
// every icon sits beside a text label. Each category's icon must differ from every other's at a
// glance (tests/e2e/icons.test.mjs compares them pixel by pixel).

const P: Record<string, string> = {
  permit: "M5 3h10l4 4v14H5z M15 3v4h4 M8 12h8 M8 16h6 M8 8h4",
  // A speech bubble with a letter: the language itself, unlike mediation's two bubbles.
  language: "M4 4h16v12H9l-5 4z M9.5 13l2.5-6 2.5 6 M10.4 11h3.2",
  school: "M2 9l10-5 10 5-10 5z M6 11v5c3 3 9 3 12 0v-5 M22 9v6",
  work: "M3 8h18v12H3z M9 8V5h6v3 M3 13h18",
  // A medical cross (an outline, so it cannot be read as "#" or "+").
  health: "M9.5 4h5v5.5H20v5h-5.5V20h-5v-5.5H4v-5h5.5z",
  house: "M3 11l9-7 9 7 M5 10v10h14V10 M10 20v-6h4v6",
  legal: "M12 3v18 M5 21h14 M4 8h16 M4 8l-2 6h6z M20 8l-2 6h6z",
  // A child jumping, arms up: a child, not any person (social's two grown-ups).
  child: "M12 3a2.5 2.5 0 1 0 0 5a2.5 2.5 0 1 0 0-5 M12 8v7 M6 7l6 4 6-4 M12 15l-3.5 6 M12 15l3.5 6",
  money: "M3 6h18v12H3z M12 9a3 3 0 1 0 0 6a3 3 0 1 0 0-6 M6 9v6 M18 9v6",
  mediation: "M3 5h10v7H7l-4 3z M11 14h6l4 3v-9h-5",
  // A bed: a place to sleep tonight, unlike housing's house.
  reception: "M3 19V6 M3 15h18v4 M21 15v-3a3 3 0 0 0-3-3h-8v6 M6.5 12a1.5 1.5 0 1 0 0-.01",
  shield: "M12 3l8 3v6c0 5-4 8-8 9-4-1-8-4-8-9V6z M9 12l2 2 4-4",
  social: "M8 11a3 3 0 1 0 0-.01 M16 11a3 3 0 1 0 0-.01 M3 20c0-3 2-5 5-5s5 2 5 5 M11 20c0-3 2-5 5-5s5 2 5 5",
  pin: "M12 21s-7-6-7-11a7 7 0 0 1 14 0c0 5-7 11-7 11z M12 7a3 3 0 1 0 0 6a3 3 0 1 0 0-6",
  locate: "M12 2v4 M12 18v4 M2 12h4 M18 12h4 M12 7a5 5 0 1 0 0 10a5 5 0 1 0 0-10",
  globe: "M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18 M3 12h18 M12 3c3 3 3 15 0 18 M12 3c-3 3-3 15 0 18",
  back: "M15 5l-7 7 7 7",
  phone: "M6 3h4l2 5-3 2c1 2 3 4 5 5l2-3 5 2v4c0 1-1 2-2 2C10 20 4 14 4 5c0-1 1-2 2-2z",
  mail: "M3 6h18v12H3z M3 6l9 7 9-7",
  web: "M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18 M3 12h18 M12 3c3 3 3 15 0 18",
  route: "M6 19a2 2 0 1 0 0-.01 M18 5a2 2 0 1 0 0-.01 M6 17V9a4 4 0 0 1 4-4h6 M18 7v8a4 4 0 0 1-4 4H8",
  share: "M6 12a2 2 0 1 0 0-.01 M18 6a2 2 0 1 0 0-.01 M18 18a2 2 0 1 0 0-.01 M8 11l8-4 M8 13l8 4",
  list: "M8 6h13 M8 12h13 M8 18h13 M3 6h1 M3 12h1 M3 18h1",
  map: "M3 6l6-3 6 3 6-3v15l-6 3-6-3-6 3z M9 3v15 M15 6v15",
  // Staff sign in: a head and shoulders.
  person: "M12 4a4 4 0 1 0 0 8a4 4 0 1 0 0-8 M4 21c0-4 4-7 8-7s8 3 8 7",
};

const NS = "http://www.w3.org/2000/svg";

export function icon(name: string, size = 24): SVGSVGElement {
  const svg = document.createElementNS(NS, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("width", String(size));
  svg.setAttribute("height", String(size));
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  svg.setAttribute("class", "icon");
  const path = document.createElementNS(NS, "path");
  path.setAttribute("d", P[name] ?? P.pin);
  svg.append(path);
  return svg;
}

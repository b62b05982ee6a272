"""Builds the shipped territory (data/territory/venezia-comuni.geojson): the 44 comuni of the
Metropolitan City of Venice with their boundaries (ISTAT via Openpolis, CC-BY 4.0) and their
resident population (ANPR, CC0), simplified for display.

Each ring is simplified with Douglas-Peucker at TOLERANCE degrees (about 9 m east-west and
11 m north-south at 45.5 °N: shapes stay recognisable at city zoom), coordinates are rounded to
ROUND decimals (about 1 m), and the result is checked: every ring closed with at least 4
positions and no two of its edges crossing (a ring that would cross is simplified again at half
the tolerance, down to the original), exteriors counter-clockwise and holes clockwise
(RFC 7946). Rings are simplified one by one, so neighbouring comuni may part by up to the
tolerance along a shared border; at display scale that is below a pixel.

It also builds the context land (data/territory/context-land.geojson): the regions around the
territory (same source and licence), simplified at CONTEXT_TOLERANCE degrees and clipped to
CONTEXT_BOX, which the map draws as land under the comuni, so the mainland outside the territory
is not shown as sea. Rings are simplified before they are clipped (Sutherland-Hodgman against
the box), so edges along the box may touch; that is harmless for a fill.

Run from the repository root:
    python3 data/tools/territory.py ../shared/data
"""
import csv, json, pathlib, sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "territory" / "venezia-comuni.geojson"
TOLERANCE = 0.0001
ROUND = 5
BOUNDARIES = "istat-boundaries/limits_P_27_municipalities.geojson"
POPULATION = "population-venezia-anpr/anpr_residenti_cm_venezia_2024-01-10.csv"
CONTEXT_OUT = ROOT / "territory" / "context-land.geojson"
REGIONS = "istat-boundaries/limits_IT_regions.geojson"
# West, south, east, north: the territory (11.96-13.10 E, 45.06-45.85 N) with about 60 km
# around it, stopping west of Istria and Slovenia, which the dataset does not have.
CONTEXT_BOX = (11.2, 44.6, 13.45, 46.3)
CONTEXT_TOLERANCE = 0.001
CONTEXT_ROUND = 4

ATTRIBUTION = {
    "boundaries": {
        "attribution": "Confini amministrativi ISTAT, elaborazione Openpolis",
        "license": "CC-BY-4.0",
        "license_url": "https://creativecommons.org/licenses/by/4.0/",
        "source": "https://github.com/openpolis/geojson-italy (limits as of June 2023, commit 5dd489e)",
        "note": f"simplified for display (Douglas-Peucker, {TOLERANCE} degrees)",
    },
    "population": {
        "attribution": "Dati dai Numeri del portale ANPR - CC0 Ministero dell'Interno",
        "license": "CC0-1.0",
        "license_url": "https://creativecommons.org/publicdomain/zero/1.0/",
        "source": "https://github.com/italia/anpr-opendata (popolazione_residente_export.csv, 10 January 2024)",
        "note": "resident population; foreign residents are not included",
    },
}


def perpendicular(p, a, b):
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == 0 and dy == 0:
        return ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
    t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)))
    return ((x - x1 - t * dx) ** 2 + (y - y1 - t * dy) ** 2) ** 0.5


def douglas_peucker(points, tol):
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        i, j = stack.pop()
        best, at = 0.0, None
        for k in range(i + 1, j):
            d = perpendicular(points[k], points[i], points[j])
            if d > best:
                best, at = d, k
        if at is not None and best > tol:
            keep[at] = True
            stack += [(i, at), (at, j)]
    return [p for p, k in zip(points, keep) if k]


def simplify_ring(ring, tol):
    """A closed ring is split at its farthest point from the start so both halves have ends."""
    open_ring = ring[:-1]
    far = max(range(len(open_ring)), key=lambda k: perpendicular(open_ring[k], open_ring[0], open_ring[0]))
    a = douglas_peucker(open_ring[: far + 1], tol)
    b = douglas_peucker(open_ring[far:] + [open_ring[0]], tol)
    out = a + b[1:]
    return out


def rounded(ring):
    out = []
    for x, y in ring:
        p = [round(x, ROUND), round(y, ROUND)]
        if not out or out[-1] != p:
            out.append(p)
    return out


def crosses(p1, p2, p3, p4):
    def orient(a, b, c):
        v = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
        return (v > 0) - (v < 0)
    o1, o2, o3, o4 = orient(p1, p2, p3), orient(p1, p2, p4), orient(p3, p4, p1), orient(p3, p4, p2)
    if o1 != o2 and o3 != o4:
        return True
    def on(a, b, c):
        return min(a[0], b[0]) <= c[0] <= max(a[0], b[0]) and min(a[1], b[1]) <= c[1] <= max(a[1], b[1])
    return (o1 == 0 and on(p1, p2, p3)) or (o2 == 0 and on(p1, p2, p4)) or (o3 == 0 and on(p3, p4, p1)) or (o4 == 0 and on(p3, p4, p2))


def is_simple(ring):
    """True when the closed ring has at least 4 positions and no two non-adjacent edges meet."""
    n = len(ring) - 1
    if n < 3 or ring[0] != ring[-1] or len({tuple(p) for p in ring[:-1]}) != n:
        return False
    edges = [(ring[i], ring[i + 1]) for i in range(n)]
    for i in range(n):
        for j in range(i + 2, n):
            if i == 0 and j == n - 1:
                continue
            if crosses(*edges[i], *edges[j]):
                return False
    return True


def signed_area(ring):
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:])) / 2


def display_ring(ring, exterior):
    tol = TOLERANCE
    while True:
        out = rounded(simplify_ring(ring, tol) if tol > 0 else ring)
        if out[0] != out[-1]:
            out.append(out[0])
        if is_simple(out):
            break
        if tol == 0:
            raise SystemExit(f"ring of {len(ring)} positions is not simple even unsimplified")
        tol = tol / 2 if tol > 1e-6 else 0
    if (signed_area(out) > 0) != exterior:
        out.reverse()
    return out


def clip_ring(ring, box):
    """Sutherland-Hodgman: the part of a closed ring inside the box (open, maybe empty)."""
    west, south, east, north = box
    edges = [
        (lambda p: p[0] >= west, lambda a, b: (west, a[1] + (b[1] - a[1]) * (west - a[0]) / (b[0] - a[0]))),
        (lambda p: p[0] <= east, lambda a, b: (east, a[1] + (b[1] - a[1]) * (east - a[0]) / (b[0] - a[0]))),
        (lambda p: p[1] >= south, lambda a, b: (a[0] + (b[0] - a[0]) * (south - a[1]) / (b[1] - a[1]), south)),
        (lambda p: p[1] <= north, lambda a, b: (a[0] + (b[0] - a[0]) * (north - a[1]) / (b[1] - a[1]), north)),
    ]
    points = ring[:-1]
    for inside, cut in edges:
        out = []
        for i, b in enumerate(points):
            a = points[i - 1]
            if inside(b):
                if not inside(a):
                    out.append(cut(a, b))
                out.append(b)
            elif inside(a):
                out.append(cut(a, b))
        points = out
        if not points:
            break
    return points


def context_land(shared):
    src = json.loads((shared / REGIONS).read_text())
    features, before, after = [], 0, 0
    for f in sorted(src["features"], key=lambda f: f["properties"]["reg_istat_code"]):
        p, g = f["properties"], f["geometry"]
        polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
        out = []
        for poly in polys:
            rings = []
            for i, ring in enumerate(poly):
                kept = clip_ring(simplify_ring(ring, CONTEXT_TOLERANCE), CONTEXT_BOX)
                kept = [[round(x, CONTEXT_ROUND), round(y, CONTEXT_ROUND)] for x, y in kept]
                kept = [q for k, q in enumerate(kept) if k == 0 or q != kept[k - 1]]
                if len(kept) < 3:
                    if i == 0:
                        break  # the outer ring is outside the box: so are its holes
                    continue
                kept.append(kept[0])
                if (signed_area(kept) > 0) != (i == 0):
                    kept.reverse()
                rings.append(kept)
            if rings:
                before += sum(len(r) for r in poly)
                after += sum(len(r) for r in rings)
                out.append(rings)
        if out:
            features.append({
                "type": "Feature",
                "id": p["reg_istat_code"],
                "properties": {"reg_istat_code": p["reg_istat_code"], "name": p["reg_name"]},
                "geometry": {"type": "MultiPolygon", "coordinates": out},
            })
    doc = {
        "type": "FeatureCollection",
        "name": "Regioni intorno al territorio (contesto per la mappa)",
        "attribution": {"boundaries": {
            **ATTRIBUTION["boundaries"],
            "source": "https://github.com/openpolis/geojson-italy (limits_IT_regions.geojson, limits as of June 2023, commit 5dd489e)",
            "note": f"simplified for display (Douglas-Peucker, {CONTEXT_TOLERANCE} degrees) and clipped to {list(CONTEXT_BOX)}",
        }},
        "bbox": list(CONTEXT_BOX),
        "features": features,
    }
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    text = text.replace(',{"type":"Feature"', ',\n{"type":"Feature"').replace('"features":[', '"features":[\n') + "\n"
    CONTEXT_OUT.write_text(text)
    names = ", ".join(f["properties"]["name"] for f in features)
    print(f"{len(features)} regions ({names}), {before} -> {after} positions, {len(text.encode())} bytes -> {CONTEXT_OUT.relative_to(ROOT.parent)}")


def main(shared):
    shared = pathlib.Path(shared)
    src = json.loads((shared / BOUNDARIES).read_text())
    with open(shared / POPULATION, newline="") as f:
        population = {r["COD_ISTAT_COMUNE"]: int(r["RESIDENTI"]) for r in csv.DictReader(f)}
    features, before, after = [], 0, 0
    for f in sorted(src["features"], key=lambda f: f["properties"]["com_istat_code"]):
        p, g = f["properties"], f["geometry"]
        code = p["com_istat_code"]
        if code not in population:
            raise SystemExit(f"{code} ({p['name']}): no population row")
        polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
        out = []
        for poly in polys:
            before += sum(len(r) for r in poly)
            rings = [display_ring(r, i == 0) for i, r in enumerate(poly)]
            after += sum(len(r) for r in rings)
            out.append(rings)
        features.append({
            "type": "Feature",
            "id": code,
            "properties": {
                "com_istat_code": code,
                "name": p["name"],
                "prov_name": p["prov_name"],
                "population": population.pop(code),
            },
            "geometry": {"type": "MultiPolygon", "coordinates": out},
        })
    if population:
        raise SystemExit(f"population rows without a boundary: {sorted(population)}")
    doc = {
        "type": "FeatureCollection",
        "name": "Comuni della Città metropolitana di Venezia",
        "attribution": ATTRIBUTION,
        "features": features,
    }
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    # One feature per line keeps diffs readable.
    text = text.replace(',{"type":"Feature"', ',\n{"type":"Feature"').replace('"features":[', '"features":[\n') + "\n"
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text)
    print(f"{len(features)} comuni, {before} -> {after} positions, {len(text.encode())} bytes -> {OUT.relative_to(ROOT.parent)}")
    context_land(shared)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data")

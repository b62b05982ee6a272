"""Generates the benchmark dataset and the request paths. Deterministic: same input, same output.

    gen.py OUT_DIR [N] [COMUNI_GEOJSON] [TAXONOMY_JSON]

Writes, in OUT_DIR:
  services.geojson    N sportelli (default 100,000) in the Bussola dataset format
                      (docs/data-format.md), one service each, placed uniformly at random inside
                      the comuni of COMUNI_GEOJSON (default: the 563 comuni of Veneto), each with
                      the ISTAT code of the comune that contains it;
  <server>_<workload>.txt   1,000 request paths per server and workload, the same points, boxes
                      and ids for every server:
                        nearest  the 20 services nearest to a random point inside Veneto
                                 (pygeoapi, which has no nearest query: the square around the
                                 point that circumscribes the circle of its 20 nearest, limit=20)
                        bbox     a box that holds at least 1,000 services, limit=1000
                        item     one sportello by id
  gen.json            what was generated (counts, box sizes), read by report.py.

Pure Python (no third-party modules), about 20 s for 100,000 services.
"""
import json
import math
import pathlib
import random
import sys

HERE = pathlib.Path(__file__).resolve().parent
out = pathlib.Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)
n = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
comuni_path = pathlib.Path(sys.argv[3] if len(sys.argv) > 3 else
                           "/work/shared/data/istat-boundaries/limits_R_5_municipalities.geojson")
taxonomy_path = pathlib.Path(sys.argv[4] if len(sys.argv) > 4 else HERE.parent / "data" / "taxonomy.json")

SEED = 20261124
FALLBACK_CATEGORIES = ["residence-permits", "italian-language", "adult-education", "employment", "health",
                       "housing", "legal-aid", "children-school", "microcredit-business",
                       "mediation-interpreting", "reception", "violence-trafficking", "social-services"]
FALLBACK_COMUNE = ("027042", "Venezia", [[[[12.20, 45.40], [12.40, 45.40], [12.40, 45.55], [12.20, 45.55], [12.20, 45.40]]]])
KM_PER_DEG_LAT = 111.2

# --- categories and audiences ------------------------------------------------------------------
categories, audiences = FALLBACK_CATEGORIES, ["everyone"]
if taxonomy_path.exists():
    tax = json.loads(taxonomy_path.read_text())
    categories = [c["id"] for c in tax.get("categories", [])] or FALLBACK_CATEGORIES
    audiences = [a["id"] for a in tax.get("audiences", [])] or ["everyone"]

# --- comuni: polygons (lists of rings), bounding box, area -------------------------------------
comuni = []  # (istat, name, polygons, bbox, area_km2)
if comuni_path.exists():
    for f in json.loads(comuni_path.read_text())["features"]:
        g = f["geometry"]
        polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
        comuni.append((f["properties"]["com_istat_code"], f["properties"]["name"], polys))
else:
    print(f"gen.py: {comuni_path} not found; using a box around Venezia (027042)", file=sys.stderr)
    comuni.append(FALLBACK_COMUNE)


def ring_area_km2(ring):
    lat0 = math.radians(sum(p[1] for p in ring) / len(ring))
    a = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
        a += x1 * y2 - x2 * y1
    return abs(a) / 2 * KM_PER_DEG_LAT ** 2 * math.cos(lat0)


def inside(polys, x, y):
    """Even-odd rule over every ring of every polygon (holes included; winding order ignored)."""
    c = False
    for poly in polys:
        for ring in poly:
            x1, y1 = ring[-1][0], ring[-1][1]
            for p in ring:
                x2, y2 = p[0], p[1]
                if (y2 > y) != (y1 > y) and x < (x1 - x2) * (y - y2) / (y1 - y2) + x2:
                    c = not c
                x1, y1 = x2, y2
    return c


shapes = []
for istat, name, polys in comuni:
    xs = [p[0] for poly in polys for p in poly[0]]
    ys = [p[1] for poly in polys for p in poly[0]]
    area = sum(ring_area_km2(poly[0]) - sum(ring_area_km2(h) for h in poly[1:]) for poly in polys)
    shapes.append((istat, name, polys, (min(xs), min(ys), max(xs), max(ys)), area))
total_area = sum(s[4] for s in shapes)
cum_area = []
acc = 0.0
for s in shapes:
    acc += s[4]
    cum_area.append(acc)


def point_in(rng, shape):
    x0, y0, x1, y1 = shape[3]
    while True:
        x, y = rng.uniform(x0, x1), rng.uniform(y0, y1)
        if inside(shape[2], x, y):
            return round(x, 6), round(y, 6)


def random_shape(rng):
    """A comune drawn with probability proportional to its area: with point_in, uniform over the region."""
    r = rng.uniform(0, total_area)
    lo, hi = 0, len(cum_area) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if cum_area[mid] < r:
            lo = mid + 1
        else:
            hi = mid
    return shapes[lo]


# --- the sportelli -------------------------------------------------------------------------------
rng = random.Random(SEED)
LANGS = ["en", "fr", "ar", "ur", "bn", "uk", "zh", "es", "pt", "ru", "sq", "ro", "wo", "ti", "fa", "pa"]
HOURS = ["Mo-Fr 09:00-12:30; Tu,Th 14:30-17:00", "Mo,We,Fr 09:00-13:00", "Tu-Sa 08:30-12:30",
         "Mo-Th 15:00-18:30", "Mo-Fr 09:00-13:00,14:00-17:00"]
STREETS = ["Via Roma", "Via Garibaldi", "Piazza del Municipio", "Via Mazzini", "Corso Italia", "Via Dante",
           "Via Verdi", "Viale della Stazione", "Via San Marco", "Via Cavour"]
N_ORGS = 200
orgs = [{"id": f"org-bench-{i:03d}", "name": f"Organizzazione di prova {i}", "kind": ["public", "ngo", "school", "health"][i % 4],
         "fictional": True} for i in range(N_ORGS)]
features = []
for i in range(n):
    istat, cname, _, _, _ = shape = random_shape(rng)
    lon, lat = point_in(rng, shape)
    cat = categories[i % len(categories)]
    org = orgs[rng.randrange(N_ORGS)]["id"]
    langs = ["it"] + sorted(rng.sample(LANGS, rng.randint(1, 4)))
    features.append({
        "type": "Feature",
        "id": f"loc-b{i:06d}",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {
            "organization_id": org,
            "name": {"it": f"Sportello {cat} {i} – {cname}", "en": f"Desk {cat} {i} – {cname}"},
            "address": {"street": f"{STREETS[i % len(STREETS)]} {i % 150 + 1}", "postcode": "",
                        "locality": cname, "comune_istat": istat},
            "phones": [{"number": f"+39 04{i % 10} {i % 1000:03d} {i % 10000:04d}", "label": {"it": "Centralino"}}],
            "status": "published",
            "visibility": "public",
            "last_verified_at": "2026-10-15T00:00:00Z",
            "services": [{
                "id": f"svc-b{i:06d}",
                "name": {"it": f"Servizio {cat} {i}", "en": f"Service {cat} {i}"},
                "description": {"it": "Informazioni e accompagnamento; servizio di prova generato per il benchmark.",
                                "en": "Information and guidance; a test service generated for the benchmark."},
                "categories": [cat] if i % 5 else [cat, categories[(i // 5) % len(categories)]],
                "languages": langs,
                "cost": ["free", "free", "free", "reduced", "paid"][i % 5],
                "appointment_required": i % 3 == 0,
                "audiences": [audiences[i % len(audiences)]],
                "schedule": {"periods": [{"valid_from": None, "valid_to": None, "hours": HOURS[i % len(HOURS)]}],
                             "public_holidays": "closed"},
            }],
        },
    })
doc = {"type": "FeatureCollection",
       "bussola": {"format": "bussola-dataset/1",
                   "metadata": {"title": {"it": "Benchmark: sportelli generati", "en": "Benchmark: generated desks"},
                                "demo": True, "license": "CC0-1.0",
                                "notice": {"it": "Dati generati per il benchmark.", "en": "Generated benchmark data."}},
                   "organizations": orgs, "projects": []},
       "features": features}
with open(out / "services.geojson", "w") as fh:
    json.dump(doc, fh, ensure_ascii=False, separators=(",", ":"))

# --- request paths -------------------------------------------------------------------------------
CELL = 0.01
grid = {}
for f in features:
    x, y = f["geometry"]["coordinates"]
    grid.setdefault((int(x / CELL), int(y / CELL)), []).append((x, y))


def count_in(x0, y0, x1, y1):
    c = 0
    for gx in range(int(x0 / CELL), int(x1 / CELL) + 1):
        for gy in range(int(y0 / CELL), int(y1 / CELL) + 1):
            for x, y in grid.get((gx, gy), ()):
                if x0 <= x <= x1 and y0 <= y <= y1:
                    c += 1
    return c


def box(x, y, side_km):
    dy = side_km / 2 / KM_PER_DEG_LAT
    dx = side_km / 2 / (KM_PER_DEG_LAT * math.cos(math.radians(y)))
    return round(x - dx, 5), round(y - dy, 5), round(x + dx, 5), round(y + dy, 5)


prng = random.Random(SEED + 1)
points = [point_in(prng, random_shape(prng)) for _ in range(1000)]
points = [(round(x, 5), round(y, 5)) for x, y in points]
# (b): a square expected to hold about 1,050 services; only centres whose box holds >= 1,010
# are kept (a margin over 1,000 for points on an edge), so every response of (b) is a full page
# of 1,000 features.
density = n / total_area
big_km = math.sqrt(1050 / density)
boxes, tries = [], 0
while len(boxes) < 1000 and tries < 20000:
    tries += 1
    b = box(*point_in(prng, random_shape(prng)), big_km)
    if count_in(*b) >= 1010:
        boxes.append(b)
if len(boxes) < 1000:
    sys.exit(f"gen.py: only {len(boxes)} boxes hold 1,010 services (N={n} too small?)")
# Peers without a nearest query (pygeoapi): per point, the square that circumscribes the circle
# holding its 20 nearest services (local equirectangular km), widened until it holds >= 20, with
# limit=20. The server then returns 20 services of that box (any 20, in its own order), which is
# the closest a plain OGC API - Features bbox query gets to "the 20 nearest".
K = 20


def nearest_radius_km(x, y, k=K):
    """Distance (km) from (x, y) to its k-th nearest service, by expanding rings of grid cells."""
    kx = KM_PER_DEG_LAT * math.cos(math.radians(y))
    cell_km = CELL * min(kx, KM_PER_DEG_LAT)  # every point within r * cell_km is in rings 0..r
    gx0, gy0 = int(x / CELL), int(y / CELL)
    dists = []
    r = 0
    while True:
        for gx in range(gx0 - r, gx0 + r + 1):
            for gy in range(gy0 - r, gy0 + r + 1):
                if max(abs(gx - gx0), abs(gy - gy0)) != r:
                    continue
                for px, py in grid.get((gx, gy), ()):
                    dists.append(math.hypot((px - x) * kx, (py - y) * KM_PER_DEG_LAT))
        if len(dists) >= k:
            dists.sort()
            del dists[k:]
            if dists[-1] <= r * cell_km:
                return dists[-1]
        r += 1
        if r > 10_000:
            sys.exit("gen.py: fewer than 20 services in the whole dataset")


def box_around(x, y, half_km):
    dy = half_km / KM_PER_DEG_LAT
    dx = half_km / (KM_PER_DEG_LAT * math.cos(math.radians(y)))
    return (math.floor((x - dx) * 1e5) / 1e5, math.floor((y - dy) * 1e5) / 1e5,
            math.ceil((x + dx) * 1e5) / 1e5, math.ceil((y + dy) * 1e5) / 1e5)


small, small_counts, small_sides = [], [], []
for x, y in points:
    half = nearest_radius_km(x, y) * 1.001 + 0.001
    b = box_around(x, y, half)
    while count_in(*b) < K:  # rounding or the cos(lat) spread at the box's edges
        half *= 1.05
        b = box_around(x, y, half)
    small.append(b)
    small_counts.append(count_in(*b))
    small_sides.append(2 * half)
ids = [f"loc-b{prng.randrange(n):06d}" for _ in range(1000)]


def bb(b):
    return ",".join(f"{v:.5f}" for v in b)


lines = {
    "bussola_nearest": [f"/api/collections/sportelli/items?near={x},{y}&limit=20" for x, y in points],
    "bussola_bbox": [f"/api/collections/sportelli/items?bbox={bb(b)}&limit=1000" for b in boxes],
    "bussola_item": [f"/api/collections/sportelli/items/{i}" for i in ids],
    "tipg_nearest": [f"/collections/public.nearest_services/items?lon={x}&lat={y}&n=20&limit=20&sortby=rank" for x, y in points],
    "tipg_bbox": [f"/collections/public.location/items?bbox={bb(b)}&limit=1000" for b in boxes],
    "tipg_item": [f"/collections/public.location/items/{i}" for i in ids],
    "pygeoapi_nearest": [f"/collections/location/items?bbox={bb(b)}&limit=20&f=json" for b in small],
    "pygeoapi_bbox": [f"/collections/location/items?bbox={bb(b)}&limit=1000&f=json" for b in boxes],
    "pygeoapi_item": [f"/collections/location/items/{i}?f=json" for i in ids],
}
for name, paths in lines.items():
    (out / f"{name}.txt").write_text("\n".join(paths) + "\n")
info = {"services": n, "comuni": len(shapes), "area_km2": round(total_area), "seed": SEED,
        "bbox_side_km": round(big_km, 2), "bbox_tries": tries,
        "bbox_min_count": min(count_in(*b) for b in boxes),
        "near_box_side_km_median": round(sorted(small_sides)[len(small_sides) // 2], 2),
        "near_box_count_min": min(small_counts),
        "near_box_count_median": sorted(small_counts)[len(small_counts) // 2],
        "near_box_count_max": max(small_counts)}
(out / "gen.json").write_text(json.dumps(info, indent=1) + "\n")
print(f"gen.py: {n} sportelli in {len(shapes)} comuni ({total_area:,.0f} km²); "
      f"(b) boxes {big_km:.1f} km wide, >= {info['bbox_min_count']} services each; "
      f"pygeoapi's (a) boxes: median {info['near_box_side_km_median']} km wide, "
      f"{info['near_box_count_min']}..{info['near_box_count_max']} services (median {info['near_box_count_median']})")

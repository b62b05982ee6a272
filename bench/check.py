"""Checks, before any timing, that every server answers every workload right.

    check.py OUT_DIR bussola=BASE_URL tipg=BASE_URL pygeoapi=BASE_URL

All three servers must be named (a missing one is a failure, not a skip). For each server and
workload it fetches every one of the 1,000 paths that wrk will send (CHECK_SAMPLE=N checks N of
them, evenly spaced, for a quick local look; the run says so) and requires HTTP 200, a JSON body
and:
  nearest  Bussola and tipg: exactly the 20 services nearest to the point, nearest first, by a
           brute force over OUT_DIR/services.geojson with great-circle distances (atan2 form);
           no wrong id is tolerated. Two services closer than TIE_M to the point's distance of
           each other are a tie: they may come in either order, and at the 20th place either
           may be the one returned. pygeoapi (no nearest query): 20 features inside the box.
  bbox     exactly 1,000 features, all inside the requested box
  item     one Feature whose id is the requested one
Prints one line per server and workload; exits 1, saying what was wrong, if anything was.
Standard library only.
"""
import json
import math
import os
import re
import sys
import urllib.error
import urllib.request

SERVERS = ("bussola", "tipg", "pygeoapi")
EXPECT = {"nearest": 20, "bbox": 1000, "item": 1}
TIE_M = 1e-3  # a millimetre: far above the formulas' rounding, far below any real gap
R_M = 6_371_008.8

out = sys.argv[1]
servers = dict(a.split("=", 1) for a in sys.argv[2:])
missing = [s for s in SERVERS if s not in servers]
if missing:
    sys.exit(f"check: FAILED: no URL for {', '.join(missing)} (usage: check.py OUT_DIR bussola=URL tipg=URL pygeoapi=URL)")
sample = os.environ.get("CHECK_SAMPLE")


def fetch(url):
    req = urllib.request.Request(url, headers={"Accept": "application/geo+json, application/json"})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()
    except OSError as e:
        return None, str(e).encode()


def bbox_of(path):
    m = re.search(r"[?&]bbox=([^&]+)", path)
    return [float(v) for v in m.group(1).split(",")] if m else None


def inside(f, b):
    x, y = f["geometry"]["coordinates"][:2]
    return b[0] <= x <= b[2] and b[1] <= y <= b[3]


def metres(x1, y1, x2, y2):
    """Great-circle metres on the sphere Bussola uses, by the atan2 form (Bussola: haversine)."""
    p1, p2, dl = math.radians(y1), math.radians(y2), math.radians(x2 - x1)
    yy = math.hypot(math.cos(p2) * math.sin(dl), math.cos(p1) * math.sin(p2) - math.sin(p1) * math.cos(p2) * math.cos(dl))
    xx = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)
    return R_M * math.atan2(yy, xx)


# --- the dataset, on a grid for the brute force -------------------------------------------------
CELL = 0.05  # degrees
coords = {}
grid = {}
for f in json.load(open(os.path.join(out, "services.geojson")))["features"]:
    x, y = f["geometry"]["coordinates"][:2]
    coords[str(f["id"])] = (x, y)
    grid.setdefault((math.floor(x / CELL), math.floor(y / CELL)), []).append((str(f["id"]), x, y))
max_lat = max(y for _, y in coords.values())
# Any point within r cells of the query's cell in both directions is at least this far away per
# ring (the narrowest a cell gets, east-west at the northernmost latitude), with a 10 % margin.
RING_M = 0.9 * min(math.radians(CELL) * R_M * math.cos(math.radians(max_lat) + math.radians(CELL)), math.radians(CELL) * R_M)


def true_nearest(x, y, k):
    """Every service with its distance, sorted, until the k-th (and its ties) is certain."""
    gx, gy = math.floor(x / CELL), math.floor(y / CELL)
    found, r = [], 0
    while True:
        for cx in range(gx - r, gx + r + 1):
            for cy in range(gy - r, gy + r + 1):
                if max(abs(cx - gx), abs(cy - gy)) == r:
                    found.extend((metres(x, y, px, py), i) for i, px, py in grid.get((cx, cy), ()))
        found.sort()
        # Points outside ring r are farther than r * RING_M.
        if len(found) >= k and found[k - 1][0] + TIE_M < r * RING_M:
            return found
        r += 1
        if r > 2000:
            return found


def check_nearest(path, ids):
    """None if `ids` are exactly the 20 nearest in order (ties allowed), else what is wrong."""
    m = re.search(r"near=([-\d.]+),([-\d.]+)", path) or re.search(r"lon=([-\d.]+)&lat=([-\d.]+)", path)
    x, y = float(m.group(1)), float(m.group(2))
    want = true_nearest(x, y, 20)
    if any(i not in coords for i in ids):
        return f"unknown ids {[i for i in ids if i not in coords][:3]}"
    got = [metres(x, y, *coords[i]) for i in ids]
    for pos, (d, i) in enumerate(zip(got, ids)):
        if abs(d - want[pos][0]) > TIE_M:
            return f"place {pos + 1}: {i} at {d:.3f} m, but the {pos + 1}th nearest is {want[pos][1]} at {want[pos][0]:.3f} m"
    last = got[-1]
    sure = {i for d, i in want if d < last - TIE_M}
    if not sure <= set(ids):
        return f"missing {sorted(sure - set(ids))[:3]}"
    return None


failures = []
for s, base in servers.items():
    if s not in SERVERS:
        failures.append(f"unknown server {s}")
        continue
    for w, want in EXPECT.items():
        paths = open(os.path.join(out, f"{s}_{w}.txt")).read().split()
        if len(paths) != 1000:
            failures.append(f"{s} {w}: {len(paths)} paths, not 1,000")
        if sample:
            k = int(sample)
            idx = sorted({round(i * (len(paths) - 1) / max(k - 1, 1)) for i in range(min(k, len(paths)))})
        else:
            idx = range(len(paths))
        ok, sizes, problems = 0, [], []
        for i in idx:
            p = paths[i]
            status, body = fetch(base + p)
            sizes.append(len(body))
            if status != 200:
                problems.append(f"{p}: HTTP {status}: {body[:200]!r}")
                continue
            try:
                doc = json.loads(body)
            except ValueError:
                problems.append(f"{p}: not JSON: {body[:200]!r}")
                continue
            if w == "item":
                fid = p.split("/items/")[1].split("?")[0]
                if doc.get("type") != "Feature" or str(doc.get("id")) != fid or not doc.get("geometry"):
                    problems.append(f"{p}: not the Feature {fid}: {body[:200]!r}")
                    continue
            else:
                feats = doc.get("features")
                if doc.get("type") != "FeatureCollection" or not isinstance(feats, list):
                    problems.append(f"{p}: not a FeatureCollection: {body[:200]!r}")
                    continue
                if len(feats) != want:
                    problems.append(f"{p}: {len(feats)} features, not {want}")
                    continue
                ids = [str(f.get("id")) for f in feats]
                if len(set(ids)) != want or not all(f.get("geometry") for f in feats):
                    problems.append(f"{p}: duplicate ids or features without geometry")
                    continue
                b = bbox_of(p)
                if b and not all(inside(f, b) for f in feats):
                    problems.append(f"{p}: features outside the box {b}")
                    continue
                if w == "nearest" and s in ("bussola", "tipg"):
                    wrong = check_nearest(p, ids)
                    if wrong:
                        problems.append(f"{p}: {wrong}")
                        continue
            ok += 1
        kb = sum(sizes) / max(len(sizes), 1) / 1024
        what = f"{len(idx)} of {len(paths)} paths (CHECK_SAMPLE={sample})" if sample else f"all {len(paths)} paths"
        exact = ", the exact 20 nearest in order" if w == "nearest" and s != "pygeoapi" else ""
        print(f"check {s:9} {w:8} {ok}/{len(idx)} ok over {what}, {want} feature(s) each{exact}, {kb:.1f} KB/response")
        if problems:
            failures.append(f"{s} {w}: {len(problems)} of {len(idx)} bad, e.g. " + "; ".join(problems[:3]))

if failures:
    print("check: FAILED\n  " + "\n  ".join(failures), file=sys.stderr)
    sys.exit(1)
print("check: every server answered every checked path with the expected features")

"""Checks, before any timing, that every server answers every workload with real features.

    check.py OUT_DIR SERVER=BASE_URL ...      e.g. bussola=http://127.0.0.1:8080

For each server and workload it fetches SAMPLE (env CHECK_SAMPLE, default 25) of the 1,000 paths
that wrk will send (evenly spaced, first and last included) and requires HTTP 200, a JSON body and:
  nearest  exactly 20 features (pygeoapi's: all inside the requested box)
  bbox     exactly 1,000 features, all inside the requested box
  item     one Feature whose id is the requested one
It also compares, point by point, the ids of Bussola's and tipg's 20 nearest. Prints one line per
server and workload; exits 1, saying what was wrong, if anything was. Standard library only.
"""
import json
import os
import re
import sys
import urllib.error
import urllib.request

out = sys.argv[1]
servers = dict(a.split("=", 1) for a in sys.argv[2:])
sample = int(os.environ.get("CHECK_SAMPLE", "25"))
EXPECT = {"nearest": 20, "bbox": 1000, "item": 1}


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


failures = []
nearest_ids = {}  # server -> list of id sets, in path order
for s, base in servers.items():
    for w, want in EXPECT.items():
        paths = open(os.path.join(out, f"{s}_{w}.txt")).read().split()
        idx = sorted({round(i * (len(paths) - 1) / max(sample - 1, 1)) for i in range(min(sample, len(paths)))})
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
                if w == "nearest":
                    nearest_ids.setdefault(s, []).append(set(ids))
            ok += 1
        kb = sum(sizes) / len(sizes) / 1024
        print(f"check {s:9} {w:8} {ok}/{len(idx)} ok, {want} feature(s) each, {kb:.1f} KB/response")
        if problems:
            failures.append(f"{s} {w}: {len(problems)} of {len(idx)} bad, e.g. " + "; ".join(problems[:3]))

if "bussola" in nearest_ids and "tipg" in nearest_ids:
    pairs = list(zip(nearest_ids["bussola"], nearest_ids["tipg"]))
    same = sum(len(a & b) for a, b in pairs)
    print(f"check nearest: tipg's nearest_services shares {same} of {20 * len(pairs)} ids with Bussola's near=")
    if same < 0.95 * 20 * len(pairs):
        failures.append(f"tipg's 20 nearest differ from Bussola's ({same} of {20 * len(pairs)} ids in common)")

if failures:
    print("check: FAILED\n  " + "\n  ".join(failures), file=sys.stderr)
    sys.exit(1)
print("check: every server answered every sampled path with the expected features")

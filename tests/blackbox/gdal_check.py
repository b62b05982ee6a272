"""GDAL's OGC API - Features driver against a running Bussola.

1. `ogrinfo OAPIF:<url>/api` lists the four collections, and reading each layer in full
   (paging through `next` links) yields exactly the number of features the API reports and,
   for sportelli, exactly the published public sportelli of the demo dataset file.
2. `ogr2ogr` copies all sportelli into a GeoPackage; reading it back gives the same ids and
   coordinates as the API.
Usage: gdal_check.py BASE_URL WORKDIR
"""
import json, pathlib, subprocess, sys, urllib.request

base, work = sys.argv[1], pathlib.Path(sys.argv[2])
api = f"OAPIF:{base}/api"
repo = pathlib.Path(__file__).resolve().parents[2]
failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)
        print("  FAIL:", msg)


def get(path):
    with urllib.request.urlopen(base + path) as r:
        return json.load(r)


def ogr(*args):
    return subprocess.run(args, check=True, capture_output=True, text=True, timeout=300).stdout


listing = ogr("ogrinfo", "-ro", "-q", api)
for name in ["sportelli", "services", "projects", "comuni"]:
    check(f": {name} " in listing or f": {name}\n" in listing or f": {name} (" in listing, f"ogrinfo does not list {name}: {listing}")

demo = json.load(open(repo / "data/demo/venezia.geojson"))
published = sum(1 for f in demo["features"] if f["properties"].get("status", "published") == "published"
                and f["properties"].get("visibility", "public") == "public")
for name in ["sportelli", "services", "projects", "comuni"]:
    matched = get(f"/api/collections/{name}/items?limit=1")["numberMatched"]
    out = ogr("ogrinfo", "-ro", "-al", "-q", api, name)
    read = out.count("OGRFeature(")
    check(read == matched, f"{name}: GDAL read {read} features, the API says {matched}")
    print(f"  {name}: GDAL read {read}, API numberMatched {matched}")
check(get("/api/collections/sportelli/items?limit=1")["numberMatched"] == published,
      f"sportelli: API has {get('/api/collections/sportelli/items?limit=1')['numberMatched']}, the demo file {published} published")
check(get("/api/collections/comuni/items?limit=1")["numberMatched"] == 44, "44 comuni expected")

gpkg = work / "sportelli.gpkg"
ogr("ogr2ogr", "-f", "GPKG", str(gpkg), api, "sportelli")
back = work / "back.geojson"
ogr("ogr2ogr", "-f", "GeoJSON", str(back), str(gpkg), "sportelli")
copied = json.load(open(back))["features"]
api_features = get("/api/collections/sportelli/items?limit=10000")["features"]
want = {f["id"]: f["geometry"]["coordinates"] for f in api_features}
got = {f["properties"]["id"]: f["geometry"]["coordinates"] for f in copied}
check(len(copied) == len(api_features), f"GeoPackage has {len(copied)} sportelli, the API {len(api_features)}")
check(set(got) == set(want), "GeoPackage ids differ from the API's")
far = [i for i in want if i in got and max(abs(a - b) for a, b in zip(want[i], got[i])) > 1e-9]
check(not far, f"coordinates changed in the GeoPackage for {far[:5]}")
print(f"  GeoPackage: {len(copied)} sportelli, coordinates identical: {not far}")
sys.exit(1 if failures else 0)

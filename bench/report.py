"""Turns bench/out/results.tsv into the Markdown table for BENCHMARKS.md.

    report.py RESULTS_TSV N DURATION CONNS [WARMUP]
"""
import json
import os
import sys

rows = {}
fixed = None
for line in open(sys.argv[1]):
    parts = line.split()
    w, s = parts[0], parts[1]
    kv = dict(p.split("=", 1) for p in parts[3:] if "=" in p)
    if w == "fixed1000":
        fixed = kv
        continue
    rows[(w, s)] = kv
n, duration, conns = sys.argv[2], sys.argv[3], sys.argv[4]
warmup = sys.argv[5] if len(sys.argv) > 5 else "4"
gen = {}
gen_path = os.path.join(os.path.dirname(os.path.abspath(sys.argv[1])), "gen.json")
if os.path.exists(gen_path):
    gen = json.load(open(gen_path))


def num(kv, k):
    try:
        return float(kv.get(k, "nan"))
    except ValueError:
        return float("nan")


names = {"nearest": "(a) 20 nearest to a point", "bbox": "(b) bbox page of 1,000 features", "item": "(c) one feature by id"}
print(f"{int(n):,} services, `wrk -t1 -c{conns} -d{duration}s` after a {warmup} s warm-up, "
      f"1,000 request paths per workload, all on one {os.cpu_count()}-core machine (wrk included).\n")
print("| workload | server | req/s | p50 ms | p99 ms | KB/response | RSS MB | CPU ms/req server + PG | Bussola ÷ server (req/s) |")
print("|---|---|---|---|---|---|---|---|---|")
for w in ["nearest", "bbox", "item"]:
    b = rows.get((w, "bussola"))
    for s in ["bussola", "tipg", "pygeoapi"]:
        r = rows.get((w, s))
        if not r:
            print(f"| {names[w]} | {s} | did not run | | | | | | |")
            continue
        rps = num(r, "rps"); req = max(int(r.get("requests", "0")), 1)
        ratio = "—" if s == "bussola" or not b or rps == 0 else f"{num(b, 'rps') / rps:.1f}×"
        bad = [f"{r.get(k)} {k}" for k in ("errors", "non2xx") if r.get(k, "0") != "0"]
        err = f" (**{', '.join(bad)}**)" if bad else ""
        cpu = (f"{num(r, 'cpu_server_s') * 1000 / req:.2f} + {num(r, 'cpu_pg_s') * 1000 / req:.2f}"
               if "cpu_server_s" in r else "?")
        print(f"| {names[w]} | {s} | {rps:,.0f}{err} | {num(r, 'p50_ms'):.2f} | {num(r, 'p99_ms'):.2f} | "
              f"{int(r.get('bytes', '0')) / req / 1024:.1f} | {r.get('rss_mb', '?')} | {cpu} | {ratio} |")
print()
print("(a): Bussola `items?near=LON,LAT&limit=20`; tipg the SQL function `public.nearest_services(lon, lat, n)` "
      "as a collection (KNN on the GiST index, re-ranked by spherical distance: the same 20 ids as Bussola); "
      "pygeoapi, which has no nearest query, `items?bbox=…&limit=20` with the square that circumscribes the "
      "circle of the point's 20 nearest"
      + (f" (median {gen['near_box_side_km_median']} km wide, {gen['near_box_count_min']}–{gen['near_box_count_max']} "
         f"services inside)" if "near_box_side_km_median" in gen else "")
      + ", so it returns 20 services of that box, not ranked by distance.")
print("(b): boxes"
      + (f" {gen['bbox_side_km']} km wide holding ≥ {gen['bbox_min_count']:,} services" if "bbox_side_km" in gen else "")
      + ", `limit=1000`. RSS: peak of the server's processes (all workers) during the timed run. "
      "CPU: user + system time of the server's processes and of the PostgreSQL backends during the timed run, "
      "per request.")
if fixed:
    late = f", {fixed['late']} requests sent > 1 ms late" if "late" in fixed else ""
    print(f"\nBussola at a fixed 1,000 req/s (nearest 20, 20 connections): achieved {num(fixed, 'rps'):,.0f} req/s, "
          f"p50 {num(fixed, 'p50_ms'):.2f} ms, p99 **{num(fixed, 'p99_ms'):.2f} ms**, "
          f"errors {fixed.get('errors')}, non-2xx {fixed.get('non2xx')}{late}.")

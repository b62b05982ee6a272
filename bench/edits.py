"""Streams edits to a running Bussola through the write API and reports what committed.

    edits.py BASE TOKEN SERVICE_IDS_FILE SECONDS WRITERS

Each writer owns its own services (no two writers edit the same record, so no 412 is
expected): it reads a service once for its ETag, then replaces its description again and
again with If-Match, each from the version the previous answer gave. Prints one RESULT line:
edits/s (acknowledged with 200), write latency p50/p99 in ms, and the count of anything else.
"""
import http.client
import json
import sys
import threading
import time
from urllib.parse import urlparse

base, token, ids_file, seconds, writers = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), int(sys.argv[5])
u = urlparse(base)
ids = [line.strip() for line in open(ids_file) if line.strip()]
auth = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
lock = threading.Lock()
latencies, errors = [], {}


def writer(k):
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    mine = ids[k::writers]
    state = {}
    for i in mine:
        conn.request("GET", f"/api/records/services/{i}", headers=auth)
        r = conn.getresponse()
        body = r.read()
        if r.status != 200:
            raise SystemExit(f"GET {i}: HTTP {r.status}: {body[:200]!r}")
        state[i] = (json.loads(body), r.getheader("ETag"))
    n, end = 0, time.monotonic() + seconds
    while time.monotonic() < end:
        i = mine[n % len(mine)]
        n += 1
        doc, etag = state[i]
        doc["description"] = {"it": f"edit {k}.{n}"}
        data = json.dumps(doc)
        t = time.monotonic()
        conn.request("PUT", f"/api/records/services/{i}", body=data,
                     headers={**auth, "Content-Type": "application/json", "If-Match": etag})
        r = conn.getresponse()
        body = r.read()
        dt = (time.monotonic() - t) * 1000
        with lock:
            if r.status == 200:
                latencies.append(dt)
            else:
                errors[r.status] = errors.get(r.status, 0) + 1
        if r.status == 200:
            state[i] = (json.loads(body), r.getheader("ETag"))
        else:
            conn.request("GET", f"/api/records/services/{i}", headers=auth)
            r = conn.getresponse()
            state[i] = (json.loads(r.read()), r.getheader("ETag"))


threads = [threading.Thread(target=writer, args=(k,)) for k in range(writers)]
t0 = time.monotonic()
for t in threads:
    t.start()
for t in threads:
    t.join()
elapsed = time.monotonic() - t0
latencies.sort()


def pct(p):
    return latencies[min(len(latencies) - 1, int(p * len(latencies)))] if latencies else float("nan")


print(f"RESULT edits={len(latencies)} edits_per_s={len(latencies) / elapsed:.1f} p50_ms={pct(0.5):.2f} "
      f"p99_ms={pct(0.99):.2f} other={sum(errors.values())} statuses={json.dumps(errors)}")

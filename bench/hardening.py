"""Figures for the hardening work (BENCHMARKS.md, "Heavy requests"): a 30-wildcard LIKE, the
bundle's cost per request, and RSS under 200 clients that never read — for one binary over
one data directory holding the benchmark's 100,000 sportelli.

    python3 bench/hardening.py BIN DATA_DIR [LABEL] [PARTS]

PARTS: a comma-separated subset of bundle,slow,like (default: all three, in that order; run
"slow" alone for a server whose memory no bundle build has grown first).

DATA_DIR must hold an embedded store made with
    python3 bench/gen.py OUT 100000 && BUSSOLA_DATA_DIR=DATA_DIR BIN import services OUT/services.geojson
Starts `BIN serve` on a free loopback port, measures, stops it. Prints one line per figure.
Pure Python, bounded: every request has a timeout, every loop a count.
"""
import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse

bin_path, data_dir = sys.argv[1], sys.argv[2]
label = sys.argv[3] if len(sys.argv) > 3 else os.path.basename(bin_path)
parts = (sys.argv[4] if len(sys.argv) > 4 else "bundle,slow,like").split(",")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


port = free_port()
env = dict(os.environ, BUSSOLA_DATA_DIR=data_dir, BUSSOLA_BIND=f"127.0.0.1:{port}",
           BUSSOLA_DEMO="never", BUSSOLA_LOG="error")
env.pop("BUSSOLA_DATABASE_URL", None)
server = subprocess.Popen([bin_path, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def rss_mb():
    with open(f"/proc/{server.pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def get(path, headers=None, timeout=120):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    c.request("GET", path, headers=headers or {})
    r = c.getresponse()
    body = r.read()
    c.close()
    return r.status, body


class Peak(threading.Thread):
    """Samples the server's RSS every 20 ms until stopped."""

    def __init__(self):
        super().__init__(daemon=True)
        self.peak = rss_mb()
        self.running = True

    def run(self):
        while self.running:
            self.peak = max(self.peak, rss_mb())
            time.sleep(0.02)

    def stop(self):
        self.running = False
        self.join()
        return self.peak


try:
    for _ in range(1200):
        try:
            if get("/readyz", timeout=2)[0] == 200:
                break
        except OSError:
            pass
        time.sleep(0.1)
    else:
        sys.exit("server did not become ready")
    base_rss = rss_mb()
    print(f"{label}: RSS after start {base_rss:.0f} MB")

    # 1. The bundle: three requests in a row, each timed, with the RSS peak.
    for i in range(3 if "bundle" in parts else 0):
        peak = Peak()
        peak.start()
        t = time.monotonic()
        status, body = get("/api/bundle", {"Accept-Encoding": "gzip"})
        took = time.monotonic() - t
        top = peak.stop()
        print(f"{label}: bundle request {i + 1}: {status}, {len(body)} bytes on the wire (gzip asked), {took * 1000:.0f} ms, RSS peak +{top - base_rss:.0f} MB")

    # 2. 200 clients ask for 10,000-feature pages and never read.
    for page in range(9 if "slow" in parts else 0):
        get(f"/api/collections/sportelli/items?limit=10000&offset={page * 10000}")  # cache the features first
    before = rss_mb()
    socks = []
    for i in range(200 if "slow" in parts else 0):
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        s.sendall(f"GET /api/collections/sportelli/items?limit=10000&offset={(i % 9) * 10000} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        socks.append(s)
    peak = Peak()
    peak.start()
    time.sleep(8 if "slow" in parts else 0)
    t = time.monotonic()
    status, _ = get("/api/collections/sportelli/items?limit=20&near=12.24,45.49", timeout=30)
    normal = time.monotonic() - t
    top = peak.stop()
    if "slow" in parts:
        print(f"{label}: 200 clients that never read 10,000-feature pages: RSS {before:.0f} MB before, peak {top:.0f} MB (+{top - before:.0f} MB); a nearest-20 query meanwhile: {status} in {normal * 1000:.1f} ms")
    for s in socks:
        s.close()
    # 3. LIKE with 30 wildcards (and no match: the worst case for a
    # backtracking matcher). Last, since a binary without a bound never stops computing it.
    like = urllib.parse.quote("name LIKE '" + "%" * 30 + "x'")
    times = []
    for _ in range(5 if "like" in parts else 0):
        t = time.monotonic()
        try:
            status, _ = get(f"/api/collections/sportelli/items?limit=10&filter={like}", timeout=40)
        except OSError as e:
            status = f"no answer ({e.__class__.__name__})"
        times.append(time.monotonic() - t)
        if status != 200:
            print(f"{label}: 30-wildcard LIKE: status {status} after {times[-1]:.1f} s")
            break
    else:
        times.sort()
        if not times:
            raise SystemExit(0)
        print(f"{label}: 30-wildcard LIKE over 100,000 sportelli: median {times[2] * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms (5 runs)")

finally:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        print(f"{label}: did not exit within 30 s of SIGTERM; killed")
        server.kill()

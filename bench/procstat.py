"""Samples, from /proc, the memory and CPU time of a server and of the PostgreSQL cluster.

    procstat.py --pgid PGID [--postmaster PID] --seconds S [--interval 0.5]

Every interval, for the processes of process group PGID (the server and every worker it forked:
run.sh starts each server in its own group), sums their resident set size (RSS); at the end prints
one line of JSON: the peak and mean of that sum, in MB, and the CPU seconds (user + system) used
during the window by the server's processes and by the cluster's (the postmaster and its
children, i.e. the backends that served the queries). Processes are read once per interval, so
CPU of a process that ended within the window is missed (none should).
"""
import argparse
import json
import os
import time

TICK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def snapshot():
    """pid -> (ppid, pgrp, cpu_ticks, rss_bytes) for every process."""
    procs = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as fh:
                s = fh.read()
        except OSError:
            continue
        f = s[s.rindex(")") + 2:].split()  # fields from 3 (state) on
        procs[int(d)] = (int(f[1]), int(f[2]), int(f[11]) + int(f[12]), int(f[21]) * PAGE)
    return procs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pgid", type=int, required=True)
    ap.add_argument("--postmaster", type=int, default=0)
    ap.add_argument("--seconds", type=float, required=True)
    ap.add_argument("--interval", type=float, default=0.5)
    a = ap.parse_args()

    def mine(p, info):
        return info[1] == a.pgid

    def cluster(p, info):
        return a.postmaster and (p == a.postmaster or info[0] == a.postmaster)

    first_cpu = {}
    last_cpu = {}
    rss = []
    end = time.monotonic() + a.seconds
    while True:
        procs = snapshot()
        rss.append(sum(i[3] for p, i in procs.items() if mine(p, i)))
        for p, i in procs.items():
            if mine(p, i) or cluster(p, i):
                key = ("server" if mine(p, i) else "pg", p)
                first_cpu.setdefault(key, i[2])
                last_cpu[key] = i[2]
        if time.monotonic() >= end:
            break
        time.sleep(a.interval)
    cpu = {"server": 0, "pg": 0}
    for key, v in last_cpu.items():
        cpu[key[0]] += v - first_cpu[key]
    print(json.dumps({"rss_max_mb": round(max(rss) / 2**20, 1), "rss_mean_mb": round(sum(rss) / len(rss) / 2**20, 1),
                      "cpu_server_s": round(cpu["server"] / TICK, 2), "cpu_pg_s": round(cpu["pg"] / TICK, 2),
                      "samples": len(rss)}))


main()

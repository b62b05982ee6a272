-- wrk script for a fixed request rate (wrk itself has none, and wrk2 is not packaged here).
-- One global schedule: request k is due at t0 + k / $RATE seconds; before each request a
-- connection waits until the next free slot (wrk's delay(), 1 ms resolution). Run with -t1 and
-- enough connections (-c) that one is always idle, so sending never waits for a response.
-- A request sent more than 1 ms after its slot counts as late: a server that keeps up has ~0 late,
-- and then the latencies wrk reports are not hiding queueing (no coordinated omission).
-- Paths come from $PATHS, as in paths.lua.
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
  int clock_gettime(int clk_id, bench_timespec *tp);
]]
local ts = ffi.new("bench_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local paths = {}
for line in io.lines(os.getenv("PATHS")) do paths[#paths + 1] = line end
local gap = 1000 / tonumber(os.getenv("RATE"))
local i, k, t0 = 0, 0, nil
late, max_lag = 0, 0 -- globals: read by done() through thread:get

request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
delay = function()
  local now = now_ms()
  if not t0 then t0 = now end
  local due = t0 + k * gap
  k = k + 1
  local wait = due - now
  if wait < -1 then
    late = late + 1
    if -wait > max_lag then max_lag = -wait end
  end
  if wait < 0 then return 0 end
  return math.floor(wait + 0.5)
end

local threads = {}
setup = function(thread) threads[#threads + 1] = thread end
done = function(summary, latency, requests)
  local e = summary.errors
  local l, m = 0, 0
  for _, t in ipairs(threads) do
    l = l + (t:get("late") or 0)
    m = math.max(m, t:get("max_lag") or 0)
  end
  io.write(string.format(
    "RESULT rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f errors=%d non2xx=%d bytes=%d requests=%d seconds=%.3f late=%d max_lag_ms=%.1f\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, e.connect + e.read + e.write + e.timeout, e.status,
    summary.bytes, summary.requests, summary.duration / 1e6, l, m))
end

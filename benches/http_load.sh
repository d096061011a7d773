#!/usr/bin/env bash
# HTTP load bench: Mobile ID response checks (POST /api/v1/mobileid/verify) against the real
# `sigverify serve` on loopback, driven by wrk at 1, 16 and 256 connections, compared with the
# same check in process.
#
#   benches/http_load.sh            # needs wrk (Debian package `wrk`)
#   DURATION=10s benches/http_load.sh
#   REUSE_INPROC=1 benches/http_load.sh   # take the in-process figure of the last run
#   PROFILE=profiling benches/http_load.sh # both built with the profiling profile (debug info)
#   CEILING=0 benches/http_load.sh        # without the ceiling phase
#   WORKERS=3 benches/http_load.sh        # the service's runtime with 3 worker threads
#                                         # (TOKIO_WORKER_THREADS; default: one per core)
#
# First the in-process reference: `cargo bench --bench mobileid` (benches/mobileid.rs: the
# library-level check the handler makes for this body, warm link cache, thread CPU time), whose
# criterion estimate gives the CPU time of one check on one core; two cores do `2 / that` checks
# per second. Then the service under wrk: requests/s and p50/p99 latency per concurrency, and
# `ratio = HTTP req/s at 16 connections / in-process two-core rate`, MET or NOT MET against
# 60%. Fails when any response is not HTTP 2xx or the sanity request is not TOTAL_PASSED.
#
# The ceiling phase (before the Mobile ID runs; CEILING=0 skips it) measures, at 16
# connections, what loopback TCP, hyper, the router's middleware (request id, metrics, log
# filter) and wrk cost without any check: `GET /healthz`, and a POST of the same Mobile ID body
# to the same endpoint as `text/plain`, refused (415) before its body is read. For each run it
# prints the service's CPU time per request and wrk's (user and system: `/proc/PID/stat` and
# `/usr/bin/time`); loopback TCP work is charged to the process that sends. Their sum plus the
# in-process check gives the most requests per second two cores could serve with wrk on them,
# and so the highest ratio this machine allows (`ceiling ratio`), whatever the service does.
# The same POST then goes to `examples/http_floor.rs`: hyper and tokio alone, reading the body
# and answering with as many bytes as the service's verdict, nothing else (`floor`): what any
# service on this stack costs with wrk on the same cores, sigverify's own work excluded; then
# the same server doing as much CPU work per request as the in-process check, on the worker
# that serves it (SHA-256 sized to that time): what a service whose only work is the check
# reaches here.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
duration="${DURATION:-10s}"
port="${PORT:-18089}"
command -v wrk >/dev/null || { echo "http_load.sh: wrk is not installed (apt-get install wrk)" >&2; exit 1; }

target="${CARGO_TARGET_DIR:-$root/target}"
profile="${PROFILE:-release}"
estimates="$target/criterion/mobileid/verify_response/new/estimates.json"
if [ "${REUSE_INPROC:-0}" != 1 ] || [ ! -f "$estimates" ]; then
    echo "== in-process reference: cargo bench --bench mobileid (thread CPU time)"
    SIGVERIFY_BENCH_CPU_TIME=1 cargo bench --quiet --profile "$profile" --bench mobileid -- \
        --warm-up-time 2 --measurement-time "${INPROC_SECONDS:-8}" >/dev/null
fi
inproc_ns="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["mean"]["point_estimate"])' "$estimates")"

cargo build --profile "$profile" --quiet --bin sigverify --example http_floor
tmp="$(mktemp -d)"
cleanup() { kill ${server_pid:-} ${floor_pid:-} 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

# The request body: the RSA test Mobile ID response and what the AP asked for.
python3 - "$tmp/body.json" <<'PY'
import json, sys
resp = json.load(open("testdata/mobileid/signature-rsa.json"))
expected = json.load(open("testdata/mobileid/signature-rsa.expected.json"))
json.dump({"response": resp, "expected": expected, "validationTime": "2026-06-01T00:00:00Z"}, open(sys.argv[1], "w"))
PY

env ${WORKERS:+TOKIO_WORKER_THREADS="$WORKERS"} SIGVERIFY_TRUST_ANCHORS_DIR=/nonexistent RUST_LOG=warn "$target/$profile/sigverify" serve \
    --listen "127.0.0.1:$port" --trust-anchor testdata/mobileid/root.pem --max-concurrent 64 &
server_pid=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
# The answers must come from this server, not from another one left on the port.
kill -0 "$server_pid" 2>/dev/null || { echo "http_load.sh: FAILED: the service did not start" >&2; exit 1; }

# One request checked by hand before loading: it must pass.
curl -sf -H 'content-type: application/json' --data-binary @"$tmp/body.json" \
    "http://127.0.0.1:$port/api/v1/mobileid/verify" | python3 -c '
import json, sys
r = json.load(sys.stdin)
assert r["indication"] == "TOTAL_PASSED", r["indication"]
print("== sanity: TOTAL_PASSED,", r["message"])'

cat >"$tmp/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = os.getenv("BODY_TYPE") or "application/json"
local f = io.open("$tmp/body.json", "r"); wrk.body = f:read("*a"); f:close()
done = function(summary, latency, requests)
  io.write(string.format("RESULT rps=%.0f p50_ms=%.2f p99_ms=%.2f requests=%d errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
  io.write(string.format("SOCKET_ERRORS %d\n",
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA
cp "$tmp/post.lua" "$tmp/get.lua"
sed -i '/^wrk\.\(method\|headers\|body\)\|^local f = /d' "$tmp/get.lua"
# wrk counts non-2xx/3xx answers as status errors; the verdict itself is checked on the sanity
# request above (same body, same server state).
echo "== wrk $duration per run, $(nproc) cores ($(lscpu | sed -n 's/^Model name: *//p' | head -1)), server and load generator on the same machine"
# The server's CPU time (user + system, clock ticks) so far.
server_ticks() { awk '{print $14 + $15}' "/proc/${measured_pid:-$server_pid}/stat"; }
# run CONNECTIONS SCRIPT PATH: one wrk run; sets rps, p50_ms, p99_ms, requests, errors,
# socket_errors, cpu_us (the service's CPU per request) and wrk_us (wrk's).
run() {
    local threads=$(( $1 < 2 ? 1 : 2 )) before after out
    before="$(server_ticks)"
    out="$(/usr/bin/time -f 'WRK_CPU %U %S' wrk -t"$threads" -c"$1" -d"$duration" --latency -s "$2" "http://127.0.0.1:${measured_port:-$port}$3" 2>&1)"
    after="$(server_ticks)"
    eval "$(echo "$out" | sed -n 's/^RESULT //p')"
    socket_errors="$(echo "$out" | sed -n 's/^SOCKET_ERRORS //p')"
    local per=$(( requests > 0 ? requests : 1 ))
    cpu_us="$(python3 -c "print(f'{($after - $before) * 1e6 / $(getconf CLK_TCK) / $per:.1f}')")"
    wrk_us="$(echo "$out" | awk -v n="$per" '/^WRK_CPU/ {printf "%.1f", ($2 + $3) * 1e6 / n}')"
}
# floor_run LABEL [WORK_US]: the run at 16 connections against examples/http_floor.rs, answering
# $answer_bytes bytes after WORK_US of CPU work per request; sets what `run` sets.
floor_run() {
    "$target/$profile/examples/http_floor" "$((port + 1))" "$answer_bytes" "${2:-0}" &
    floor_pid=$!
    for _ in $(seq 50); do curl -sf -o /dev/null --data-binary @"$tmp/body.json" "http://127.0.0.1:$((port + 1))/" && break; sleep 0.1; done
    kill -0 "$floor_pid" 2>/dev/null || { echo "http_load.sh: FAILED: the floor server did not start" >&2; exit 1; }
    measured_pid="$floor_pid" measured_port="$((port + 1))" run 16 "$tmp/post.lua" /
    kill "$floor_pid"; floor_pid=
    [ "$errors" = 0 ] || { echo "http_load.sh: FAILED: $errors errors on the floor server" >&2; exit 1; }
    printf '%-34s %10s %14s %12s\n' "$1" "$rps" "$cpu_us" "$wrk_us"
}
echo "   (server_us/req: the service's CPU time, user and system, per request; wrk_us/req: wrk's)"
if [ "${CEILING:-1}" != 0 ]; then
    code="$(curl -s -o /dev/null -w '%{http_code}' -H 'content-type: text/plain' --data-binary @"$tmp/body.json" \
        "http://127.0.0.1:$port/api/v1/mobileid/verify")"
    [ "$code" = 415 ] || { echo "http_load.sh: FAILED: the ceiling's text/plain POST got $code, not 415" >&2; exit 1; }
    echo "== ceiling at 16 connections: no check, the same sockets, hyper, router and wrk"
    printf '%-34s %10s %14s %12s\n' request req/s server_us/req wrk_us/req
    run 16 "$tmp/get.lua" /healthz
    [ "$errors" = 0 ] || { echo "http_load.sh: FAILED: $errors errors on /healthz" >&2; exit 1; }
    printf '%-34s %10s %14s %12s\n' "GET /healthz" "$rps" "$cpu_us" "$wrk_us"
    healthz_us="$(python3 -c "print($cpu_us + $wrk_us)")"
    BODY_TYPE=text/plain run 16 "$tmp/post.lua" /api/v1/mobileid/verify
    # Every answer is a 415 (wrk counts them as status errors); sockets must not fail.
    [ "$socket_errors" = 0 ] || { echo "http_load.sh: FAILED: $socket_errors socket errors in the ceiling run" >&2; exit 1; }
    printf '%-34s %10s %14s %12s\n' "POST same body, refused (415)" "$rps" "$cpu_us" "$wrk_us"
    refused_us="$(python3 -c "print($cpu_us + $wrk_us)")"
    answer_bytes="$(curl -s -H 'content-type: application/json' --data-binary @"$tmp/body.json" \
        "http://127.0.0.1:$port/api/v1/mobileid/verify" | wc -c)"
    floor_run "POST same body, hyper alone"
    floor_us="$(python3 -c "print($cpu_us + $wrk_us)")"
    # The same, with as much CPU work per request on the worker as the in-process check.
    work_us="$(python3 -c "print(round($inproc_ns / 1000))")"
    floor_run "POST same body, hyper + ${work_us} us work" "$work_us"
    work_rps="$rps"
fi
echo "== Mobile ID checks"
printf '%-12s %10s %10s %10s %10s %14s %12s\n' connections req/s p50_ms p99_ms errors server_us/req wrk_us/req
for c in 1 16 256; do
    run "$c" "$tmp/post.lua" /api/v1/mobileid/verify
    printf '%-12s %10s %10s %10s %10s %14s %12s\n' "$c" "$rps" "$p50_ms" "$p99_ms" "$errors" "$cpu_us" "$wrk_us"
    [ "$errors" = 0 ] || { echo "http_load.sh: FAILED: $errors non-200 or socket errors at c=$c" >&2; exit 1; }
    [ "$c" = 16 ] && rps16="$rps" && check16_us="$(python3 -c "print($cpu_us + $wrk_us)")"
done

# The in-process rate on two cores, and the share of it the service reaches at 16 connections.
python3 - "$inproc_ns" "$rps16" "$check16_us" "${healthz_us:-}" "${refused_us:-}" "${floor_us:-}" "${work_rps:-}" <<'PY'
import sys
ns, rps, check_us = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
two_core = 2 * 1e9 / ns
ratio = rps / two_core
print(f"== in-process: {ns / 1000:.1f} us CPU per check on one core, two-core rate {two_core:.0f}/s")
print(f"   at 16 connections: {check_us:.1f} us CPU per checked request, service and wrk together")
for name, arg in (("GET /healthz", sys.argv[4]), ("refused POST", sys.argv[5]), ("hyper alone", sys.argv[6])):
    if not arg:
        continue
    floor = float(arg) + ns / 1000
    print(f"ceiling ({name}): {float(arg):.1f} us (service + wrk) + {ns / 1000:.1f} us (check) = {floor:.1f} us"
          f" per request: at most {2e6 / floor:.0f} req/s on two cores, ceiling ratio {2e6 / floor / two_core:.1%}")
if sys.argv[7]:
    work = float(sys.argv[7])
    print(f"hyper alone with {ns / 1000:.0f} us of CPU work per request on its worker: {work:.0f} req/s,"
          f" {work / two_core:.1%} of the in-process two-core rate")
print(f"ratio = HTTP req/s at 16 connections / in-process two-core rate = {rps:.0f} / {two_core:.0f} = {ratio:.1%}")
print(f"target 60%: {'MET' if ratio >= 0.60 else 'NOT MET'}")
PY

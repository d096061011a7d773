#!/usr/bin/env bash
# HTTP load bench: Mobile ID response checks (POST /api/v1/mobileid/verify) against the real
# `sigverify serve` on loopback, driven by wrk at 1, 16 and 256 connections, compared with the
# same check in process.
#
#   benches/http_load.sh            # needs wrk (Debian package `wrk`)
#   DURATION=10s benches/http_load.sh
#   REUSE_INPROC=1 benches/http_load.sh   # take the in-process figure of the last run
#   PROFILE=profiling benches/http_load.sh # both built with the profiling profile (debug info)
#
# First the in-process reference: `cargo bench --bench mobileid` (benches/mobileid.rs: the
# library-level check the handler makes for this body, warm link cache, thread CPU time), whose
# criterion estimate gives the CPU time of one check on one core; two cores do `2 / that` checks
# per second. Then the service under wrk: requests/s and p50/p99 latency per concurrency, and
# `ratio = HTTP req/s at 16 connections / in-process two-core rate`, MET or NOT MET against
# 60%. Fails when any response is not HTTP 2xx or the sanity request is not TOTAL_PASSED.
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

cargo build --profile "$profile" --quiet --bin sigverify
tmp="$(mktemp -d)"
cleanup() { [ -n "${server_pid:-}" ] && kill "$server_pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

# The request body: the RSA test Mobile ID response and what the AP asked for.
python3 - "$tmp/body.json" <<'PY'
import json, sys
resp = json.load(open("testdata/mobileid/signature-rsa.json"))
expected = json.load(open("testdata/mobileid/signature-rsa.expected.json"))
json.dump({"response": resp, "expected": expected, "validationTime": "2026-06-01T00:00:00Z"}, open(sys.argv[1], "w"))
PY

SIGVERIFY_TRUST_ANCHORS_DIR=/nonexistent RUST_LOG=warn "$target/$profile/sigverify" serve \
    --listen "127.0.0.1:$port" --trust-anchor testdata/mobileid/root.pem --max-concurrent 64 &
server_pid=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

# One request checked by hand before loading: it must pass.
curl -sf -H 'content-type: application/json' --data-binary @"$tmp/body.json" \
    "http://127.0.0.1:$port/api/v1/mobileid/verify" | python3 -c '
import json, sys
r = json.load(sys.stdin)
assert r["indication"] == "TOTAL_PASSED", r["indication"]
print("== sanity: TOTAL_PASSED,", r["message"])'

cat >"$tmp/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = io.open("$tmp/body.json", "r"); wrk.body = f:read("*a"); f:close()
done = function(summary, latency, requests)
  io.write(string.format("RESULT rps=%.0f p50_ms=%.2f p99_ms=%.2f requests=%d errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA
# wrk counts non-2xx/3xx answers as status errors; the verdict itself is checked on the sanity
# request above (same body, same server state).
echo "== wrk $duration per run, $(nproc) cores ($(lscpu | sed -n 's/^Model name: *//p' | head -1)), server and load generator on the same machine"
# The server's CPU time (user + system, clock ticks) so far.
server_ticks() { awk '{print $14 + $15}' "/proc/$server_pid/stat"; }
echo "   (server_us/req: the service's CPU time, user and system, per request)"
printf '%-12s %10s %10s %10s %10s %14s\n' connections req/s p50_ms p99_ms errors server_us/req
for c in 1 16 256; do
    threads=$(( c < 2 ? 1 : 2 ))
    before="$(server_ticks)"
    line="$(wrk -t"$threads" -c"$c" -d"$duration" --latency -s "$tmp/post.lua" "http://127.0.0.1:$port/api/v1/mobileid/verify" | grep '^RESULT')"
    after="$(server_ticks)"
    eval "$(echo "$line" | sed 's/^RESULT //')"
    cpu_us="$(( (after - before) * 1000000 / $(getconf CLK_TCK) / (requests > 0 ? requests : 1) ))"
    printf '%-12s %10s %10s %10s %10s %14s\n' "$c" "$rps" "$p50_ms" "$p99_ms" "$errors" "$cpu_us"
    [ "$errors" = 0 ] || { echo "http_load.sh: FAILED: $errors non-200 or socket errors at c=$c" >&2; exit 1; }
    [ "$c" = 16 ] && rps16="$rps"
done

# The in-process rate on two cores, and the share of it the service reaches at 16 connections.
python3 - "$inproc_ns" "$rps16" <<'PY'
import sys
ns, rps = float(sys.argv[1]), float(sys.argv[2])
two_core = 2 * 1e9 / ns
ratio = rps / two_core
print(f"== in-process: {ns / 1000:.1f} us CPU per check on one core, two-core rate {two_core:.0f}/s")
print(f"ratio = HTTP req/s at 16 connections / in-process two-core rate = {rps:.0f} / {two_core:.0f} = {ratio:.1%}")
print(f"target 60%: {'MET' if ratio >= 0.60 else 'NOT MET'}")
PY

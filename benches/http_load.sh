#!/usr/bin/env bash
# HTTP load bench: Mobile ID response checks (POST /api/v1/mobileid/verify) against the real
# `sigverify serve` on loopback, driven by wrk at 1, 16 and 256 connections.
#
#   benches/http_load.sh            # needs wrk (Debian package `wrk`) and a release build
#   DURATION=10s benches/http_load.sh
#
# Prints requests/s and p50/p99 latency per concurrency, and the in-process ceiling measured
# by `benches/compare.sh` (RSA-2048 repeat signer) as the ceiling. Fails when any response is
# not HTTP 2xx or the sanity request is not TOTAL_PASSED.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
duration="${DURATION:-10s}"
port="${PORT:-18089}"
command -v wrk >/dev/null || { echo "http_load.sh: wrk is not installed (apt-get install wrk)" >&2; exit 1; }

cargo build --release --quiet --bin sigverify
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

SIGVERIFY_TRUST_ANCHORS_DIR=/nonexistent RUST_LOG=warn target/release/sigverify serve \
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
echo "== wrk $duration per run, $(nproc) cores, server and load generator on the same machine"
printf '%-12s %10s %10s %10s %10s\n' connections req/s p50_ms p99_ms errors
for c in 1 16 256; do
    threads=$(( c < 2 ? 1 : 2 ))
    line="$(wrk -t"$threads" -c"$c" -d"$duration" --latency -s "$tmp/post.lua" "http://127.0.0.1:$port/api/v1/mobileid/verify" | grep '^RESULT')"
    eval "$(echo "$line" | sed 's/^RESULT //')"
    printf '%-12s %10s %10s %10s %10s\n' "$c" "$rps" "$p50_ms" "$p99_ms" "$errors"
    [ "$errors" = 0 ] || { echo "http_load.sh: FAILED: $errors non-200 or socket errors at c=$c" >&2; exit 1; }
done

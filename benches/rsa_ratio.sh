#!/usr/bin/env bash
# A cached-chain RSA-2048 CMS verification against one bare RSA-2048 verification of
# `openssl speed`, on the same core in the same run.
#
#   benches/rsa_ratio.sh                 # needs the openssl CLI; optional taskset (util-linux)
#   SECONDS_OPENSSL=5 benches/rsa_ratio.sh
#
# sigverify: criterion's mean of `verify/RSA-2048/repeat_signer` (benches/verify.rs: a full
# verify() of an attached CMS signature with 2 KiB of content whose leaf->CA->root links are
# cached: one RSA verification, the content digest, parsing, path building and the report),
# timed in CPU time of the measuring thread. OpenSSL: `openssl speed rsa2048`, whose verify
# column is RSA_verify of a 36-byte digest per CPU-second (user time). The OpenSSL figure is
# measured before and after the bench and the mean of the two is the reference.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
secs="${SECONDS_OPENSSL:-3}"
pin=()
if command -v taskset >/dev/null; then pin=(taskset -c 0); fi

openssl_verify_rate() {
    "${pin[@]}" openssl speed -seconds "$secs" rsa2048 2>/dev/null | awk '/^rsa 2048 bits/ { print $NF }'
}

cargo bench --bench verify --no-run --quiet
before="$(openssl_verify_rate)"
SIGVERIFY_BENCH_CPU_TIME=1 "${pin[@]}" cargo bench --bench verify --quiet -- --warm-up-time 1 \
    --measurement-time 5 'verify/RSA-2048/repeat_signer' >/dev/null
after="$(openssl_verify_rate)"
estimates="${CARGO_TARGET_DIR:-target}/criterion/verify_RSA-2048/repeat_signer/new/estimates.json"
python3 - "$estimates" "$before" "$after" <<'PY'
import json, subprocess, sys
est, before, after = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
mean_ns = json.load(open(est))["mean"]["point_estimate"]
ours = 1e9 / mean_ns
ossl = (before + after) / 2
model = next((l.split(":", 1)[1].strip() for l in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines() if l.startswith("Model name")), "?")
ratio = ours / ossl
print(f"CPU: {model}")
print(f"openssl speed rsa2048 verify/s (CPU): {before:,.0f} before, {after:,.0f} after, mean {ossl:,.0f}")
print(f"sigverify cached-chain RSA-2048 CMS verify/s (CPU): {ours:,.0f} ({mean_ns / 1000:.2f} us each)")
print(f"ratio {ratio:.1%} (target >= 85%): {'MET' if ratio >= 0.85 else 'NOT MET'}")
PY

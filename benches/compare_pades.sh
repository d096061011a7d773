#!/usr/bin/env bash
# PAdES verification: sigverify vs pdfsig (poppler) vs pyHanko on the same pyHanko-signed
# inputs (benches/gen_pades.sh: ~100 KB and ~50 MB, one PAdES B-B signature each, RSA-2048
# leaf of testdata/pki/rsa), against the machine's raw SHA-256 speed, in one run.
#
#   benches/compare_pades.sh
#   RUNS=200 SECONDS_PYHANKO=3 benches/compare_pades.sh
#
# Measures
#   * openssl speed -evp sha256 -bytes 16384 -seconds 3 (the 16384-byte column);
#   * cargo bench --bench pades (criterion, thread CPU time, pinned): verify() of the small file
#     per second (repeat signer, cold), of the large file in MB/s, SHA-256 over the large file;
#   * one process per file (hyperfine, else a timed loop): `sigverify verify`, `pdfsig`,
#     `pyhanko sign validate` on the small file, and the three on the large file (MB/s);
#   * pyHanko in-process (benches/pyhanko_verify.py): validate_pdf_signature in a loop;
#   * peak RSS (/usr/bin/time -v, Maximum resident set size) of the three on the large file.
#
# Requirements: cargo, python3 (venv), faketime, pdfsig (poppler-utils), certutil
# (libnss3-tools: pdfsig trusts the test root through an NSS database), GNU time (/usr/bin/time);
# optional: hyperfine, taskset (pins every measurement to CPU 0). pyHanko (with pyhanko-cli) is
# installed into a venv by gen_pades.sh (PYHANKO_VENV).
# Fails (non-zero exit) when any verification does not pass: sigverify not TOTAL_PASSED,
# pdfsig not "Signature is Valid" + "Certificate is Trusted", pyHanko not VALID.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
target="${CARGO_TARGET_DIR:-$root/target}"
runs="${RUNS:-100}"
runs_large="${RUNS_LARGE:-10}"
secs_py="${SECONDS_PYHANKO:-3}"
at="2026-06-01T00:00:00Z"
pki="$root/testdata/pki/rsa"
inputs="${SIGVERIFY_PADES_INPUTS:-$target/pades-bench}"
export SIGVERIFY_PADES_INPUTS="$inputs"
venv="${PYHANKO_VENV:-$inputs/venv}"
export PYHANKO_VENV="$venv"

die() { echo "compare_pades.sh: FAILED: $*" >&2; exit 1; }
for t in python3 pdfsig certutil /usr/bin/time; do command -v "$t" >/dev/null || die "$t not found"; done
pin=()
if command -v taskset >/dev/null; then pin=(taskset -c 0); fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
results="$tmp/results.txt"
: >"$results"
put() { echo "$1=$2" >>"$results"; }

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(uname -sr), $(rustc --version)"
echo "== pinned with: ${pin[*]:-(taskset not found: not pinned)}"
echo "== load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

echo "== building"
cargo build --release --quiet --bin sigverify
cargo bench --bench pades --no-run --quiet 2>/dev/null || cargo bench --bench pades --no-run
sv="$target/release/sigverify"

echo "== inputs ($inputs)"
benches/gen_pades.sh "$inputs"
small="$inputs/small.pdf"
large="$inputs/large.pdf"
small_b=$(stat -c %s "$small")
large_b=$(stat -c %s "$large")
put small_bytes "$small_b"
put large_bytes "$large_b"
echo "small.pdf $small_b bytes, large.pdf $large_b bytes"
py="$venv/bin/python"
pyhanko="$venv/bin/pyhanko"
echo "pyHanko $("$py" -c "from importlib.metadata import version as v; print(v('pyhanko'), 'certvalidator', v('pyhanko-certvalidator'), 'cli', v('pyhanko-cli'), 'cryptography', v('cryptography'))"), $(pdfsig -v 2>&1 | head -1), $(openssl version)"

# pdfsig trusts what the NSS database trusts: the test root only.
nss="$tmp/nss"
mkdir -p "$nss"
certutil -N -d "sql:$nss" --empty-password
certutil -A -d "sql:$nss" -n sigverify-test-root -t "CT,C,C" -i "$pki/root.pem"

sv_cmd=("$sv" verify --trust-anchors-dir /nonexistent --trust-anchor "$pki/root.pem" --at "$at" --format json)
pdfsig_cmd=(pdfsig -nssdir "sql:$nss")
pyhanko_cmd=("$pyhanko" sign validate --no-revocation-check --validation-time "$at" --trust "$pki/root.pem"
    --trust-replace --executive-summary)

echo "== sanity: every tool must accept both files"
for f in "$small" "$large"; do
    out="$("${sv_cmd[@]}" "$f" || true)"
    got="$(echo "$out" | python3 -c "import json,sys; r=json.load(sys.stdin)[0]; print(r['indication'], r.get('subIndication') or '-')")"
    [ "$got" = "TOTAL_PASSED -" ] || die "sigverify on $f: $got"
    out="$("${pdfsig_cmd[@]}" "$f")"
    grep -q "Signature is Valid" <<<"$out" && grep -q "Certificate is Trusted" <<<"$out" && grep -q "Total document signed" <<<"$out" \
        || die "pdfsig on $f: $out"
    out="$("${pyhanko_cmd[@]}" "$f")" || die "pyhanko sign validate on $f: $out"
    grep -q ":VALID$" <<<"$out" || die "pyhanko sign validate on $f: $out"
    echo "$(basename "$f"): sigverify TOTAL_PASSED, pdfsig valid + trusted, pyhanko VALID"
done

echo "== openssl speed -evp sha256 -bytes 16384 -seconds 3"
"${pin[@]}" openssl speed -evp sha256 -bytes 16384 -seconds 3 >"$tmp/speed.txt" 2>/dev/null
ossl_k="$(awk '/^sha256/ {v=$NF} END {print v}' "$tmp/speed.txt" | tr -d k)"
[ -n "$ossl_k" ] || die "openssl speed output: $(cat "$tmp/speed.txt")"
put openssl_mbs "$(python3 -c "print($ossl_k * 1000 / 1e6)")"
grep -E "^(type|sha256)" "$tmp/speed.txt"

echo "== criterion: cargo bench --bench pades (one core, thread CPU time)"
rm -rf "$target"/criterion/pades_RSA-2048 "$target"/criterion/pades-50MB_RSA-2048
if ! SIGVERIFY_BENCH_CPU_TIME=1 "${pin[@]}" cargo bench --bench pades --quiet -- --warm-up-time 1 --measurement-time 3 --noplot \
    >"$tmp/criterion.log" 2>&1; then
    cat "$tmp/criterion.log" >&2
    die "cargo bench --bench pades"
fi
grep -E "^pades|thrpt:|TOTAL_PASSED|clock:" "$tmp/criterion.log" | grep -v "%" || true
est() { python3 -c "import json;print(json.load(open('$target/criterion/$1/new/estimates.json'))['mean']['point_estimate'])"; }
for id in pades_RSA-2048/small-100KB pades_RSA-2048/small-100KB_cold; do
    put "crit_${id//[^A-Za-z0-9]/_}" "$(python3 -c "print(1e9/$(est "$id"))")"
done
for id in pades-50MB_RSA-2048/verify pades-50MB_RSA-2048/sha256; do
    put "crit_${id//[^A-Za-z0-9]/_}" "$(python3 -c "print($large_b/($(est "$id")/1e9)/1e6)")"
done

# measure NAME RUNS CMD...: one process per run, pinned; NAME_wall and NAME_cpu in runs/s.
measure() {
    local name="$1" n="$2"
    shift 2
    if command -v hyperfine >/dev/null; then
        "${pin[@]}" hyperfine -N --warmup 3 --runs "$n" --export-json "$tmp/$name.json" \
            --command-name "$name" -- "$(printf '%q ' "$@")" >/dev/null 2>"$tmp/err.$name" \
            || { tail -5 "$tmp/err.$name" >&2; die "$name"; }
        python3 - "$tmp/$name.json" "$name" >>"$results" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
name = sys.argv[2]
print(f"{name}_wall={1 / r['mean']}")
print(f"{name}_cpu={1 / (r['user'] + r['system'])}")
PY
    else
        local t0 t1 cmd
        cmd="$(printf '%q ' "$@")"
        t0=$(date +%s.%N)
        "${pin[@]}" bash -c "for ((i = 0; i < $n; i++)); do $cmd >/dev/null 2>&1 || exit 1; done; times" \
            >"$tmp/times.$name" 2>"$tmp/err.$name" || die "$name"
        t1=$(date +%s.%N)
        put "${name}_wall" "$(python3 -c "print($n/($t1-$t0))")"
        put "${name}_cpu" "$(tail -1 "$tmp/times.$name" | python3 -c "
import sys, re
u, s = [sum(float(m)*60**(1-i) for i, m in enumerate(re.match(r'(\d+)m([\d.]+)s', x).groups())) for x in sys.stdin.read().split()]
print($n / (u + s))")"
    fi
    echo "$name: $(grep "^${name}_wall=" "$results" | cut -d= -f2 | xargs printf '%.1f') runs/s wall, $(grep "^${name}_cpu=" "$results" | cut -d= -f2 | xargs printf '%.1f') per CPU-second"
}

echo "== one process per file ($(command -v hyperfine >/dev/null && hyperfine --version || echo 'timed loop: hyperfine not found'))"
measure sv_small "$runs" "${sv_cmd[@]}" "$small"
measure pdfsig_small "$runs" "${pdfsig_cmd[@]}" "$small"
measure pyhanko_small "$(( runs / 5 > 10 ? runs / 5 : 10 ))" "${pyhanko_cmd[@]}" "$small"
measure sv_large "$runs_large" "${sv_cmd[@]}" "$large"
measure pdfsig_large "$runs_large" "${pdfsig_cmd[@]}" "$large"
measure pyhanko_large "$runs_large" "${pyhanko_cmd[@]}" "$large"

echo "== peak RSS on large.pdf (/usr/bin/time -v)"
rss() {
    local name="$1"
    shift
    "${pin[@]}" /usr/bin/time -v "$@" >/dev/null 2>"$tmp/rss.$name" || die "$name"
    local kb
    kb="$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$tmp/rss.$name")"
    put "rss_$name" "$kb"
    echo "$name: $kb KiB"
}
rss sv "${sv_cmd[@]}" "$large"
rss pdfsig "${pdfsig_cmd[@]}" "$large"
rss pyhanko "${pyhanko_cmd[@]}" "$large"

echo "== pyHanko in-process (${secs_py}s per file, one core)"
out="$("${pin[@]}" "$py" benches/pyhanko_verify.py "$pki/root.pem" "$secs_py" "$small" "$large")" || die "pyHanko in-process"
echo "$out"
put pyin_small "$(echo "$out" | grep '^small.pdf' | sed 's/.*per_cpu_sec=//')"
put pyin_large "$(python3 -c "print($(echo "$out" | grep '^large.pdf' | sed 's/.*per_cpu_sec=//') * $large_b / 1e6)")"
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$results" "$runs" "$runs_large" <<'PY'
import sys
r = {k: float(v) for k, v in (l.strip().split("=", 1) for l in open(sys.argv[1]) if l.strip())}
runs, runs_large = sys.argv[2], sys.argv[3]
mb = r["large_bytes"] / 1e6
def num(v):
    return f"{v:>12,.1f}" if v < 1000 else f"{v:>12,.0f}"
def row(what, sv, pdfsig=None, pyhanko=None):
    cells = "".join(num(p) if p else f"{'-':>12}" for p in (pdfsig, pyhanko))
    ratios = "".join(f"{sv / p:>9.2f}x" if p else f"{'-':>10}" for p in (pdfsig, pyhanko))
    print(f"{what:<46}{num(sv)}{cells}{ratios}")
print()
print(f"small.pdf ({r['small_bytes']:,.0f} bytes), verifications/s; large.pdf ({r['large_bytes']:,.0f} bytes), MB/s")
print(f"{'':<46}{'sigverify':>12}{'pdfsig':>12}{'pyHanko':>12}{'/pdfsig':>10}{'/pyHanko':>10}")
print("-" * 102)
row("small, in-process, repeat signer (CPU)", r["crit_pades_RSA_2048_small_100KB"], pyhanko=r["pyin_small"])
row("small, in-process, cold (CPU)", r["crit_pades_RSA_2048_small_100KB_cold"], pyhanko=r["pyin_small"])
row(f"small, per process, CPU ({runs} runs)", r["sv_small_cpu"], r["pdfsig_small_cpu"], r["pyhanko_small_cpu"])
row(f"small, per process, wall ({runs} runs)", r["sv_small_wall"], r["pdfsig_small_wall"], r["pyhanko_small_wall"])
row("large, in-process MB/s (CPU)", r["crit_pades_50MB_RSA_2048_verify"], pyhanko=r["pyin_large"])
row(f"large, per process MB/s, wall ({runs_large} runs)", r["sv_large_wall"] * mb, r["pdfsig_large_wall"] * mb, r["pyhanko_large_wall"] * mb)
row(f"large, per process MB/s, CPU ({runs_large} runs)", r["sv_large_cpu"] * mb, r["pdfsig_large_cpu"] * mb, r["pyhanko_large_cpu"] * mb)
row("large, peak RSS MiB", r["rss_sv"] / 1024, r["rss_pdfsig"] / 1024, r["rss_pyhanko"] / 1024)
print("in-process rows: pyHanko's validate_pdf_signature in a Python loop, a new ValidationContext each time")
print()
sha_in = r["crit_pades_50MB_RSA_2048_sha256"]
ossl = r["openssl_mbs"]
big = r["crit_pades_50MB_RSA_2048_verify"]
cli = r["sv_large_wall"] * mb
print(f"SHA-256 ceiling: openssl speed (16 KiB blocks) {ossl:,.0f} MB/s; HashAlg::Sha256 over large.pdf in the bench {sha_in:,.0f} MB/s")
def target(what, ok, detail):
    print(f"{what:<58} {detail:<34} {'MET' if ok else 'NOT MET'}")
print()
small = r["crit_pades_RSA_2048_small_100KB"]
target("small.pdf in-process, one core >= 3,000/s", small >= 3000, f"{small:,.0f}/s")
target("large.pdf in-process >= 80% of openssl SHA-256", big >= 0.8 * ossl, f"{big:,.0f} MB/s = {100 * big / ossl:.0f}%")
target("large.pdf per CLI run (wall) >= 80% of openssl SHA-256", cli >= 0.8 * ossl, f"{cli:,.0f} MB/s = {100 * cli / ossl:.0f}%")
target("large.pdf CLI peak RSS < 64 MB", r["rss_sv"] * 1024 < 64e6, f"{r['rss_sv'] * 1024 / 1e6:,.1f} MB ({r['rss_sv']:,.0f} KiB)")
PY

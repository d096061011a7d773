#!/usr/bin/env bash
# XAdES and ASiC-E verification rates: sigverify vs xmlsec1 (and Python signxml when it is
# installed) on the same xmlsec1-signed inputs of testdata/xml/, in one run.
#
#   benches/compare_xml.sh
#   N=200 SECONDS_SIGNXML=3 SIGNXML_PYTHON=/path/to/venv/bin/python benches/compare_xml.sh
#
# Requirements: cargo, xmlsec1 (OpenSSL backend), python3, unzip; optional: taskset (util-linux,
# pins every measurement to CPU 0), signxml for SIGNXML_PYTHON (default python3).
# Fails (non-zero exit) when any verification in any measurement does not pass: sigverify not
# TOTAL_PASSED, xmlsec1 or signxml not successful.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
target="${CARGO_TARGET_DIR:-$root/target}"
n="${N:-200}"
secs_signxml="${SECONDS_SIGNXML:-3}"
py="${SIGNXML_PYTHON:-python3}"
at="2026-06-01T00:00:00Z"
at_xmlsec="2026-06-01 00:00:00"
pki="$root/testdata/pki/rsa"
xades_in="$root/testdata/xml/enveloped-rsa.xml"
asice_in="$root/testdata/xml/asic-one-file.asice"

die() { echo "compare_xml.sh: FAILED: $*" >&2; exit 1; }
for t in xmlsec1 python3 unzip; do command -v "$t" >/dev/null || die "$t not found"; done
pin=()
if command -v taskset >/dev/null; then pin=(taskset -c 0); fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
results="$tmp/results.txt"
: >"$results"
put() { echo "$1=$2" >>"$results"; }

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(xmlsec1 --version)"
echo "== pinned with: ${pin[*]:-(taskset not found: not pinned)}"
echo "== load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

echo "== building"
cargo build --release --quiet --bin sigverify
cargo bench --bench xml --no-run --quiet 2>/dev/null || cargo bench --bench xml --no-run
sv="$target/release/sigverify"

echo "== criterion: cargo bench --bench xml (one core, thread CPU time)"
rm -rf "$target"/criterion/xades_RSA-2048 "$target"/criterion/asice_RSA-2048
if ! SIGVERIFY_BENCH_CPU_TIME=1 "${pin[@]}" cargo bench --bench xml --quiet -- --warm-up-time 1 --measurement-time 3 --noplot \
    >"$tmp/criterion.log" 2>&1; then
    cat "$tmp/criterion.log" >&2
    die "cargo bench --bench xml"
fi
grep -E "^(xades|asice)/|thrpt:|TOTAL_PASSED|clock:" "$tmp/criterion.log" | grep -v "%" || true
for id in xades_RSA-2048/enveloped xades_RSA-2048/enveloped_cold \
    asice_RSA-2048/one-2KiB-file asice_RSA-2048/one-2KiB-file_cold; do
    f="$target/criterion/$id/new/estimates.json"
    [ -f "$f" ] || die "missing criterion result $f"
    put "sv_${id//[^A-Za-z0-9]/_}" "$(python3 -c "import json;print(1e9/json.load(open('$f'))['mean']['point_estimate'])")"
done

echo "== inputs: $n copies of each file"
mkdir -p "$tmp/xades" "$tmp/asice" "$tmp/asice-x" "$tmp/out"
for ((i = 0; i < n; i++)); do
    cp "$xades_in" "$tmp/xades/f$i.xml"
    cp "$asice_in" "$tmp/asice/f$i.asice"
    # xmlsec1 knows no containers: each copy unzipped into a directory of its own (not timed)
    mkdir -p "$tmp/asice-x/f$i"
    unzip -q "$asice_in" -d "$tmp/asice-x/f$i"
done

# timed NAME SCRIPT: runs `bash -c SCRIPT` pinned under /usr/bin/time-like accounting
# (wall from date, CPU from the children's rusage via `times`); the script must exit 0.
timed() {
    local name="$1" script="$2"
    local t0 t1
    t0=$(date +%s.%N)
    "${pin[@]}" bash -c "$script; times" >"$tmp/times.$name" 2>"$tmp/err.$name" \
        || { tail -5 "$tmp/err.$name" >&2; die "$name"; }
    t1=$(date +%s.%N)
    # last line of `times`: user and system time of the children
    local cpu
    cpu=$(tail -1 "$tmp/times.$name" | python3 -c "
import sys, re
u, s = [sum(float(m)*60**(1-i) for i, m in enumerate(re.match(r'(\d+)m([\d.]+)s', x).groups())) for x in sys.stdin.read().split()]
print(u + s)")
    put "${name}_wall" "$(python3 -c "print($n/($t1-$t0))")"
    put "${name}_cpu" "$(python3 -c "print($n/$cpu)")"
    echo "$name: $n files, wall $(python3 -c "print(f'{($t1-$t0)*1e3/$n:.2f}')") ms/file, CPU $(python3 -c "print(f'{$cpu*1e3/$n:.2f}')") ms/file"
}

echo "== one process per file: xmlsec1 --verify"
xs=(xmlsec1 --verify --trusted-pem "$pki/root.pem" --verification-gmt-time "'$at_xmlsec'" --id-attr:Id SignedProperties)
timed xmlsec_xades "for f in $tmp/xades/*.xml; do ${xs[*]} \"\$f\" 2>/dev/null || { echo \"xmlsec1 fails on \$f\" >&2; exit 1; }; done"
timed xmlsec_asice "for d in $tmp/asice-x/f*; do cd \"\$d\" && ${xs[*]} --url-map:hello.txt hello.txt META-INF/signatures0.xml 2>/dev/null || { echo \"xmlsec1 fails in \$d\" >&2; exit 1; }; done"

echo "== one process per file: sigverify verify"
svc=("$sv" verify --trust-anchors-dir /nonexistent --trust-anchor "$pki/root.pem" --at "$at" --format json)
for kind in xades asice; do
    timed "svcli_$kind" "i=0; for f in $tmp/$kind/f*; do ${svc[*]} \"\$f\" >$tmp/out/$kind.\$i.json || { echo \"sigverify: \$f not TOTAL_PASSED\" >&2; exit 1; }; i=\$((i+1)); done"
    passed=$(python3 -c "
import json, glob
print(sum(json.load(open(p))[0]['indication'] == 'TOTAL_PASSED' for p in glob.glob('$tmp/out/$kind.*.json')))")
    [ "$passed" -eq "$n" ] || die "only $passed of $n $kind files TOTAL_PASSED"
done

echo "== signxml in-process (${secs_signxml}s per file, one core)"
if "$py" -c "import signxml" 2>/dev/null; then
    echo "signxml $("$py" -c "from importlib.metadata import version as v; print(v('signxml'), 'lxml', v('lxml'), 'cryptography', v('cryptography'))")"
    out="$("${pin[@]}" "$py" benches/signxml_verify.py "$pki/root.pem" "$secs_signxml" "$xades_in" "$asice_in")" \
        || die "signxml verification"
    echo "$out"
    put signxml_xades "$(echo "$out" | grep '^enveloped-rsa.xml' | sed 's/.*per_cpu_sec=//')"
    put signxml_asice "$(echo "$out" | grep '^asic-one-file.asice' | sed 's/.*per_cpu_sec=//')"
else
    echo "signxml not importable by $py: skipped (pip install signxml, or SIGNXML_PYTHON=<venv>/bin/python)"
fi
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$results" "$n" <<'PY'
import sys
r = {k: float(v) for k, v in (l.strip().split("=", 1) for l in open(sys.argv[1]) if l.strip())}
n = int(sys.argv[2])
def row(what, sv, peer, target=None):
    ratio = f"{sv / peer:>7.2f}x" if peer else f"{'-':>8}"
    p = f"{peer:>10,.0f}" if peer else f"{'-':>10}"
    t = f"  >= {target:,}  {'MET' if sv >= target else 'NOT MET'}" if target else ""
    print(f"{what:<46} {sv:>10,.0f} {p} {ratio}{t}")
print()
print(f"{'verifications per CPU-second (one core)':<46} {'sigverify':>10} {'peer':>10} {'ratio':>8}  target")
print("-" * 96)
for kind, label, fn, target in (("xades", "XAdES-B enveloped, RSA-2048", "xades_RSA_2048_enveloped", 5000),
                                ("asice", "ASiC-E one 2 KiB file, RSA-2048", "asice_RSA_2048_one_2KiB_file", 4000)):
    sx = r.get(f"signxml_{kind}")
    print(f"{label}:")
    row("  in-process, repeat signer (1 sig check)", r[f"sv_{fn}"], sx, target)
    row("  in-process, cold, no cache (3)", r[f"sv_{fn}_cold"], sx)
    row(f"  one process per file, CPU ({n} files)", r[f"svcli_{kind}_cpu"], r[f"xmlsec_{kind}_cpu"])
    row(f"  one process per file, wall ({n} files)", r[f"svcli_{kind}_wall"], r[f"xmlsec_{kind}_wall"])
print("\npeer: signxml in-process (no cache: the cold amount of work) for the in-process rows,"
      " `xmlsec1 --verify` per process for the others (ASiC-E: only the XAdES part of the unzipped"
      " container; the unzip is not timed). '-': signxml not installed.")
PY

#!/usr/bin/env bash
# Makes the PAdES benchmark inputs (small.pdf ~100 KB, large.pdf ~50 MB; see gen_pades.py)
# into OUT_DIR, by default ${CARGO_TARGET_DIR:-target}/pades-bench, where benches/pades.rs and
# benches/compare_pades.sh look for them. Existing inputs are kept (FORCE=1 to remake them).
#
#   benches/gen_pades.sh [OUT_DIR]
#
# Needs python3 (with venv), faketime, network access to PyPI the first time: pyHanko is
# installed into a venv (PYHANKO_VENV, by default OUT_DIR/venv) with
# `pip install pyHanko pyhanko-certvalidator pyhanko-cli`; compare_pades.sh uses the same venv.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-${CARGO_TARGET_DIR:-$root/target}/pades-bench}"
venv="${PYHANKO_VENV:-$out/venv}"
die() { echo "gen_pades.sh: $*" >&2; exit 1; }
for t in python3 faketime; do command -v "$t" >/dev/null || die "$t not found"; done
mkdir -p "$out"
if ! "$venv/bin/python" -c 'import pyhanko, pyhanko_certvalidator, pyhanko.cli' 2>/dev/null; then
    echo "gen_pades.sh: installing pyHanko into $venv" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet pyHanko pyhanko-certvalidator pyhanko-cli
fi
if [ "${FORCE:-0}" != 1 ] && [ -s "$out/small.pdf" ] && [ -s "$out/large.pdf" ] \
    && [ "$out/large.pdf" -nt "$root/benches/gen_pades.py" ]; then
    echo "gen_pades.sh: inputs already in $out (FORCE=1 to remake)" >&2
    exit 0
fi
# Fixed clock: signing time /M 2026-01-15T12:00:00Z (the benchmark validates at 2026-06-01).
TZ=UTC faketime '2026-01-15 12:00:00' "$venv/bin/python" "$root/benches/gen_pades.py" "$out"

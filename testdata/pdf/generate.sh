#!/usr/bin/env bash
# Regenerate testdata/pdf/ (signed PDFs and PDF signature attack files).
# Usage, from anywhere: testdata/pdf/generate.sh [python-with-pyhanko]
# Needs python3 with pyHanko (tested 0.38.0), openssl, faketime; pdfsig (poppler-utils) optional.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
py="${1:-${PYTHON:-python3}}"
for tool in "$py" openssl faketime; do
    command -v "$tool" >/dev/null || { echo "generate.sh: $tool not found" >&2; exit 1; }
done
"$py" -c 'import pyhanko' 2>/dev/null || { echo "generate.sh: $py has no pyhanko (pip install pyhanko)" >&2; exit 1; }
# Fixed clock: signing time (/M, CMS signingTime) 2026-01-15T12:00:00Z.
export TZ=UTC
exec faketime '2026-01-15 12:00:00' "$py" "$here/generate.py"

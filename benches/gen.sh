#!/usr/bin/env bash
# Generates benches/data/ (skips what is already present). See gen.py.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec python3 "$here/gen.py" "$@"

#!/usr/bin/env bash
# Regenerate testdata/xml/ (XML-DSig / XAdES / ASiC-E test files signed by xmlsec1).
# Usage, from anywhere: testdata/xml/generate.sh
# Needs python3 (standard library only), xmlsec1 (tested 1.2.37, OpenSSL backend), openssl.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
for tool in python3 xmlsec1 openssl; do
    command -v "$tool" >/dev/null || { echo "generate.sh: $tool not found" >&2; exit 1; }
done
exec python3 "$here/generate.py" "$@"

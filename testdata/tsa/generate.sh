#!/usr/bin/env bash
# Regenerate testdata/tsa/: time-stamping authority (TSA) certificates under the rsa test PKI
# and RFC 3161 time-stamp tokens over data.txt. Read README.md beside this script.
# Usage, from anywhere: testdata/tsa/generate.sh
# Needs openssl (tested 3.0.19) and faketime (tested 0.9.10).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
pki="$here/../pki/rsa"
for tool in openssl faketime; do
    command -v "$tool" >/dev/null || { echo "generate.sh: $tool not found" >&2; exit 1; }
done
export TZ=UTC
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$here"
rm -f ./*.pem ./*.key ./*.tst ./*.tsq checks.txt

# The covered data: fixed text.
printf 'sigverify time-stamp test data: invoice 2026-001\n' > data.txt

# --- TSA certificates, issued by the rsa ica, valid 2024-01-01..2040-01-01 ------------------
# name  serial  extendedKeyUsage line of the certificate's extension section
certs=(
    "tsa 0x7501 critical,timeStamping"
    "tsa-eku-noncritical 0x7502 timeStamping"
    "tsa-eku-other 0x7503 critical,timeStamping,emailProtection"
)
for spec in "${certs[@]}"; do
    read -r name serial eku <<<"$spec"
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$name.key" 2>/dev/null
    cat > "$work/$name.ext" <<EXT
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation
extendedKeyUsage = $eku
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EXT
    openssl req -new -key "$name.key" -subj "/C=CH/O=sigverify test/CN=Test TSA ($name)" -out "$work/$name.csr"
    faketime '2024-01-01 00:00:00' openssl x509 -req -in "$work/$name.csr" -CA "$pki/ica.pem" -CAkey "$pki/ica.key" \
        -set_serial "$serial" -days 5844 -sha256 -extfile "$work/$name.ext" -out "$name.pem" 2>/dev/null
done

# --- tokens over data.txt at 2026-01-15T12:00:00Z ---------------------------------------------
cat > "$work/ts.cnf" <<CNF
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
dir = $work
serial = $work/serial
crypto_device = builtin
signer_cert = $here/tsa.pem
certs = $pki/ica.pem
signer_key = $here/tsa.key
signer_digest = sha256
default_policy = 1.3.6.1.4.1.99999.1
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = no
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = sha256
CNF
echo 0100 > "$work/serial"
openssl ts -query -data data.txt -sha256 -cert -no_nonce -out "$work/query.tsq"
# tsa.tst: made by openssl's TSA (ts -reply), which signs only with a certificate whose
# extendedKeyUsage is exactly timeStamping and critical.
faketime '2026-01-15 12:00:00' openssl ts -reply -config "$work/ts.cnf" -queryfile "$work/query.tsq" \
    -token_out -out tsa.tst 2>/dev/null
# The other TSAs: openssl ts -reply refuses their certificates, so the same TSTInfo is signed
# with `openssl cms -sign` (eContentType id-ct-TSTInfo, ESS signing-certificate-v2 by -cades).
openssl cms -verify -noverify -inform DER -in tsa.tst -out "$work/tstinfo.der" 2>/dev/null
for name in tsa-eku-noncritical tsa-eku-other; do
    faketime '2026-01-15 12:00:00' openssl cms -sign -binary -nodetach -cades -md sha256 \
        -econtent_type 1.2.840.113549.1.9.16.1.4 -in "$work/tstinfo.der" \
        -signer "$name.pem" -inkey "$name.key" -certfile "$pki/ica.pem" -outform DER -out "$name.tst"
done

# --- cross-checks (openssl ts -verify; written to checks.txt) -------------------------------
at=$(date -d 2026-06-01T00:00:00Z +%s)
{
    for name in tsa tsa-eku-noncritical tsa-eku-other; do
        printf '%s: ' "$name.tst"
        if out=$(openssl ts -verify -data data.txt -in "$name.tst" -token_in -CAfile "$pki/root.pem" \
            -untrusted "$pki/ica.pem" -attime "$at" 2>&1); then
            echo "openssl ts -verify: OK"
        else
            echo "openssl ts -verify: FAILED ($(grep -o 'Verify error:.*' <<<"$out" | head -1))"
        fi
    done
} > checks.txt
cat checks.txt
grep -q '^tsa.tst: openssl ts -verify: OK' checks.txt || { echo "generate.sh: tsa.tst does not verify" >&2; exit 1; }
grep -q '^tsa-eku-noncritical.tst: .*unsuitable certificate purpose' checks.txt || { echo "generate.sh: openssl accepts a non-critical EKU" >&2; exit 1; }
grep -q '^tsa-eku-other.tst: .*unsuitable certificate purpose' checks.txt || { echo "generate.sh: openssl accepts another EKU" >&2; exit 1; }

#!/usr/bin/env bash
# Regenerates the inputs of benches/revocation.rs (see README.md beside this script): one CAdES
# signature by the rsa test leaf, as B-B, with a signature time-stamp (B-T), and with the time-
# stamp and OCSP responses for the leaf, the TSA and their issuing CA (B-LT-like). Run from anywhere:
#
#     bash testdata/revocation-bench/generate.sh
#
# Needs openssl (tested 3.0.19), faketime (tested 0.9.10) and python3 (standard library only,
# splice.py). Reuses the keys and certificates of testdata/pki/rsa and testdata/tsa/tsa.{pem,key}.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PKI=$HERE/../pki/rsa
TSA=$HERE/../tsa
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export TZ=UTC
for tool in openssl faketime python3; do
    command -v "$tool" >/dev/null || { echo "generate.sh: $tool not found" >&2; exit 1; }
done

SIGNED="2026-01-15 12:00:00"   # signingTime
STAMPED="2026-01-15 12:01:00"  # the time-stamp's genTime
CHECKED="2026-01-15 12:30:00"  # the OCSP responses' producedAt / thisUpdate (nextUpdate + 7 days)

cd "$HERE"
rm -f ./*.p7m ./*.der ./*.tst content.txt checks.txt

# The signed content: 2 KiB of fixed text.
python3 -c 'import sys; sys.stdout.write(("sigverify revocation bench content. " * 64)[:2048])' > content.txt

# --- CAdES-B: attached, SHA-256, signingTime + ESS signing-certificate-v2, ICA embedded ------
faketime "$SIGNED" openssl cms -sign -binary -nodetach -cades -md sha256 -in content.txt \
    -signer "$PKI/leaf.pem" -inkey "$PKI/leaf.key" -certfile "$PKI/ica.pem" -outform DER -out cades-b.p7m

# --- time-stamp token over the signature value (CAdES signature-time-stamp) ------------------
python3 splice.py sigvalue cades-b.p7m "$TMP/sigvalue.bin"
cat > "$TMP/ts.cnf" <<CNF
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
dir = $TMP
serial = $TMP/serial
crypto_device = builtin
signer_cert = $TSA/tsa.pem
certs = $PKI/ica.pem
signer_key = $TSA/tsa.key
signer_digest = sha256
default_policy = 1.3.6.1.4.1.99999.1
digests = sha256
accuracy = secs:1
ordering = no
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = sha256
CNF
echo 0200 > "$TMP/serial"
openssl ts -query -data "$TMP/sigvalue.bin" -sha256 -cert -no_nonce -out "$TMP/query.tsq" 2>/dev/null
faketime "$STAMPED" openssl ts -reply -config "$TMP/ts.cnf" -queryfile "$TMP/query.tsq" \
    -token_out -out signature.tst 2>/dev/null

# --- OCSP: the leaf and the TSA by their issuing CA, the issuing CA by the root (CA-signed) ---
serial() { openssl x509 -in "$1" -noout -serial | cut -d= -f2; }
subject() { openssl x509 -in "$1" -noout -subject -nameopt compat | sed 's/^subject=//'; }
printf 'V\t400101000000Z\t\t%s\tunknown\t%s\n' "$(serial "$PKI/leaf.pem")" "$(subject "$PKI/leaf.pem")" > "$TMP/index-ica.txt"
printf 'V\t400101000000Z\t\t%s\tunknown\t%s\n' "$(serial "$TSA/tsa.pem")" "$(subject "$TSA/tsa.pem")" >> "$TMP/index-ica.txt"
printf 'V\t450101000000Z\t\t%s\tunknown\t%s\n' "$(serial "$PKI/ica.pem")" "$(subject "$PKI/ica.pem")" > "$TMP/index-root.txt"
faketime "$CHECKED" openssl ocsp -no_nonce -ndays 7 -index "$TMP/index-ica.txt" -rsigner "$PKI/ica.pem" \
    -rkey "$PKI/ica.key" -CA "$PKI/ica.pem" -issuer "$PKI/ica.pem" -cert "$PKI/leaf.pem" -respout ocsp-leaf.der >/dev/null
faketime "$CHECKED" openssl ocsp -no_nonce -ndays 7 -index "$TMP/index-ica.txt" -rsigner "$PKI/ica.pem" \
    -rkey "$PKI/ica.key" -CA "$PKI/ica.pem" -issuer "$PKI/ica.pem" -cert "$TSA/tsa.pem" -respout ocsp-tsa.der >/dev/null
faketime "$CHECKED" openssl ocsp -no_nonce -ndays 7 -index "$TMP/index-root.txt" -rsigner "$PKI/root.pem" \
    -rkey "$PKI/root.key" -CA "$PKI/root.pem" -issuer "$PKI/root.pem" -cert "$PKI/ica.pem" -respout ocsp-ica.der >/dev/null

# --- the three bench inputs (and the revocation-values form of the third) -------------------
python3 splice.py extend cades-b.p7m cades-t.p7m --tst signature.tst
python3 splice.py extend cades-b.p7m cades-lt.p7m --tst signature.tst \
    --ocsp-ric ocsp-leaf.der --ocsp-ric ocsp-ica.der --ocsp-ric ocsp-tsa.der
python3 splice.py extend cades-b.p7m cades-lt-rv.p7m --tst signature.tst \
    --ocsp-rv ocsp-leaf.der --ocsp-rv ocsp-ica.der --ocsp-rv ocsp-tsa.der

# --- cross-checks with openssl; the log goes to checks.txt, the run fails on a disagreement --
cat "$PKI/root.pem" "$PKI/ica.pem" > "$TMP/chain.pem"
at=$(date -d 2026-06-01T00:00:00Z +%s)
{
    for f in cades-b cades-t cades-lt cades-lt-rv; do
        printf '%s.p7m: openssl cms -verify: ' "$f"
        if openssl cms -verify -binary -inform DER -in "$f.p7m" -CAfile "$PKI/root.pem" -attime "$at" \
            -out "$TMP/out.txt" 2>/dev/null && cmp -s "$TMP/out.txt" content.txt; then
            echo OK
        else
            echo FAILED
        fi
    done
    printf 'signature.tst: openssl ts -verify over the signature value: '
    if openssl ts -verify -data "$TMP/sigvalue.bin" -in signature.tst -token_in -CAfile "$PKI/root.pem" \
        -untrusted "$PKI/ica.pem" -attime "$at" >/dev/null 2>&1; then echo OK; else echo FAILED; fi
    for r in leaf:ica:pki/rsa/leaf ica:root:pki/rsa/ica tsa:ica:tsa/tsa; do
        IFS=: read -r name issuer cert <<<"$r"
        printf 'ocsp-%s.der: ' "$name"
        faketime "$CHECKED" openssl ocsp -respin "ocsp-$name.der" -issuer "$PKI/$issuer.pem" -cert "$HERE/../$cert.pem" \
            -CAfile "$TMP/chain.pem" -no_nonce 2>&1 | tr '\n' ' ' | sed 's|/[^ ]*/testdata/||g; s/ *$//'
        echo
    done
} > checks.txt
cat checks.txt
if grep -q FAILED checks.txt; then echo "generate.sh: openssl disagrees" >&2; exit 1; fi
[ "$(grep -c 'Response verify OK.*: good' checks.txt)" = 3 ] || { echo "generate.sh: OCSP not good" >&2; exit 1; }

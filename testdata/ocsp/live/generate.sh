#!/usr/bin/env bash
# Regenerates the live-OCSP test PKI of testdata/ocsp/live/ (see README.md there) from the rsa
# test PKI of testdata/pki/ (testdata/gen/generate.py). Run from anywhere:
#
#     bash testdata/ocsp/live/generate.sh
#
# Needs openssl (tested 3.0.19) and faketime (tested 0.9.10). Keys, serial numbers and
# signatures change per run; the tests read the files, never a fixed value.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
PKI=$HERE/../../pki
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
ICA=$PKI/rsa/ica.pem ICA_KEY=$PKI/rsa/ica.key ROOT=$PKI/rsa/root.pem ROOT_KEY=$PKI/rsa/root.key
SIGNED_AT="2026-02-01 12:00:00"

at() { faketime "$1" "${@:2}"; }

cd "$HERE"
rm -f ./*.pem ./*.key ./*.txt ./*.p7s ./*.crl

# The leaves name their responder by a reserved name (RFC 2606 .test): the tests map it to
# the loopback port of the responder they start.
cat > "$TMP/ext.cnf" <<'CNF'
[leaf]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
authorityInfoAccess = OCSP;URI:http://ocsp.sigverify.test/, caIssuers;URI:http://ca.sigverify.test/ica.crt
CNF

# leaf NAME SUBJECT-CN: a leaf under the rsa ICA, and a CMS it signed (attached content,
# signingTime SIGNED_AT, after the revocation of leaf-revoked).
leaf() {
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1.key" 2>/dev/null
    openssl req -new -key "$1.key" -subj "/C=CH/O=sigverify Test PKI/CN=$2" -out "$TMP/$1.csr"
    at "2024-01-01 00:00:00" openssl x509 -req -in "$TMP/$1.csr" -CA "$ICA" -CAkey "$ICA_KEY" \
        -set_serial "0x$(openssl rand -hex 16)" -days 7300 -sha256 -extfile "$TMP/ext.cnf" \
        -extensions leaf -out "$1.pem" 2>/dev/null
    printf 'live OCSP test content\n' > "$TMP/content.txt"
    at "$SIGNED_AT" openssl cms -sign -in "$TMP/content.txt" -signer "$1.pem" -inkey "$1.key" \
        -binary -nodetach -md sha256 -outform DER -out "$1.p7s"
    rm "$1.key"
}
leaf leaf-good "Live Good Signer"
leaf leaf-revoked "Live Revoked Signer"
leaf leaf-unknown "Live Unknown Signer"

serial() { openssl x509 -in "$1" -noout -serial | cut -d= -f2; }
subject() { openssl x509 -in "$1" -noout -subject -nameopt compat | sed 's/^subject=//'; }
# The ICA's index: good listed valid, revoked on 2025-12-01 (keyCompromise), unknown absent.
printf 'V\t440101000000Z\t\t%s\tunknown\t%s\n' "$(serial leaf-good.pem)" "$(subject leaf-good.pem)" > index.txt
printf 'R\t440101000000Z\t251201000000Z,keyCompromise\t%s\tunknown\t%s\n' \
    "$(serial leaf-revoked.pem)" "$(subject leaf-revoked.pem)" >> index.txt

# The root's CRL, empty, current until 2046: the ICA's status for a policy that requires one.
mkdir -p "$TMP/ca"
: > "$TMP/ca/index.txt"
echo 1000 > "$TMP/ca/crlnumber"
cat > "$TMP/ca/ca.cnf" <<CNF
[ca]
default_ca = CA_default
[CA_default]
database = $TMP/ca/index.txt
crlnumber = $TMP/ca/crlnumber
default_md = sha256
[crl_ext]
authorityKeyIdentifier = keyid:always
CNF
at "2026-01-01 00:00:00" openssl ca -gencrl -config "$TMP/ca/ca.cnf" -cert "$ROOT" -keyfile "$ROOT_KEY" \
    -crldays 7300 -crlexts crl_ext -out "$TMP/root.pem.crl" 2>/dev/null
openssl crl -in "$TMP/root.pem.crl" -outform DER -out root.crl

# Cross-check: the leaves verify under the ICA and carry the responder URL.
for l in leaf-good leaf-revoked leaf-unknown; do
    openssl verify -attime 1767225600 -CAfile "$ROOT" -untrusted "$ICA" "$l.pem" >/dev/null
    openssl x509 -in "$l.pem" -noout -ocsp_uri | grep -qx 'http://ocsp.sigverify.test/'
done
echo "live OCSP test PKI written to $HERE"

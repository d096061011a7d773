#!/usr/bin/env bash
# Regenerates the OCSP test responses of testdata/ocsp/ (see README.md there) from the test PKI
# of testdata/pki/ (testdata/gen/generate.py). Run from anywhere:
#
#     bash testdata/ocsp/generate.sh
#
# Needs openssl (tested 3.0.19) and faketime (tested 0.9.10). Responses are produced at the fixed
# time NOW below (the stale one earlier); keys, serial numbers and signatures change per run.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
PKI=$HERE/../pki
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
NOW="2026-01-15 12:00:00"

ft() { faketime -f "@$1" "${@:2}"; }
at() { faketime "$1" "${@:2}"; }

RSA_ICA=$PKI/rsa/ica.pem RSA_ICA_KEY=$PKI/rsa/ica.key RSA_LEAF=$PKI/rsa/leaf.pem
P256_ICA=$PKI/p256/ica.pem P256_ICA_KEY=$PKI/p256/ica.key P256_LEAF=$PKI/p256/leaf.pem

cd "$HERE"
rm -f ./*.der ./*.pem ./*.key ./*.txt

cat > "$TMP/ext.cnf" <<'CNF'
[leaf]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
[responder]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = OCSPSigning
noCheck = ignored
[responder_noeku]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
[responder_nonocheck]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = OCSPSigning
CNF

# issue NAME SUBJECT-CN EXT-SECTION CA-CERT CA-KEY START-TIME DAYS
issue() {
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1.key" 2>/dev/null
    openssl req -new -key "$1.key" -subj "/C=CH/O=sigverify Test PKI/CN=$2" -out "$TMP/$1.csr"
    at "$6" openssl x509 -req -in "$TMP/$1.csr" -CA "$4" -CAkey "$5" -set_serial "0x$(openssl rand -hex 16)" \
        -days "$7" -sha256 -extfile "$TMP/ext.cnf" -extensions "$3" -out "$1.pem" 2>/dev/null
}

# A second leaf under the rsa ICA, to be revoked.
issue leaf-revoked "Revoked Signer RSA" leaf "$RSA_ICA" "$RSA_ICA_KEY" "2024-01-01 00:00:00" 3650
rm leaf-revoked.key
# Delegated responders issued by the rsa ICA: with id-kp-OCSPSigning and ocsp-nocheck; without
# the EKU; with the EKU but no nocheck; with the EKU but expired before NOW.
issue responder "sigverify RSA OCSP Responder" responder "$RSA_ICA" "$RSA_ICA_KEY" "2025-01-01 00:00:00" 730
issue responder-noeku "sigverify RSA No-EKU Responder" responder_noeku "$RSA_ICA" "$RSA_ICA_KEY" "2025-01-01 00:00:00" 730
issue responder-nonocheck "sigverify RSA Checked Responder" responder_nonocheck "$RSA_ICA" "$RSA_ICA_KEY" "2025-01-01 00:00:00" 730
issue responder-expired "sigverify RSA Expired Responder" responder "$RSA_ICA" "$RSA_ICA_KEY" "2024-01-01 00:00:00" 366
# A responder with the EKU issued by another CA (the p256 ICA).
issue responder-foreign "sigverify Foreign OCSP Responder" responder "$P256_ICA" "$P256_ICA_KEY" "2025-01-01 00:00:00" 730

serial() { openssl x509 -in "$1" -noout -serial | cut -d= -f2; }
subject() { openssl x509 -in "$1" -noout -subject -nameopt compat | sed 's/^subject=//'; }
# index.txt of the rsa ICA: the leaf good, leaf-revoked revoked on 2025-12-01 (keyCompromise).
printf 'V\t400101000000Z\t\t%s\tunknown\t%s\n' "$(serial "$RSA_LEAF")" "$(subject "$RSA_LEAF")" > index-rsa.txt
printf 'R\t360101000000Z\t251201000000Z,keyCompromise\t%s\tunknown\t%s\n' \
    "$(serial leaf-revoked.pem)" "$(subject leaf-revoked.pem)" >> index-rsa.txt
printf 'V\t400101000000Z\t\t%s\tunknown\t%s\n' "$(serial "$P256_LEAF")" "$(subject "$P256_LEAF")" > index-p256.txt
# An index that does not list the rsa leaf (its status is then unknown).
grep -v "$(serial "$RSA_LEAF")" index-rsa.txt > index-rsa-without-leaf.txt

# respond OUT TIME INDEX SIGNER-CERT SIGNER-KEY CA ISSUER CERT [openssl ocsp options...]
respond() {
    local out=$1 time=$2 index=$3 rcert=$4 rkey=$5 ca=$6 issuer=$7 cert=$8
    shift 8
    # Options first: openssl reads a CertID digest option only before -cert.
    at "$time" openssl ocsp "$@" -index "$index" -rsigner "$rcert" -rkey "$rkey" -CA "$ca" \
        -issuer "$issuer" -cert "$cert" -respout "$out" >/dev/null
}
rsa() { respond "$1" "$2" index-rsa.txt "$3" "$4" "$RSA_ICA" "$RSA_ICA" "$5" "${@:6}"; }
CA=("$RSA_ICA" "$RSA_ICA_KEY")

rsa good-ca.der "$NOW" "${CA[@]}" "$RSA_LEAF" -no_nonce -ndays 7
rsa good-ca-keyid.der "$NOW" "${CA[@]}" "$RSA_LEAF" -no_nonce -ndays 7 -resp_key_id
rsa good-ca-sha256-certid.der "$NOW" "${CA[@]}" "$RSA_LEAF" -no_nonce -ndays 7 -sha256
rsa good-ca-no-next-update.der "$NOW" "${CA[@]}" "$RSA_LEAF" -no_nonce
rsa good-delegated.der "$NOW" responder.pem responder.key "$RSA_LEAF" -no_nonce -ndays 7
rsa good-delegated-keyid.der "$NOW" responder.pem responder.key "$RSA_LEAF" -no_nonce -ndays 7 -resp_key_id
rsa good-delegated-nonocheck.der "$NOW" responder-nonocheck.pem responder-nonocheck.key "$RSA_LEAF" -no_nonce -ndays 7
rsa delegated-no-certs.der "$NOW" responder.pem responder.key "$RSA_LEAF" -no_nonce -ndays 7 -resp_no_certs
rsa responder-noeku.der "$NOW" responder-noeku.pem responder-noeku.key "$RSA_LEAF" -no_nonce -ndays 7
rsa responder-expired.der "$NOW" responder-expired.pem responder-expired.key "$RSA_LEAF" -no_nonce -ndays 7
rsa responder-foreign.der "$NOW" responder-foreign.pem responder-foreign.key "$RSA_LEAF" -no_nonce -ndays 7
rsa revoked.der "$NOW" "${CA[@]}" leaf-revoked.pem -no_nonce -ndays 7
rsa stale.der "2025-06-01 12:00:00" "${CA[@]}" "$RSA_LEAF" -no_nonce -ndays 1
respond unknown.der "$NOW" index-rsa-without-leaf.txt "${CA[@]}" "$RSA_ICA" "$RSA_ICA" "$RSA_LEAF" -no_nonce -ndays 7
respond p256-good-ca.der "$NOW" index-p256.txt "$P256_ICA" "$P256_ICA_KEY" "$P256_ICA" "$P256_ICA" "$P256_LEAF" \
    -no_nonce -ndays 7

# A request with a nonce, and the CA's response to it (the nonce is copied into the response).
openssl ocsp -issuer "$RSA_ICA" -cert "$RSA_LEAF" -nonce -reqout nonce-request.der >/dev/null
at "$NOW" openssl ocsp -index index-rsa.txt -rsigner "$RSA_ICA" -rkey "$RSA_ICA_KEY" -CA "$RSA_ICA" \
    -reqin nonce-request.der -respout nonce.der -ndays 7 >/dev/null

# Cross-check with openssl (at NOW): signature, responder authorisation and status. The log
# goes to openssl-checks.txt; the run fails if openssl disagrees with the README.
cat "$PKI/rsa/root.pem" "$RSA_ICA" > "$TMP/rsa-chain.pem"
cat "$PKI/p256/root.pem" "$P256_ICA" > "$TMP/p256-chain.pem"
: > openssl-checks.txt
# check RESPONSE ISSUER CERT CHAIN EXPECTED-VERIFY EXPECTED-STATUS [CERTID-DIGEST-OPTION]
check() {
    local out
    out=$(at "$NOW" openssl ocsp ${7:-} -respin "$1" -issuer "$2" -cert "$3" -CAfile "$4" -no_nonce 2>&1 || true)
    out=${out//$PKI\//pki/}
    printf '== %s\n%s\n\n' "$1" "$out" >> openssl-checks.txt
    grep -q -- "$5" <<<"$out" && grep -q -- "$6" <<<"$out" || {
        echo "openssl disagrees on $1 (expected '$5' and '$6'):" >&2
        echo "$out" >&2
        exit 1
    }
}
OK="Response verify OK"
BAD="Response Verify Failure"
check good-ca-sha256-certid.der "$RSA_ICA" "$RSA_LEAF" "$TMP/rsa-chain.pem" "$OK" ": good" -sha256
for r in good-ca good-ca-keyid good-ca-no-next-update good-delegated \
         good-delegated-keyid good-delegated-nonocheck nonce; do
    check "$r.der" "$RSA_ICA" "$RSA_LEAF" "$TMP/rsa-chain.pem" "$OK" ": good"
done
check revoked.der "$RSA_ICA" leaf-revoked.pem "$TMP/rsa-chain.pem" "$OK" ": revoked"
check unknown.der "$RSA_ICA" "$RSA_LEAF" "$TMP/rsa-chain.pem" "$OK" ": unknown"
check stale.der "$RSA_ICA" "$RSA_LEAF" "$TMP/rsa-chain.pem" "$OK" "Status times invalid"
check p256-good-ca.der "$P256_ICA" "$P256_LEAF" "$TMP/p256-chain.pem" "$OK" ": good"
check responder-noeku.der "$RSA_ICA" "$RSA_LEAF" "$TMP/rsa-chain.pem" "$BAD" ": good"
check responder-foreign.der "$RSA_ICA" "$RSA_LEAF" "$TMP/rsa-chain.pem" "$BAD" ": good"
check delegated-no-certs.der "$RSA_ICA" "$RSA_LEAF" "$TMP/rsa-chain.pem" "$BAD" ": good"
check responder-expired.der "$RSA_ICA" "$RSA_LEAF" "$TMP/rsa-chain.pem" "$BAD" ": good"
echo "OCSP test responses written to $HERE; openssl checks in openssl-checks.txt"

#!/usr/bin/env bash
# Regenerate testdata/crl/: CRLs of the rsa test PKI, issued with `openssl ca -gencrl` under
# faketime, and a second rsa leaf to revoke. Usage, from anywhere: testdata/crl/generate.sh
# Needs openssl (tested 3.0.19) and faketime (tested 0.9.10). Keys come from testdata/pki/
# (testdata/gen/generate.py); rerun this after that generator recreates the PKI.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
pki="$here/../pki"
for tool in openssl faketime; do
    command -v "$tool" >/dev/null || { echo "generate.sh: $tool not found" >&2; exit 1; }
done
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Every CRL is issued at THIS_UPDATE with a nextUpdate 7 days later, except stale.crl.
THIS_UPDATE="2026-01-15 00:00:00"
STALE_UPDATE="2025-12-01 00:00:00"
# The second leaf's serial and the two revocation dates of the index files (UTCTime).
LEAF2_SERIAL="0F1E2D3C4B5A6978"
REVOKED_EARLY="260110000000Z"   # 2026-01-10T00:00:00Z, before thisUpdate
REVOKED_LATER="260118000000Z"   # 2026-01-18T00:00:00Z, after thisUpdate (tests use at = 01-16)
LEAF2_SUBJECT="/C=CH/O=sigverify Test PKI/CN=Revoked Signer RSA"

at() { faketime -f "@$1" "${@:2}"; }

# The second leaf, under the rsa ica, valid 2024-01-01..2040-01-01 like the other leaves.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/leaf2.key" 2>/dev/null
openssl req -new -key "$work/leaf2.key" -subj "$LEAF2_SUBJECT" -out "$work/leaf2.csr"
cat > "$work/leaf2.ext" <<'EXT'
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
crlDistributionPoints = URI:http://crl.example/rsa-ica.crl
EXT
at "2024-01-01 00:00:00" openssl x509 -req -in "$work/leaf2.csr" -CA "$pki/rsa/ica.pem" \
    -CAkey "$pki/rsa/ica.key" -set_serial "0x$LEAF2_SERIAL" -days 5844 -sha256 \
    -extfile "$work/leaf2.ext" -out "$here/leaf2.pem" 2>/dev/null

# The rsa ica's name and key again, certified by the rsa root with a keyUsage without cRLSign.
openssl req -new -key "$pki/rsa/ica.key" -subj "$(openssl x509 -in "$pki/rsa/ica.pem" -noout -subject \
    -nameopt compat | sed 's/^subject=//')" -out "$work/ica-no-crlsign.csr"
cat > "$work/ica-no-crlsign.ext" <<'EXT'
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EXT
at "2020-01-01 00:00:00" openssl x509 -req -in "$work/ica-no-crlsign.csr" -CA "$pki/rsa/root.pem" \
    -CAkey "$pki/rsa/root.key" -set_serial 0x1C0FFEE -days 9132 -sha256 \
    -extfile "$work/ica-no-crlsign.ext" -out "$here/ica-no-crlsign.pem" 2>/dev/null

# One CA directory per CRL: a minimal config and a hand-written index file (status, expiry,
# revocation date[,reason], serial, file, subject), so revocation dates are chosen, not taken
# from the clock.
# gencrl NAME CERT KEY TIME CRLEXTS INDEX_LINE
gencrl() {
    local name="$1" cert="$2" key="$3" time="$4" exts="$5" line="$6" dir="$work/$1"
    mkdir -p "$dir"
    if [ -n "$line" ]; then printf '%s\n' "$line" > "$dir/index.txt"; else : > "$dir/index.txt"; fi
    echo 1000 > "$dir/crlnumber"
    cat > "$dir/ca.cnf" <<CNF
[ca]
default_ca = CA_default
[CA_default]
database = $dir/index.txt
crlnumber = $dir/crlnumber
default_md = sha256
default_crl_days = 7
[crl_ext]
authorityKeyIdentifier = keyid:always
[crl_noaki]
[crl_delta]
authorityKeyIdentifier = keyid:always
2.5.29.27 = critical, DER:02:02:03:E7
[crl_unknown_critical]
authorityKeyIdentifier = keyid:always
1.3.6.1.4.1.99999.1 = critical, DER:05:00
[crl_indirect]
authorityKeyIdentifier = keyid:always
issuingDistributionPoint = critical, @idp_indirect
[idp_indirect]
fullname = URI:http://crl.example/rsa-ica.crl
indirectCRL = TRUE
[crl_reasons]
authorityKeyIdentifier = keyid:always
issuingDistributionPoint = critical, @idp_reasons
[idp_reasons]
fullname = URI:http://crl.example/rsa-ica.crl
onlysomereasons = keyCompromise
[crl_distribution_point]
authorityKeyIdentifier = keyid:always
issuingDistributionPoint = critical, @idp_dp
[idp_dp]
fullname = URI:http://crl.example/rsa-ica.crl
[crl_user_certs]
authorityKeyIdentifier = keyid:always
issuingDistributionPoint = critical, @idp_user
[idp_user]
onlyuser = TRUE
CNF
    at "$time" openssl ca -gencrl -config "$dir/ca.cnf" -cert "$cert" -keyfile "$key" \
        -crlexts "$exts" -out "$here/$name.crl" 2>"$dir/log" \
        || { cat "$dir/log" >&2; exit 1; }
    [ -s "$here/$name.crl" ] || { echo "generate.sh: $name.crl is empty" >&2; exit 1; }
}

# openssl ca -gencrl writes PEM: convert to DER.
to_der() {
    local f="$here/$1.crl"
    if head -c 5 "$f" | grep -q -- '-----'; then
        openssl crl -in "$f" -outform DER -out "$f.der" && mv "$f.der" "$f"
    fi
}

ica="$pki/rsa/ica.pem"
icakey="$pki/rsa/ica.key"
revoked_early="$(printf 'R\t400101000000Z\t%s,keyCompromise\t%s\tunknown\t%s\n' \
    "$REVOKED_EARLY" "$LEAF2_SERIAL" "$LEAF2_SUBJECT")"
# The demo rsa leaf itself (pki/rsa/leaf.pem, signer of testdata/samples), revoked early too.
LEAF_SERIAL="$(openssl x509 -in "$pki/rsa/leaf.pem" -noout -serial | sed 's/^serial=//')"
LEAF_SUBJECT="$(openssl x509 -in "$pki/rsa/leaf.pem" -noout -subject -nameopt compat | sed 's/^subject=//')"
leaf_revoked="$(printf 'R\t400101000000Z\t%s,keyCompromise\t%s\tunknown\t%s\n' \
    "$REVOKED_EARLY" "$LEAF_SERIAL" "$LEAF_SUBJECT")"
revoked_later="$(printf 'R\t400101000000Z\t%s,keyCompromise\t%s\tunknown\t%s\n' \
    "$REVOKED_LATER" "$LEAF2_SERIAL" "$LEAF2_SUBJECT")"

gencrl empty "$ica" "$icakey" "$THIS_UPDATE" crl_ext ""
gencrl revoked "$ica" "$icakey" "$THIS_UPDATE" crl_ext "$revoked_early"
gencrl revoked-later "$ica" "$icakey" "$THIS_UPDATE" crl_ext "$revoked_later"
gencrl leaf-revoked "$ica" "$icakey" "$THIS_UPDATE" crl_ext "$leaf_revoked"
gencrl stale "$ica" "$icakey" "$STALE_UPDATE" crl_ext ""
gencrl delta "$ica" "$icakey" "$THIS_UPDATE" crl_delta ""
gencrl unknown-critical "$ica" "$icakey" "$THIS_UPDATE" crl_unknown_critical ""
gencrl indirect "$ica" "$icakey" "$THIS_UPDATE" crl_indirect ""
gencrl some-reasons "$ica" "$icakey" "$THIS_UPDATE" crl_reasons ""
gencrl distribution-point "$ica" "$icakey" "$THIS_UPDATE" crl_distribution_point "$revoked_early"
gencrl user-certs-only "$ica" "$icakey" "$THIS_UPDATE" crl_user_certs "$revoked_early"
# The root's CRL, empty: the status of the rsa ICA, for a whole path.
gencrl root-empty "$pki/rsa/root.pem" "$pki/rsa/root.key" "$THIS_UPDATE" crl_ext ""

# Signed by the p256 ica's key under the rsa ica's name: a throwaway self-signed certificate
# carries that name with the p256 key, for openssl ca, which refuses a key that does not match
# its certificate. No authorityKeyIdentifier, so only the signature gives the forgery away.
subject="$(openssl x509 -in "$ica" -noout -subject -nameopt compat | sed 's/^subject=//')"
at "$THIS_UPDATE" openssl req -new -x509 -key "$pki/p256/ica.key" -subj "$subject" -days 1 \
    -out "$work/fake-ica.pem"
gencrl p256-signed "$work/fake-ica.pem" "$pki/p256/ica.key" "$THIS_UPDATE" crl_noaki ""

for f in "$here"/*.crl; do
    to_der "$(basename "$f" .crl)"
done

# Cross-check with openssl: the genuine CRLs verify with the rsa ica, the forgery does not.
for name in empty revoked revoked-later leaf-revoked stale delta unknown-critical indirect some-reasons \
    distribution-point user-certs-only; do
    openssl crl -inform DER -in "$here/$name.crl" -CAfile "$ica" -noout 2>&1 | grep -q 'verify OK' \
        || { echo "generate.sh: $name.crl does not verify with openssl" >&2; exit 1; }
done
if openssl crl -inform DER -in "$here/p256-signed.crl" -CAfile "$ica" -noout 2>&1 | grep -q 'verify OK'; then
    echo "generate.sh: p256-signed.crl verifies with the rsa ica" >&2
    exit 1
fi
openssl verify -CAfile "$pki/rsa/root.pem" -untrusted "$ica" -attime 1768435200 "$here/leaf2.pem"
echo "generate.sh: wrote $(ls "$here"/*.crl | wc -l) CRLs to $here"

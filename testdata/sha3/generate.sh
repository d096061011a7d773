#!/bin/sh
# Regenerates the SHA-3 fixtures of testdata/sha3 (see README.md). Needs OpenSSL 3.0 and
# faketime. Run from the repository root: sh testdata/sha3/generate.sh
# The private keys are made in a temporary directory and deleted at the end: they are test
# keys only and are not kept.
set -eu
OUT=testdata/sha3
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

cat > "$TMP/ext.cnf" <<'CNF'
[root]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[leaf]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF

printf 'SHA-3 test message for sigverify\n' > "$OUT/message.txt"

for kind in rsa ec; do
    if [ "$kind" = rsa ]; then
        keyopts="-algorithm RSA -pkeyopt rsa_keygen_bits:2048"
    else
        keyopts="-algorithm EC -pkeyopt ec_paramgen_curve:P-256"
    fi
    # shellcheck disable=SC2086
    openssl genpkey -quiet $keyopts -out "$TMP/$kind-root.key"
    # shellcheck disable=SC2086
    openssl genpkey -quiet $keyopts -out "$TMP/$kind-leaf.key"
    # Root: self-signed with SHA3-256, 2024-01-01 .. 2050-01-01.
    faketime '2024-01-01 00:00:00Z' openssl req -x509 -new -key "$TMP/$kind-root.key" -sha3-256 \
        -subj "/O=sigverify test/CN=sigverify SHA-3 $kind root" -days 9497 -set_serial 0x5a301 \
        -extensions root -config "$TMP/ext.cnf" -out "$OUT/$kind-root.pem"
    # Leaf: keyUsage digitalSignature, signed by the root with SHA3-256, 2024-01-01 .. 2046-01-01.
    openssl req -new -key "$TMP/$kind-leaf.key" -subj "/O=sigverify test/CN=sigverify SHA-3 $kind leaf" \
        -out "$TMP/$kind-leaf.csr"
    faketime '2024-01-01 00:00:00Z' openssl x509 -req -in "$TMP/$kind-leaf.csr" -CA "$OUT/$kind-root.pem" \
        -CAkey "$TMP/$kind-root.key" -sha3-256 -days 8036 -set_serial 0x5a302 \
        -extfile "$TMP/ext.cnf" -extensions leaf -out "$OUT/$kind-leaf.pem"
done

# Raw signatures over message.txt with the leaf keys.
openssl dgst -sha3-256 -sign "$TMP/rsa-leaf.key" -out "$OUT/rsa-pkcs1-sha3-256.sig" "$OUT/message.txt"
openssl dgst -sha3-512 -sign "$TMP/rsa-leaf.key" -out "$OUT/rsa-pkcs1-sha3-512.sig" "$OUT/message.txt"
openssl dgst -sha3-256 -sign "$TMP/rsa-leaf.key" -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest \
    -sigopt rsa_mgf1_md:sha3-256 -out "$OUT/rsa-pss-sha3-256.sig" "$OUT/message.txt"
openssl dgst -sha3-256 -sign "$TMP/ec-leaf.key" -out "$OUT/ecdsa-p256-sha3-256.sig" "$OUT/message.txt"
openssl dgst -sha3-384 -sign "$TMP/ec-leaf.key" -out "$OUT/ecdsa-p256-sha3-384.sig" "$OUT/message.txt"

# CMS SignedData (attached content, signed attributes, signingTime 2026-01-15T12:00:00Z).
faketime '2026-01-15 12:00:00Z' openssl cms -sign -binary -nodetach -outform DER -md sha3-256 \
    -in "$OUT/message.txt" -signer "$OUT/rsa-leaf.pem" -inkey "$TMP/rsa-leaf.key" -out "$OUT/cms-rsa-sha3-256.p7m"
# (OpenSSL 3.0 cannot write an RSASSA-PSS AlgorithmIdentifier with a SHA-3 hash: `-keyopt
# rsa_padding_mode:pss` with `-md sha3-256` fails in rsa_generate_signature_aid.)
# OpenSSL 3.0 cannot make an ECDSA / SHA-3 SignerInfo either (`openssl cms -sign -md sha3-256` with
# an EC key: "unsupported signature algorithm"): ecdsa_cms.py assembles the same structure and
# signs the signed attributes with `openssl dgst -sha3-256 -sign`.
python3 "$OUT/ecdsa_cms.py" "$OUT/ec-leaf.pem" "$TMP/ec-leaf.key" "$OUT/message.txt" \
    "$OUT/cms-ecdsa-sha3-256.p7m" 260115120000Z

# Cross-checks with openssl (1780272000 = 2026-06-01T00:00:00Z).
openssl verify -attime 1780272000 -CAfile "$OUT/rsa-root.pem" "$OUT/rsa-leaf.pem"
# OpenSSL 3.0 does not match an ecdsa-with-SHA3-256 certificate signature to its issuer's key
# ("unable to get local issuer certificate"), so the EC certificate signatures are checked by hand.
openssl x509 -in "$OUT/ec-root.pem" -pubkey -noout > "$TMP/ec-root.pub"
for cert in ec-root ec-leaf; do
    off=$(openssl asn1parse -in "$OUT/$cert.pem" | grep "BIT STRING" | tail -1 | cut -d: -f1 | tr -d ' ')
    openssl asn1parse -in "$OUT/$cert.pem" -strparse 4 -noout -out "$TMP/tbs"
    openssl asn1parse -in "$OUT/$cert.pem" -strparse "$off" -noout -out "$TMP/sig"
    openssl dgst -sha3-256 -verify "$TMP/ec-root.pub" -signature "$TMP/sig" "$TMP/tbs"
done
openssl x509 -in "$OUT/rsa-leaf.pem" -pubkey -noout > "$TMP/rsa.pub"
openssl x509 -in "$OUT/ec-leaf.pem" -pubkey -noout > "$TMP/ec.pub"
openssl dgst -sha3-256 -verify "$TMP/rsa.pub" -signature "$OUT/rsa-pkcs1-sha3-256.sig" "$OUT/message.txt"
openssl dgst -sha3-512 -verify "$TMP/rsa.pub" -signature "$OUT/rsa-pkcs1-sha3-512.sig" "$OUT/message.txt"
openssl dgst -sha3-256 -verify "$TMP/rsa.pub" -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest \
    -sigopt rsa_mgf1_md:sha3-256 -signature "$OUT/rsa-pss-sha3-256.sig" "$OUT/message.txt"
openssl dgst -sha3-256 -verify "$TMP/ec.pub" -signature "$OUT/ecdsa-p256-sha3-256.sig" "$OUT/message.txt"
openssl dgst -sha3-384 -verify "$TMP/ec.pub" -signature "$OUT/ecdsa-p256-sha3-384.sig" "$OUT/message.txt"
openssl cms -verify -binary -inform DER -in "$OUT/cms-rsa-sha3-256.p7m" -CAfile "$OUT/rsa-root.pem" -purpose any \
    -attime 1780272000 -out /dev/null
# The EC chain cannot be built by openssl 3.0 (see above): signer signature only.
openssl cms -verify -binary -inform DER -in "$OUT/cms-ecdsa-sha3-256.p7m" -noverify -out /dev/null

#!/usr/bin/env python3
"""Generates the benchmark inputs in benches/data/ (idempotent: skips when complete).

For each of RSA-2048 (sha256WithRSAEncryption, PKCS#1 v1.5) and ECDSA P-256:
  <alg>/root.pem, <alg>/ica.pem, <alg>/leaf-NNNN.p7s (N attached CMS signatures, DER),
  each signed by a distinct leaf certificate (same key, distinct serial), with signed
  attributes, 2 KiB of content, leaf + intermediate certificates inside the CMS.
Certificate dates are fixed: valid from 2025-01-01 to 2045-01-01.

SIGVERIFY_BENCH_N sets N (default 1000); SIGVERIFY_BENCH_OUT the output directory (default
benches/data; compare.sh puts its 10,000-file CLI set in benches/data/scale).
"""
import datetime
import os
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

N = int(os.environ.get("SIGVERIFY_BENCH_N", "1000"))
OUT = os.environ.get("SIGVERIFY_BENCH_OUT") or os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
NOT_BEFORE = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)
NOT_AFTER = datetime.datetime(2045, 1, 1, tzinfo=datetime.timezone.utc)
CONTENT = bytes((i * 7 + 3) & 0xFF for i in range(2048))


def name(cn):
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "EE"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "sigverify bench"),
        x509.NameAttribute(NameOID.COMMON_NAME, cn),
    ])


def cert(subject, issuer, pub, issuer_key, serial, ca, path_len=None):
    b = (x509.CertificateBuilder()
         .subject_name(subject).issuer_name(issuer).public_key(pub)
         .serial_number(serial).not_valid_before(NOT_BEFORE).not_valid_after(NOT_AFTER)
         .add_extension(x509.SubjectKeyIdentifier.from_public_key(pub), critical=False))
    if ca:
        b = (b.add_extension(x509.BasicConstraints(ca=True, path_length=path_len), critical=True)
             .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False,
                                          key_encipherment=False, data_encipherment=False,
                                          key_agreement=False, key_cert_sign=True, crl_sign=True,
                                          encipher_only=False, decipher_only=False), critical=True))
    else:
        b = (b.add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
             .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True,
                                          key_encipherment=False, data_encipherment=False,
                                          key_agreement=False, key_cert_sign=False, crl_sign=False,
                                          encipher_only=False, decipher_only=False), critical=True)
             .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False))
    if issuer_key is not None:
        b = b.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
                            critical=False)
    return b.sign(issuer_key, hashes.SHA256())


def gen(alg, newkey):
    d = os.path.join(OUT, alg)
    done = os.path.join(d, ".complete")
    if os.path.exists(done) and int(open(done).read() or 0) >= N:
        print(f"{d}: present, skipping")
        return
    os.makedirs(d, exist_ok=True)
    root_key, ica_key, leaf_key = newkey(), newkey(), newkey()
    root = cert(name(f"Bench {alg} Root CA"), name(f"Bench {alg} Root CA"), root_key.public_key(), root_key, 1, True, 1)
    ica = cert(name(f"Bench {alg} Issuing CA"), root.subject, ica_key.public_key(), root_key, 2, True, 0)
    for fname, c in (("root.pem", root), ("ica.pem", ica)):
        with open(os.path.join(d, fname), "wb") as f:
            f.write(c.public_bytes(serialization.Encoding.PEM))
    with open(os.path.join(d, "content.bin"), "wb") as f:
        f.write(CONTENT)
    for i in range(N):
        leaf = cert(name(f"Bench {alg} Signer {i:05d}"), ica.subject, leaf_key.public_key(), ica_key,
                    0x10000 + i, False)
        der = (pkcs7.PKCS7SignatureBuilder().set_data(CONTENT)
               .add_signer(leaf, leaf_key, hashes.SHA256())
               .add_certificate(ica)
               .sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.Binary]))
        with open(os.path.join(d, f"leaf-{i:05d}.p7s"), "wb") as f:
            f.write(der)
        if i == 0:
            with open(os.path.join(d, "leaf-00000.pem"), "wb") as f:
                f.write(leaf.public_bytes(serialization.Encoding.PEM))
    with open(done, "w") as f:
        f.write(str(N))
    print(f"{d}: generated {N} signatures")


if __name__ == "__main__":
    gen("rsa2048", lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048))
    gen("p256", lambda: ec.generate_private_key(ec.SECP256R1()))

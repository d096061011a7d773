#!/usr/bin/env python3
"""Regenerate the Mobile ID test material in testdata/mobileid/.

Run from the repository root:

    python3 testdata/gen/mobileid.py

A test PKI imitating Swisscom's Mobile ID PKI (Swisscom Root CA 4 -> Swisscom Rubin CA 4 -> user):

* `root.pem`  "sigverify Test Root CA 4", RSA-4096, self-signed RSASSA-PSS (SHA-256, salt 32)
* `ica.pem`   "sigverify Test Rubin CA 4", RSA-4096, signed by the root with RSASSA-PSS
* `leaf-rsa.pem` CN=MIDCHETEST0000RSA:PN, SERIALNUMBER=MIDCHETEST0000RSA, PSEUDONYM=MIDCHETEST0000RSA
  (RSA-2048), `leaf-ec.pem` the same for MIDCHETEST00000EC (EC P-256); both signed by the ICA with
  RSASSA-PSS, keyUsage digitalSignature + nonRepudiation, valid 2024-01-01..2040-01-01.

Keys are generated in a temporary directory and thrown away (not needed by the tests).

Responses, shaped as section 3.2.2.2 / 3.2.2.3 / 3.3.2 of the Swisscom Mobile ID Reference Guide
(REST/JSON) show them:

* `signature-rsa.json`, `signature-ec.json`: MSS_SignatureResp 500 SIGNATURE; Base64Signature is
  `openssl cms -sign -binary -nodetach -outform DER -md sha256 -certfile ica.pem` over the DTBD
  (attached, certificates leaf + ica), signingTime 2026-01-15T12:00:00Z (faketime when installed).
  `signature-*.expected.json` hold what the AP sent (`{"dtbd","msisdn","apTransId","midSerial"}`).
* `signature-two-signers.json`: negative, the RSA response whose CMS holds two SignerInfos (RSA and
  EC user; two `-signer` options), expected values those of `signature-rsa.expected.json`.
* `fault-101.json`, `fault-401.json`, `fault-422.json`: Fault responses (texts of section 6.2.1).
* `status-504.json`: MSS_StatusResp 504 OUTSTANDING_TRANSACTION.

Each signature is cross-checked with `openssl cms -verify -CAfile root.pem -attime <2026-06-01>` and
the generator aborts if openssl disagrees. Keys and signature values change on every run.
"""
import base64
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID

OUT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "mobileid"))
TMP = tempfile.mkdtemp(prefix="sigverify-mobileid-")
UTC = dt.timezone.utc
SIGN_TIME = "2026-01-15 12:00:00"
VERIFY_AT = int(dt.datetime(2026, 6, 1, tzinfo=UTC).timestamp())
FAKETIME = shutil.which("faketime")

CASES = {
    "rsa": {
        "serial": "MIDCHETEST0000RSA",
        "dtbd": "sigverify Test: Anmeldung bei Demo Bank AG bestätigen? (ptp2cn)",
        "msisdn": "41700092502",
        "apTransId": "REF-SIGVERIFY-0001",
        "msspTransId": "h4dhx",
    },
    "ec": {
        "serial": "MIDCHETEST00000EC",
        "dtbd": "sigverify Test: Confirmer la connexion à Demo Banque SA ? (ptp2cn)",
        "msisdn": "41700092501",
        "apTransId": "REF-SIGVERIFY-0002",
        "msspTransId": "h44okl",
    },
}


def D(y, m=1, d=1):
    return dt.datetime(y, m, d, tzinfo=UTC)


def pss_sign(builder, key):
    return builder.sign(key, hashes.SHA256(), rsa_padding=padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32))


def ku(ca):
    return x509.KeyUsage(digital_signature=not ca, content_commitment=not ca, key_encipherment=False,
                         data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca,
                         encipher_only=False, decipher_only=False)


def issue(subject, key, issuer, issuer_key, nb, na, ca):
    b = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(key.public_key())
         .serial_number(x509.random_serial_number()).not_valid_before(nb).not_valid_after(na)
         .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca and issuer != subject else None),
                        critical=True)
         .add_extension(ku(ca), critical=True)
         .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
         .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
                        critical=False))
    return pss_sign(b, issuer_key)


def ca_name(cn):
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "CH"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "sigverify Test PKI"),
                      x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "Digital Certificate Services"),
                      x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def user_name(serial):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, serial + ":PN"),
                      x509.NameAttribute(NameOID.SERIAL_NUMBER, serial),
                      x509.NameAttribute(NameOID.PSEUDONYM, serial)])


def pem(cert):
    return cert.public_bytes(serialization.Encoding.PEM)


def write(name, data):
    path = os.path.join(OUT, name)
    with open(path, "wb") as f:
        f.write(data)
    return path


def tmp(name, data):
    path = os.path.join(TMP, name)
    with open(path, "wb") as f:
        f.write(data)
    return path


def run(cmd, fake_time=False):
    if fake_time and FAKETIME:
        cmd = [FAKETIME, SIGN_TIME] + cmd
    r = subprocess.run(cmd, capture_output=True)
    if r.returncode != 0:
        sys.exit("failed: %s\n%s" % (" ".join(cmd), r.stderr.decode(errors="replace")))
    return r.stdout


def dump(obj):
    return (json.dumps(obj, indent=2, ensure_ascii=False) + "\n").encode()


def signature_resp(case, b64):
    # Section 3.2.2.2, REST/JSON (key order as in the guide).
    return {"MSS_SignatureResp": {
        "AP_Info": {"AP_ID": "mid://sigverify.test", "AP_TransID": case["apTransId"],
                    "Instant": "2026-01-15T11:59:58.000Z"},
        "MSSP_Info": {"Instant": "2026-01-15T12:00:00.100Z", "MSSP_ID": {"URI": "http://mid.swisscom.ch/"}},
        "MSSP_TransID": case["msspTransId"],
        "MSS_Signature": {"Base64Signature": b64},
        "MajorVersion": "1",
        "MinorVersion": "1",
        "MobileUser": {"MSISDN": case["msisdn"]},
        "SignatureProfile": "http://mid.swisscom.ch/Device-LoA4",
        "Status": {"StatusCode": {"Value": "500"}, "StatusMessage": "SIGNATURE"},
    }}


def fault(code, reason, detail):
    # Section 3.2.2.3, REST/JSON.
    return {"Fault": {
        "Code": {"SubCode": {"Value": "_%d" % code, "ValueNs": "http://uri.etsi.org/TS102204/v1.1.2#"},
                 "Value": "Sender" if code < 200 else "Receiver",
                 "ValueNs": "http://www.w3.org/2003/05/soap-envelope"},
        "Detail": detail,
        "Reason": reason,
    }}


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        os.remove(os.path.join(OUT, f))
    print("generating keys ...")
    rk = rsa.generate_private_key(public_exponent=65537, key_size=4096)
    ik = rsa.generate_private_key(public_exponent=65537, key_size=4096)
    rn, inn = ca_name("sigverify Test Root CA 4"), ca_name("sigverify Test Rubin CA 4")
    root = issue(rn, rk, rn, rk, D(2020), D(2050), ca=True)
    ica = issue(inn, ik, rn, rk, D(2020), D(2045), ca=True)
    write("root.pem", pem(root))
    ica_path = write("ica.pem", pem(ica))
    root_path = os.path.join(OUT, "root.pem")

    keys = {}
    for label, case in CASES.items():
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048) if label == "rsa" \
            else ec.generate_private_key(ec.SECP256R1())
        leaf = issue(user_name(case["serial"]), key, inn, ik, D(2024), D(2040), ca=False)
        leaf_path = write("leaf-%s.pem" % label, pem(leaf))
        key_path = tmp("leaf-%s.key" % label, key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
        keys[label] = (leaf_path, key_path)
        dtbd_path = tmp("dtbd-%s.txt" % label, case["dtbd"].encode())
        cms_path = os.path.join(TMP, "%s.p7s" % label)
        run(["openssl", "cms", "-sign", "-binary", "-nodetach", "-outform", "DER", "-md", "sha256",
             "-signer", leaf_path, "-inkey", key_path, "-certfile", ica_path, "-in", dtbd_path,
             "-out", cms_path], fake_time=True)
        der = open(cms_path, "rb").read()
        # Cross-check: openssl verifies the signature and the chain, and extracts exactly the DTBD.
        content = run(["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", cms_path,
                       "-CAfile", root_path, "-purpose", "any", "-attime", str(VERIFY_AT)])
        if content != case["dtbd"].encode():
            sys.exit("openssl extracted %r, expected the DTBD" % content)
        print("openssl cms -verify ok: %s" % label)
        write("signature-%s.json" % label, dump(signature_resp(case, base64.b64encode(der).decode())))
        write("signature-%s.expected.json" % label, dump({
            "dtbd": case["dtbd"], "msisdn": "+" + case["msisdn"], "apTransId": case["apTransId"],
            "midSerial": case["serial"]}))

    # Negative: the RSA DTBD signed by both users (two SignerInfos; Mobile ID gives exactly one).
    case = CASES["rsa"]
    cms_path = os.path.join(TMP, "two-signers.p7s")
    run(["openssl", "cms", "-sign", "-binary", "-nodetach", "-outform", "DER", "-md", "sha256",
         "-signer", keys["rsa"][0], "-inkey", keys["rsa"][1], "-signer", keys["ec"][0], "-inkey", keys["ec"][1],
         "-certfile", ica_path, "-in", os.path.join(TMP, "dtbd-rsa.txt"), "-out", cms_path], fake_time=True)
    run(["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", cms_path, "-CAfile", root_path,
         "-purpose", "any", "-attime", str(VERIFY_AT)])
    write("signature-two-signers.json",
          dump(signature_resp(case, base64.b64encode(open(cms_path, "rb").read()).decode())))

    write("fault-101.json", dump(fault(101, "WRONG_PARAM", "Error among the arguments of the request")))
    write("fault-401.json", dump(fault(401, "USER_CANCEL", "User cancelled the request")))
    write("fault-422.json", dump(fault(422, "NO_CERT_FOUND", "Mobile user account needs to be activated")))
    # Section 3.3.2, REST/JSON: the transaction is still outstanding.
    write("status-504.json", dump({"MSS_StatusResp": {
        "AP_Info": {"AP_ID": "mid://sigverify.test", "AP_TransID": "REF-SIGVERIFY-0003",
                    "Instant": "2026-01-15T11:59:58.000Z"},
        "MSSP_Info": {"Instant": "2026-01-15T12:00:05.100Z", "MSSP_ID": {"URI": "http://mid.swisscom.ch/"}},
        "MajorVersion": "1",
        "MinorVersion": "1",
        "MobileUser": {"MSISDN": "41700092502"},
        "Status": {"StatusCode": {"Value": "504"}, "StatusMessage": "OUTSTANDING_TRANSACTION"},
    }}))
    shutil.rmtree(TMP)
    print("wrote %s" % OUT)


if __name__ == "__main__":
    main()

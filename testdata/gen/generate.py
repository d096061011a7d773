#!/usr/bin/env python3
"""Regenerate the sigverify test PKI, CMS samples, expected-verdict table and demo files.

Run from the repository root:

    python3 testdata/gen/generate.py

Recreates testdata/pki/, testdata/samples/ (incl. cases.tsv) and testdata/demo/.
Keys and serial numbers are random on every run; all certificate validity dates and
CMS signingTime values are fixed (openssl is run under `faketime`, see SIGN_TIME).
Every positive case is verified with `openssl cms -verify` / `openssl verify` and the
generator aborts if openssl disagrees; negatives are asserted to fail where openssl can
detect the problem (the others are listed at the end of the run).
"""
import base64
import datetime as dt
import hashlib
import os
import random
import shutil
import subprocess
import sys
import tempfile

from asn1crypto import cms, core, tsp
from asn1crypto import x509 as ax509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID

TD = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
PKI, SAMPLES, DEMO = (os.path.join(TD, d) for d in ("pki", "samples", "demo"))
TMP = tempfile.mkdtemp(prefix="sigverify-gen-")

UTC = dt.timezone.utc
def D(y, m=1, d=1):
    return dt.datetime(y, m, d, tzinfo=UTC)

AT_2026 = "2026-06-01T00:00:00Z"          # default validation time of the cases
SIGN_TIME = "2026-01-15 12:00:00"          # fixed clock for `openssl cms -sign` (faketime)
SIGN_DT = dt.datetime(2026, 1, 15, 12, 0, 0, tzinfo=UTC)  # signingTime of Python-built CMS
ROOT_NB, ROOT_NA = D(2020), D(2050)
ICA_NB, ICA_NA = D(2020), D(2045)
LEAF_NB, LEAF_NA = D(2024), D(2040)

CONTENT = "Hello sigverify! Dies ist ein signiertes Testdokument. / Ceci est un document de test signé.\n".encode()
DTBD = "Bitte bestätigen Sie: Zahlung CHF 100.00 an Muster AG? (ptp2cn)"
WRONG_DTBD = "Bitte bestätigen Sie: Zahlung CHF 900.00 an Muster AG? (ptp2cn)"
DEMO_TEXT = ("Bitte bestätigen Sie die Anmeldung bei Demo Bank AG. / "
             "Veuillez confirmer la connexion à Demo Banque SA. (sigverify demo)").encode()

FAKETIME = shutil.which("faketime")
OPENSSL_CHECKS = []     # (case, command, expected, actual) for the report
OPENSSL_BLIND = []      # checks whose outcome openssl cannot decide (policy-only negatives etc.)
TMP_NAMES = {}          # temp bundle -> description, for the check log


def epoch(rfc3339):
    return str(int(dt.datetime.strptime(rfc3339, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).timestamp()))


def rel(path):
    return os.path.relpath(path, TD)


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    return path


def read(path):
    with open(path, "rb") as f:
        return f.read()


def run(cmd, check=True, fake_time=False):
    if fake_time and FAKETIME:
        cmd = [FAKETIME, SIGN_TIME] + cmd
    p = subprocess.run(cmd, capture_output=True)
    if check and p.returncode != 0:
        sys.exit("command failed: %s\n%s" % (" ".join(cmd), p.stderr.decode(errors="replace")))
    return p


# --------------------------------------------------------------------------- DER helpers
def der_len(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def tlv(tag, content):
    return bytes([tag]) + der_len(len(content)) + content


def oid(dotted):
    return core.ObjectIdentifier(dotted).dump()


OID_DATA = "1.2.840.113549.1.7.1"
OID_SIGNED_DATA = "1.2.840.113549.1.7.2"
OID_CONTENT_TYPE = "1.2.840.113549.1.9.3"
OID_MESSAGE_DIGEST = "1.2.840.113549.1.9.4"
OID_SIGNING_TIME = "1.2.840.113549.1.9.5"
OID_COUNTER_SIGNATURE = "1.2.840.113549.1.9.6"
OID_SIGNING_CERT_V2 = "1.2.840.113549.1.9.16.2.47"
OID_TST_INFO = "1.2.840.113549.1.9.16.1.4"
HASH_OID = {"sha256": "2.16.840.1.101.3.4.2.1", "sha384": "2.16.840.1.101.3.4.2.2",
            "sha512": "2.16.840.1.101.3.4.2.3"}
HASH_CLS = {"sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512}

SD_FIELDS = ["version", "digest_algorithms", "encap_content_info", "certificates", "crls", "signer_infos"]
SI_FIELDS = ["version", "sid", "digest_algorithm", "signed_attrs", "signature_algorithm", "signature",
             "unsigned_attrs"]


def split_sd(data):
    """ContentInfo(SignedData) -> dict of raw DER field encodings (+ lists of certs / signer infos)."""
    sd = cms.ContentInfo.load(data)["content"]
    parts = {f: sd[f].dump() for f in SD_FIELDS}
    parts["cert_list"] = [c.dump() for c in sd["certificates"]] if parts["certificates"] else []
    parts["si_list"] = [si.dump() for si in sd["signer_infos"]]
    return parts


def join_sd(parts, certs=None, sis=None):
    """Re-assemble a ContentInfo by hand so that SET OF orders are kept exactly as given."""
    certs = parts["cert_list"] if certs is None else certs
    sis = parts["si_list"] if sis is None else sis
    body = (parts["version"] + parts["digest_algorithms"] + parts["encap_content_info"]
            + (tlv(0xA0, b"".join(certs)) if certs else b"") + parts["crls"]
            + tlv(0x31, b"".join(sis)))
    return tlv(0x30, oid(OID_SIGNED_DATA) + tlv(0xA0, tlv(0x30, body)))


def split_si(si_der):
    si = cms.SignerInfo.load(si_der)
    return {f: si[f].dump() for f in SI_FIELDS}


def join_si(p):
    return tlv(0x30, b"".join(p[f] for f in SI_FIELDS))


def flip_last_bit(data, needle):
    """Flip the lowest bit of the last byte of `needle` (unique) inside data, in place."""
    assert data.count(needle) == 1, "needle not unique"
    i = data.index(needle) + len(needle) - 1
    b = bytearray(data)
    b[i] ^= 0x01
    return bytes(b)


def signature_bytes(data, index=0):
    sd = cms.ContentInfo.load(data)["content"]
    return sd["signer_infos"][index]["signature"].native


# --------------------------------------------------------------------------- PKI
def save_key(path, key):
    write(path, key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))


def save_cert(path, cert):
    write(path, cert.public_bytes(serialization.Encoding.PEM))


def load_cert(path):
    return x509.load_pem_x509_certificate(read(path))


def load_key(path):
    return serialization.load_pem_private_key(read(path), None)


def name(cn, serial=None, o="sigverify Test PKI"):
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "CH"), x509.NameAttribute(NameOID.ORGANIZATION_NAME, o),
             x509.NameAttribute(NameOID.COMMON_NAME, cn)]
    if serial:
        attrs.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, serial))
    return x509.Name(attrs)


def ku(ds=False, nr=False, ke=False, cert_sign=False, crl_sign=False):
    return x509.KeyUsage(digital_signature=ds, content_commitment=nr, key_encipherment=ke, data_encipherment=False,
                         key_agreement=False, key_cert_sign=cert_sign, crl_sign=crl_sign, encipher_only=False,
                         decipher_only=False)


CA_KU = ku(cert_sign=True, crl_sign=True)
LEAF_KU = ku(ds=True, nr=True)


def ski_of(key):
    return x509.SubjectKeyIdentifier.from_public_key(key.public_key()).digest


def issue(subject, key, issuer_name, issuer_key, nb, na, *, ca, algo, pathlen=None, bc=True, key_usage=None,
          ski=None, aki=None, extra=(), serial=None):
    """Create a certificate. algo = (hash_name, pss) of the issuer's signature."""
    hname, pss = algo
    b = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer_name).public_key(key.public_key())
         .serial_number(serial or x509.random_serial_number()).not_valid_before(nb).not_valid_after(na))
    if bc:
        b = b.add_extension(x509.BasicConstraints(ca=ca, path_length=pathlen if ca else None), critical=True)
    b = b.add_extension(key_usage or (CA_KU if ca else LEAF_KU), critical=True)
    b = b.add_extension(x509.SubjectKeyIdentifier(ski or ski_of(key)), critical=False)
    b = b.add_extension(x509.AuthorityKeyIdentifier(aki or ski_of(issuer_key), None, None), critical=False)
    for ext, crit in extra:
        b = b.add_extension(ext, critical=crit)
    h = HASH_CLS[hname]()
    if pss:
        return b.sign(issuer_key, h, rsa_padding=padding.PSS(mgf=padding.MGF1(h), salt_length=32))
    return b.sign(issuer_key, h)


def rsa_key(bits=2048):
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def make_chain(folder, label, keys, algo, leaf_serial):
    """root -> ica -> leaf, each saved as <folder>/{root,ica,leaf}.{pem,key}."""
    rk, ik, lk = keys
    rn = name("sigverify %s Root CA" % label)
    inn = name("sigverify %s Issuing CA" % label)
    ln = name("Demo Signer %s" % label, leaf_serial)
    root = issue(rn, rk, rn, rk, ROOT_NB, ROOT_NA, ca=True, algo=algo)
    ica = issue(inn, ik, rn, rk, ICA_NB, ICA_NA, ca=True, algo=algo)
    leaf = issue(ln, lk, inn, ik, LEAF_NB, LEAF_NA, ca=False, algo=algo)
    d = os.path.join(PKI, folder)
    for n, c, k in (("root", root, rk), ("ica", ica, ik), ("leaf", leaf, lk)):
        save_cert(os.path.join(d, n + ".pem"), c)
        save_key(os.path.join(d, n + ".key"), k)
    return d


def P(*parts):
    return os.path.join(PKI, *parts)


def build_pki():
    print("generating keys (RSA-8192 takes a while) ...")
    # rsa: RSA-2048 everywhere, sha256WithRSAEncryption
    make_chain("rsa", "RSA", (rsa_key(), rsa_key(), rsa_key()), ("sha256", False), "MIDCHEDEMO0000001")
    # pss: root RSA-8192 / ica RSA-4096 / leaf RSA-2048, certificates signed RSASSA-PSS SHA-256 salt 32
    make_chain("pss", "RSA-PSS", (rsa_key(8192), rsa_key(4096), rsa_key()), ("sha256", True), "MIDCHEDEMO0000002")
    # p256 / p384: ECDSA everywhere
    make_chain("p256", "ECDSA P-256", tuple(ec.generate_private_key(ec.SECP256R1()) for _ in range(3)),
               ("sha256", False), "MIDCHEDEMO0000003")
    make_chain("p384", "ECDSA P-384", tuple(ec.generate_private_key(ec.SECP384R1()) for _ in range(3)),
               ("sha384", False), "MIDCHEDEMO0000004")
    # untrusted: RSA chain whose root is never a trust anchor
    make_chain("untrusted", "Untrusted", (rsa_key(), rsa_key(), rsa_key()), ("sha256", False), "MIDCHEDEMO0000005")

    rroot, rica = load_cert(P("rsa", "root.pem")), load_cert(P("rsa", "ica.pem"))
    rroot_k, rica_k = load_key(P("rsa", "root.key")), load_key(P("rsa", "ica.key"))
    A = ("sha256", False)

    def leaf_under_rsa_ica(folder, serial, nb=LEAF_NB, na=LEAF_NA, key=None, **kw):
        k = key or rsa_key()
        c = issue(name("Demo Signer " + folder, serial), k, rica.subject, rica_k, nb, na, ca=False, algo=A, **kw)
        save_cert(P("neg", folder, "leaf.pem"), c)
        save_key(P("neg", folder, "leaf.key"), k)

    def ica_and_leaf(folder, serial, ica_nb=ICA_NB, ica_na=ICA_NA, leaf_nb=LEAF_NB, **ica_kw):
        """<folder>/ica.pem under the rsa root (with the given quirks) and <folder>/leaf.pem below it."""
        ik, lk = rsa_key(), rsa_key()
        iname = name("sigverify Issuing CA " + folder)
        ica_kw.setdefault("ca", True)
        ica = issue(iname, ik, rroot.subject, rroot_k, ica_nb, ica_na, algo=A, **ica_kw)
        leaf = issue(name("Demo Signer " + folder, serial), lk, iname, ik, leaf_nb, LEAF_NA, ca=False, algo=A)
        for n, c, k in (("ica", ica, ik), ("leaf", leaf, lk)):
            save_cert(P("neg", folder, n + ".pem"), c)
            save_key(P("neg", folder, n + ".key"), k)

    # backtrack: two intermediates with the same subject name under the rsa root; only ica-good holds the
    # key that signed the leaf. ica-decoy has its own SKI, ica-decoy-same-ski even copies ica-good's SKI.
    gk, dk, lk = rsa_key(), rsa_key(), rsa_key()
    bname = name("sigverify Backtrack Issuing CA")
    good = issue(bname, gk, rroot.subject, rroot_k, ICA_NB, ICA_NA, ca=True, algo=A)
    decoy = issue(bname, dk, rroot.subject, rroot_k, ICA_NB, ICA_NA, ca=True, algo=A)
    decoy_ski = issue(bname, dk, rroot.subject, rroot_k, ICA_NB, ICA_NA, ca=True, algo=A, ski=ski_of(gk))
    bleaf = issue(name("Demo Signer Backtrack", "MIDCHEDEMO0000006"), lk, bname, gk, LEAF_NB, LEAF_NA, ca=False,
                  algo=A)
    for n, c in (("ica-good", good), ("ica-decoy", decoy), ("ica-decoy-same-ski", decoy_ski), ("leaf", bleaf)):
        save_cert(P("backtrack", n + ".pem"), c)
    save_key(P("backtrack", "ica-good.key"), gk)
    save_key(P("backtrack", "ica-decoy.key"), dk)
    save_key(P("backtrack", "leaf.key"), lk)

    # neg/swap: attacker CA (self-signed) whose subject equals the rsa ica's subject, and an attacker cert
    # with the same issuer name + serial number as the rsa leaf but a different key.
    rleaf = load_cert(P("rsa", "leaf.pem"))
    ak, alk = rsa_key(), rsa_key()
    aca = issue(rica.subject, ak, rica.subject, ak, ROOT_NB, ROOT_NA, ca=True, algo=A)
    aleaf = issue(rleaf.subject, alk, rica.subject, ak, LEAF_NB, LEAF_NA, ca=False, algo=A,
                  serial=rleaf.serial_number)
    save_cert(P("neg", "swap", "attacker-ca.pem"), aca)
    save_key(P("neg", "swap", "attacker-ca.key"), ak)
    save_cert(P("neg", "swap", "attacker-leaf.pem"), aleaf)
    save_key(P("neg", "swap", "attacker-leaf.key"), alk)

    # neg leaves directly under the rsa ica
    leaf_under_rsa_ica("expired-leaf", "MIDCHEDEMO0000010", nb=D(2020), na=D(2021))
    leaf_under_rsa_ica("leaf-keyenc", "MIDCHEDEMO0000011", key_usage=ku(ke=True))
    leaf_under_rsa_ica("leaf-unknown-critical", "MIDCHEDEMO0000012",
                       extra=[(x509.UnrecognizedExtension(x509.ObjectIdentifier("1.3.6.1.4.1.55555.1"),
                                                          b"\x05\x00"), True)])
    leaf_under_rsa_ica("rsa1024", "MIDCHEDEMO0000013", key=rsa_key(1024))
    # neg intermediates under the rsa root, each with a leaf
    ica_and_leaf("expired-ica", "MIDCHEDEMO0000020", ica_na=D(2022), leaf_nb=D(2020, 6, 1))
    ica_and_leaf("ica-not-ca", "MIDCHEDEMO0000021", ca=False, key_usage=CA_KU)  # CA:FALSE but keyCertSign
    ica_and_leaf("ica-no-bc", "MIDCHEDEMO0000022", bc=False)                    # no basicConstraints at all
    ica_and_leaf("ica-no-keycertsign", "MIDCHEDEMO0000023", key_usage=ku(ds=True, crl_sign=True))
    # neg/pathlen0: rsa root -> ica1 (pathLen 0) -> ica2 -> leaf
    k1, k2, kl = rsa_key(), rsa_key(), rsa_key()
    n1, n2 = name("sigverify PathLen0 CA"), name("sigverify Below-PathLen0 CA")
    i1 = issue(n1, k1, rroot.subject, rroot_k, ICA_NB, ICA_NA, ca=True, pathlen=0, algo=A)
    i2 = issue(n2, k2, n1, k1, ICA_NB, ICA_NA, ca=True, algo=A)
    lf = issue(name("Demo Signer pathlen0", "MIDCHEDEMO0000024"), kl, n2, k2, LEAF_NB, LEAF_NA, ca=False, algo=A)
    for n, c, k in (("ica1", i1, k1), ("ica2", i2, k2), ("leaf", lf, kl)):
        save_cert(P("neg", "pathlen0", n + ".pem"), c)
        save_key(P("neg", "pathlen0", n + ".key"), k)


# --------------------------------------------------------------------------- CMS
def cat(paths):
    """Concatenate PEM files into one temp file (for -certfile / -CAfile)."""
    data = b"".join(read(p) for p in paths)
    fd, path = tempfile.mkstemp(dir=TMP, suffix=".pem")
    os.write(fd, data)
    os.close(fd)
    TMP_NAMES[path] = "<cat %s>" % " ".join(rel(p) for p in paths)
    return path


def tmpfile(data, label=None):
    fd, path = tempfile.mkstemp(dir=TMP)
    os.write(fd, data)
    os.close(fd)
    if label:
        TMP_NAMES[path] = "<%s>" % label
    return path


def ossl_sign(content, cert, key, attached=True, certfile=(), md=None, extra=(), signers=()):
    """openssl cms -sign -binary -outform DER ... under a fixed clock; returns DER bytes."""
    out = os.path.join(TMP, "out.der")
    cmd = ["openssl", "cms", "-sign", "-binary", "-outform", "DER", "-in", tmpfile(content), "-out", out,
           "-signer", cert, "-inkey", key]
    for c, k in signers:
        cmd += ["-signer", c, "-inkey", k]
    if attached:
        cmd.append("-nodetach")
    if certfile:
        cmd += ["-certfile", cat(certfile)]
    if md:
        cmd += ["-md", md]
    cmd += list(extra)
    run(cmd, fake_time=True)
    return read(out)


PSS = lambda salt: ["-keyopt", "rsa_padding_mode:pss", "-keyopt", "rsa_pss_saltlen:%d" % salt]


def sign_raw(key, data, md="sha256"):
    h = HASH_CLS[md]()
    if isinstance(key, rsa.RSAPrivateKey):
        return key.sign(data, padding.PKCS1v15(), h)
    return key.sign(data, ec.ECDSA(h))


def sig_alg_der(key, md):
    if isinstance(key, rsa.RSAPrivateKey):
        return tlv(0x30, oid("1.2.840.113549.1.1.1") + b"\x05\x00")
    return tlv(0x30, oid({"sha256": "1.2.840.10045.4.3.2", "sha384": "1.2.840.10045.4.3.3",
                          "sha512": "1.2.840.10045.4.3.4"}[md]))


def attr(type_oid, *values_der):
    return tlv(0x30, oid(type_oid) + tlv(0x31, b"".join(sorted(values_der))))


def ess_v2_attr(cert_der):
    c = ax509.Certificate.load(cert_der)
    v = tsp.SigningCertificateV2({"certs": [{
        "cert_hash": hashlib.sha256(cert_der).digest(),
        "issuer_serial": {"issuer": [ax509.GeneralName(name="directory_name", value=c.issuer)],
                          "serial_number": c.serial_number}}]})
    return attr(OID_SIGNING_CERT_V2, v.dump())


def cert_der(path):
    return load_cert(path).public_bytes(serialization.Encoding.DER)


def sid_der(cert_path):
    c = ax509.Certificate.load(cert_der(cert_path))
    return cms.IssuerAndSerialNumber({"issuer": c.issuer, "serial_number": c.serial_number}).dump()


def py_signer_info(cert, key_path, digest_input, *, md="sha256", attrs=None, order="der", sign_attrs=None,
                   unsigned=None, content_type_oid=OID_DATA, extra_attrs=()):
    """Build a SignerInfo by hand. attrs: list of attribute DERs (default: contentType, signingTime,
    messageDigest); order 'der' sorts them, 'as-is' keeps the given order. sign_attrs (optional) is a
    different attribute list that is signed instead of the embedded one (for tampering)."""
    key = load_key(key_path)
    digest = hashlib.new(md, digest_input).digest()
    if attrs is None:
        attrs = []
        if content_type_oid:
            attrs.append(attr(OID_CONTENT_TYPE, oid(content_type_oid)))
        attrs += [attr(OID_SIGNING_TIME, core.UTCTime(SIGN_DT).dump()),
                  attr(OID_MESSAGE_DIGEST, core.OctetString(digest).dump())]
        attrs += list(extra_attrs)
    enc = lambda lst: b"".join(sorted(lst) if order == "der" else lst)
    signed_content = enc(attrs)
    sig = sign_raw(key, tlv(0x31, enc(sign_attrs) if sign_attrs else signed_content), md)
    body = (b"\x02\x01\x01" + sid_der(cert) + tlv(0x30, oid(HASH_OID[md]))
            + tlv(0xA0, signed_content) + sig_alg_der(key, md) + tlv(0x04, sig)
            + (tlv(0xA1, b"".join(unsigned)) if unsigned else b""))
    return tlv(0x30, body)


def py_signed_data(content, attached, certs, signer_infos, mds=("sha256",)):
    encap = tlv(0x30, oid(OID_DATA) + (tlv(0xA0, tlv(0x04, content)) if attached else b""))
    parts = {"version": b"\x02\x01\x01", "digest_algorithms": tlv(0x31, b"".join(
        sorted(tlv(0x30, oid(HASH_OID[m])) for m in mds))) if signer_infos else tlv(0x31, b""),
        "encap_content_info": encap, "crls": b""}
    return join_sd(parts, certs=[cert_der(c) for c in certs], sis=signer_infos)


# --------------------------------------------------------------------------- openssl checks
def check(case, p7, anchors, content=None, certfile=(), at=AT_2026, ok=True, purpose="any", extra=()):
    """openssl cms -verify; ok=True must pass, ok=False must fail, ok=None: openssl cannot tell (logged)."""
    cmd = ["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", p7, "-CAfile", cat(anchors),
           "-purpose", purpose, "-attime", epoch(at), "-out", os.devnull]
    if content is not None:
        cmd += ["-content", content]
    if certfile:
        cmd += ["-certfile", cat(certfile)]
    cmd += list(extra)
    _record(case, cmd, ok)


def check_cert(case, cert, anchors, untrusted=(), at=AT_2026, ok=True, extra=()):
    cmd = ["openssl", "verify", "-CAfile", cat(anchors), "-purpose", "any", "-attime", epoch(at)]
    if untrusted:
        cmd += ["-untrusted", cat(untrusted)]
    cmd += list(extra) + [cert]
    _record(case, cmd, ok)


def _record(case, cmd, ok):
    p = run(cmd, check=False)
    passed = p.returncode == 0
    shown = " ".join(rel(c) if c.startswith(TD) else (TMP_NAMES.get(c, "<tmp %s>" % os.path.basename(c))
                                                      if c.startswith(TMP) else c) for c in cmd)
    OPENSSL_CHECKS.append((case, shown, ok, passed))
    if ok is None:
        OPENSSL_BLIND.append((case, passed))
    elif ok != passed:
        sys.exit("openssl check for %s: expected %s, got %s\n%s\n%s" % (
            case, "pass" if ok else "fail", "pass" if passed else "fail", shown, p.stderr.decode(errors="replace")))


# --------------------------------------------------------------------------- cases
CASES = []


def case(name_, file_, indication, sub="-", content="-", anchors=("rsa",), intermediates="-", at=AT_2026,
         check="-", note=""):
    """One row of cases.tsv. `check`: the code of the check that decides a case that does not pass (the
    first check, file-level then per signature in order, whose sub-indication is the verdict's)."""
    assert (check == "-") == (indication == "TOTAL_PASSED"), name_
    anc = ",".join(rel(P(a, "root.pem")) if "/" not in a else a for a in anchors) if anchors else "-"
    CASES.append([name_, rel(file_), content, anc, intermediates, at, "default", indication, sub, check, note])


def S(fname):
    return os.path.join(SAMPLES, fname)


def build_samples():
    rsa_c, rsa_k, rsa_i, rsa_r = (P("rsa", f) for f in ("leaf.pem", "leaf.key", "ica.pem", "root.pem"))
    content_f = write(S("content/content.txt"), CONTENT)
    wrong_f = write(S("content/content-wrong.txt"), CONTENT.replace(b"Hello", b"Hallo"))
    dtbd_tmp = tmpfile(DTBD.encode(), "file with the DTBD text")
    PASS, FAIL, INDET = "TOTAL_PASSED", "TOTAL_FAILED", "INDETERMINATE"

    # ---------------- positives
    # rsa-attached: openssl cms -sign -nodetach, leaf (auto) + ica (-certfile) in the bag
    f = write(S("rsa-attached.p7m"), ossl_sign(CONTENT, rsa_c, rsa_k, certfile=[rsa_i]))
    check("rsa-attached", f, [rsa_r])
    case("rsa-attached", f, PASS, note="RSA PKCS#1 v1.5, SHA-256, attached, leaf+ica in CMS")
    rsa_attached = f

    # rsa-detached-file: openssl cms -sign (detached) of content/content.txt
    f = write(S("rsa-detached.p7s"), ossl_sign(CONTENT, rsa_c, rsa_k, attached=False, certfile=[rsa_i]))
    check("rsa-detached-file", f, [rsa_r], content=content_f)
    case("rsa-detached-file", f, PASS, content="file:" + rel(content_f), note="detached, content from file")
    rsa_detached = f

    # rsa-detached-dtbd: openssl cms -sign (detached) over the exact UTF-8 bytes of DTBD
    f = write(S("rsa-detached-dtbd.p7s"), ossl_sign(DTBD.encode(), rsa_c, rsa_k, attached=False, certfile=[rsa_i]))
    check("rsa-detached-dtbd", f, [rsa_r], content=dtbd_tmp)
    case("rsa-detached-dtbd", f, PASS, content="dtbd:" + DTBD, note="detached, content given as DTBD text")
    rsa_dtbd = f

    # rsa-detached-hash: same file as rsa-detached-file, content given only as its SHA-256 digest
    h = base64.b64encode(hashlib.sha256(CONTENT).digest()).decode()
    case("rsa-detached-hash", rsa_detached, PASS, content="hash:SHA-256:" + h,
         note="detached, content given as SHA-256 digest (openssl checked with the file)")

    pss_c, pss_k, pss_i, pss_r = (P("pss", f) for f in ("leaf.pem", "leaf.key", "ica.pem", "root.pem"))
    # pss-attached-salt32 / -salt20: openssl cms -sign -keyopt rsa_padding_mode:pss -keyopt rsa_pss_saltlen:N
    for salt in (32, 20):
        f = write(S("pss-attached-salt%d.p7m" % salt), ossl_sign(CONTENT, pss_c, pss_k, certfile=[pss_i],
                                                                extra=PSS(salt)))
        check("pss-attached-salt%d" % salt, f, [pss_r])
        case("pss-attached-salt%d" % salt, f, PASS, anchors=("pss",),
             note="RSASSA-PSS SHA-256 salt %d; chain RSA-8192/4096 PSS-signed" % salt)
    pss_attached = S("pss-attached-salt32.p7m")

    # p256-attached: ECDSA P-256, SHA-256
    p256_c, p256_k, p256_i, p256_r = (P("p256", f) for f in ("leaf.pem", "leaf.key", "ica.pem", "root.pem"))
    f = write(S("p256-attached.p7m"), ossl_sign(CONTENT, p256_c, p256_k, certfile=[p256_i]))
    check("p256-attached", f, [p256_r])
    case("p256-attached", f, PASS, anchors=("p256",), note="ECDSA P-256 SHA-256 attached")
    p256_attached = f

    # p384-detached-sha384 (-md sha384) and p384-attached-sha512 (-md sha512)
    p384_c, p384_k, p384_i, p384_r = (P("p384", f) for f in ("leaf.pem", "leaf.key", "ica.pem", "root.pem"))
    f = write(S("p384-detached-sha384.p7s"), ossl_sign(CONTENT, p384_c, p384_k, attached=False, certfile=[p384_i],
                                                       md="sha384"))
    check("p384-detached-sha384", f, [p384_r], content=content_f)
    case("p384-detached-sha384", f, PASS, content="file:" + rel(content_f), anchors=("p384",),
         note="ECDSA P-384 SHA-384 detached")
    f = write(S("p384-attached-sha512.p7m"), ossl_sign(CONTENT, p384_c, p384_k, certfile=[p384_i], md="sha512"))
    check("p384-attached-sha512", f, [p384_r])
    case("p384-attached-sha512", f, PASS, anchors=("p384",), note="ECDSA P-384 key with SHA-512 digest")

    # rsa-noattr: -noattr (signature directly over the content)
    f = write(S("rsa-noattr.p7m"), ossl_sign(CONTENT, rsa_c, rsa_k, certfile=[rsa_i], extra=["-noattr"]))
    check("rsa-noattr", f, [rsa_r])
    case("rsa-noattr", f, PASS, note="no signed attributes")

    # rsa-keyid: -keyid (SignerIdentifier = subjectKeyIdentifier, SignerInfo v3)
    f = write(S("rsa-keyid.p7m"), ossl_sign(CONTENT, rsa_c, rsa_k, certfile=[rsa_i], extra=["-keyid"]))
    check("rsa-keyid", f, [rsa_r])
    case("rsa-keyid", f, PASS, note="signer identified by subjectKeyIdentifier")

    # rsa-cades: -cades (ESS signingCertificateV2 attribute)
    f = write(S("rsa-cades.p7m"), ossl_sign(CONTENT, rsa_c, rsa_k, certfile=[rsa_i], extra=["-cades"]))
    assert OID_SIGNING_CERT_V2 in str([a["type"].dotted for a in split_attrs(f)])
    check("rsa-cades", f, [rsa_r], extra=["-cades"])
    case("rsa-cades", f, PASS, note="CAdES: ESS signingCertificateV2 present and correct")

    # rsa-ber-stream: -stream -nodetach -outform DER gives BER indefinite-length encoding
    f = write(S("rsa-ber-stream.p7m"), ossl_sign(CONTENT, rsa_c, rsa_k, certfile=[rsa_i], extra=["-stream"]))
    assert read(f)[:2] == b"\x30\x80", "expected indefinite length"
    check("rsa-ber-stream", f, [rsa_r])
    case("rsa-ber-stream", f, PASS, note="BER indefinite-length (openssl -stream)")

    # rsa-unsorted-attrs: Python-built; signed attrs in order messageDigest, contentType, signingTime (not DER
    # SET OF order) and the signature covers exactly that unsorted SET encoding
    d = hashlib.sha256(CONTENT).digest()
    attrs = [attr(OID_MESSAGE_DIGEST, core.OctetString(d).dump()), attr(OID_CONTENT_TYPE, oid(OID_DATA)),
             attr(OID_SIGNING_TIME, core.UTCTime(SIGN_DT).dump())]
    assert attrs != sorted(attrs)
    si = py_signer_info(rsa_c, rsa_k, CONTENT, attrs=attrs, order="as-is")
    f = write(S("rsa-unsorted-attrs.p7m"), py_signed_data(CONTENT, True, [rsa_c, rsa_i], [si]))
    check("rsa-unsorted-attrs", f, [rsa_r])
    case("rsa-unsorted-attrs", f, PASS, note="signed attrs not in DER order; signature over the unsorted encoding")

    # rsa-extra-certs: openssl output, certificate bag rebuilt with irrelevant certs in shuffled order
    parts = split_sd(read(rsa_attached))
    extra = [cert_der(p) for p in (P("p256", "root.pem"), P("p384", "leaf.pem"), P("pss", "ica.pem"),
                                   P("untrusted", "leaf.pem"), P("untrusted", "ica.pem"))]
    bag = parts["cert_list"] + extra
    random.Random(7).shuffle(bag)
    bag.remove(cert_der(rsa_c)); bag.insert(3, cert_der(rsa_c))  # leaf neither first nor last
    f = write(S("rsa-extra-certs.p7m"), join_sd(parts, certs=bag))
    check("rsa-extra-certs", f, [rsa_r])
    case("rsa-extra-certs", f, PASS, note="7 certificates in non-sorted order, 5 irrelevant")

    # rsa-ica-external: signed without -certfile: bag holds only the leaf; ica passed as intermediate
    f = write(S("rsa-leaf-only.p7m"), ossl_sign(CONTENT, rsa_c, rsa_k))
    # (openssl cms -verify has no -untrusted: the ica goes into -CAfile for this check)
    check("rsa-ica-external", f, [rsa_r, rsa_i])
    case("rsa-ica-external", f, PASS, intermediates=rel(rsa_i), note="intermediate supplied outside the CMS")
    rsa_leaf_only = f

    # backtrack: leaf signed by ica-good; bag = [decoy, good, leaf] (same subject name, decoy first)
    bl, bk, good, decoy, decoy_ski = (P("backtrack", n) for n in ("leaf.pem", "leaf.key", "ica-good.pem",
                                                                   "ica-decoy.pem", "ica-decoy-same-ski.pem"))
    base = split_sd(ossl_sign(CONTENT, bl, bk))
    f = write(S("backtrack-same-name.p7m"), join_sd(base, certs=[cert_der(decoy), cert_der(good), cert_der(bl)]))
    check("backtrack-same-name", f, [rsa_r])
    case("backtrack-same-name", f, PASS, note="two ICAs with the same subject (different SKI), wrong one first")
    f = write(S("backtrack-same-name-ski.p7m"),
              join_sd(base, certs=[cert_der(decoy_ski), cert_der(good), cert_der(bl)]))
    # openssl does not backtrack among untrusted certs: check the signature with the good ICA only
    check("backtrack-same-name-ski", f, [rsa_r], ok=None)
    check("backtrack-same-name-ski", f, [rsa_r, good], extra=["-nointern", "-certfile", cat([bl])])
    case("backtrack-same-name-ski", f, PASS,
         note="two ICAs with the same subject AND same SKI, wrong key first: verifier must backtrack")

    # rsa-countersigned: openssl rsa-attached + unsigned id-countersignature attribute, counter-signed (Python)
    # by the rsa leaf over the signature value (signed attrs: signingTime + messageDigest, no contentType)
    parts = split_sd(read(rsa_attached))
    sip = split_si(parts["si_list"][0])
    sig = cms.SignerInfo.load(parts["si_list"][0])["signature"].native
    cs = py_signer_info(rsa_c, rsa_k, sig, content_type_oid=None)
    sip["unsigned_attrs"] = tlv(0xA1, attr(OID_COUNTER_SIGNATURE, cs))
    f = write(S("rsa-countersigned.p7m"), join_sd(parts, sis=[join_si(sip)]))
    check("rsa-countersigned", f, [rsa_r])
    case("rsa-countersigned", f, PASS, note="valid counter-signature (rsa leaf) in unsigned attributes")

    # ---------------- negatives
    # content-modified: attached content changed ("Hello" -> "Hallo") after signing
    f = write(S("neg-content-modified.p7m"), read(rsa_attached).replace(b"Hello", b"Hallo"))
    check("neg-content-modified", f, [rsa_r], ok=False)
    case("neg-content-modified", f, "TOTAL_FAILED", "HASH_FAILURE",
         check="MESSAGE_DIGEST_MATCH", note="attached content altered after signing")

    check("neg-detached-wrong-file", rsa_detached, [rsa_r], content=wrong_f, ok=False)
    case("neg-detached-wrong-file", rsa_detached, FAIL, "HASH_FAILURE", content="file:" + rel(wrong_f),
         check="MESSAGE_DIGEST_MATCH", note="detached signature against another file")
    check("neg-detached-wrong-dtbd", rsa_dtbd, [rsa_r], content=tmpfile(WRONG_DTBD.encode(), "file with the wrong DTBD text"), ok=False)
    case("neg-detached-wrong-dtbd", rsa_dtbd, FAIL, "HASH_FAILURE", content="dtbd:" + WRONG_DTBD,
         check="MESSAGE_DIGEST_MATCH", note="DTBD text differs (CHF 900.00)")
    h = base64.b64encode(hashlib.sha256(CONTENT + b"x").digest()).decode()
    case("neg-detached-wrong-hash", rsa_detached, FAIL, "HASH_FAILURE", content="hash:SHA-256:" + h,
         check="MESSAGE_DIGEST_MATCH", note="digest of other content")

    # sigflip: lowest bit of the last signature byte flipped in place (rsa, p256, pss)
    for label, src, anc in (("rsa", rsa_attached, "rsa"), ("p256", p256_attached, "p256"),
                            ("pss", pss_attached, "pss")):
        data = read(src)
        f = write(S("neg-sigflip-%s.p7m" % label), flip_last_bit(data, signature_bytes(data)))
        check("neg-sigflip-" + label, f, [P(anc, "root.pem")], ok=False)
        case("neg-sigflip-" + label, f, FAIL, "SIG_CRYPTO_FAILURE", anchors=(anc,),
             check="SIGNATURE_VALUE", note="one signature bit flipped")

    # signed-attrs-tampered: signingTime 260115120000Z -> 260116120000Z in place, signature kept
    data = read(rsa_attached)
    assert data.count(b"260115120000Z") == 1
    f = write(S("neg-signed-attrs-tampered.p7m"), data.replace(b"260115120000Z", b"260116120000Z"))
    check("neg-signed-attrs-tampered", f, [rsa_r], ok=False)
    case("neg-signed-attrs-tampered", f, FAIL, "SIG_CRYPTO_FAILURE",
         check="SIGNATURE_VALUE", note="signingTime changed after signing")

    # signer-cert-swapped: rsa leaf in the bag replaced by attacker-leaf (same issuer name + serial, other key)
    parts = split_sd(read(rsa_attached))
    aca, aleaf = P("neg", "swap", "attacker-ca.pem"), P("neg", "swap", "attacker-leaf.pem")
    bag = [cert_der(aleaf) if c == cert_der(rsa_c) else c for c in parts["cert_list"]]
    f = write(S("neg-signer-cert-swapped.p7m"), join_sd(parts, certs=bag))
    check("neg-signer-cert-swapped", f, [rsa_r, aca], ok=False)
    case("neg-signer-cert-swapped", f, FAIL, "SIG_CRYPTO_FAILURE", anchors=("rsa", rel(aca)),
         check="SIGNATURE_VALUE",
         note="attacker cert with same issuer+serial; attacker CA is an anchor so only the signature fails")

    # cades-wrong-ess: Python-built, signingCertificateV2 names the rsa ica instead of the leaf; signature valid
    si = py_signer_info(rsa_c, rsa_k, CONTENT, extra_attrs=[ess_v2_attr(cert_der(rsa_i))])
    f = write(S("neg-cades-wrong-ess.p7m"), py_signed_data(CONTENT, True, [rsa_c, rsa_i], [si]))
    check("neg-cades-wrong-ess", f, [rsa_r], ok=None)
    check("neg-cades-wrong-ess(-cades)", f, [rsa_r], ok=False, extra=["-cades"])
    case("neg-cades-wrong-ess", f, INDET, "NO_SIGNING_CERTIFICATE_FOUND",
         check="SIGNING_CERTIFICATE_REFERENCE", note="ESS signingCertificateV2 hash of another cert (signed)")

    # content-type-mismatch: Python-built, contentType attr = id-ct-TSTInfo while eContentType = id-data
    si = py_signer_info(rsa_c, rsa_k, CONTENT, content_type_oid=OID_TST_INFO)
    f = write(S("neg-content-type-mismatch.p7m"), py_signed_data(CONTENT, True, [rsa_c, rsa_i], [si]))
    check("neg-content-type-mismatch", f, [rsa_r], ok=None)
    case("neg-content-type-mismatch", f, FAIL, "FORMAT_FAILURE",
         check="CONTENT_TYPE_MATCH", note="contentType attr != eContentType (signed)")

    # nocerts: -nocerts, no certificate in the CMS and none supplied
    f = write(S("neg-nocerts.p7m"), ossl_sign(CONTENT, rsa_c, rsa_k, extra=["-nocerts"]))
    check("neg-nocerts", f, [rsa_r], ok=False)
    check("neg-nocerts(with -certfile)", f, [rsa_r, rsa_i], certfile=[rsa_c])
    case("neg-nocerts", f, INDET, "NO_SIGNING_CERTIFICATE_FOUND", check="SIGNING_CERTIFICATE_FOUND", note="-nocerts")

    # untrusted chain: signed by pki/untrusted, anchors are the four demo roots
    uc, uk, ui = P("untrusted", "leaf.pem"), P("untrusted", "leaf.key"), P("untrusted", "ica.pem")
    four = [P(a, "root.pem") for a in ("rsa", "pss", "p256", "p384")]
    f = write(S("neg-untrusted.p7m"), ossl_sign(CONTENT, uc, uk, certfile=[ui]))
    check("neg-untrusted", f, four, ok=False)
    check("neg-untrusted(own root)", f, [P("untrusted", "root.pem")])
    case("neg-untrusted", f, INDET, "NO_CERTIFICATE_CHAIN_FOUND", anchors=("rsa", "pss", "p256", "p384"),
         check="CHAIN_BUILT", note="chain to a root that is not an anchor")

    # ica-missing: rsa-leaf-only.p7m without the intermediate
    check("neg-ica-missing", rsa_leaf_only, [rsa_r], ok=False)
    case("neg-ica-missing", rsa_leaf_only, INDET, "NO_CERTIFICATE_CHAIN_FOUND",
         check="CHAIN_BUILT", note="ICA neither in CMS nor given")

    # expired leaf (2020-01-01..2021-01-01) under the rsa ica
    el, ek = P("neg", "expired-leaf", "leaf.pem"), P("neg", "expired-leaf", "leaf.key")
    f = write(S("neg-expired-leaf.p7m"), ossl_sign(CONTENT, el, ek, certfile=[rsa_i]))
    check("neg-expired-leaf", f, [rsa_r], ok=False)
    check("neg-expired-leaf(at 2020-06-01)", f, [rsa_r], at="2020-06-01T00:00:00Z")
    case("neg-expired-leaf", f, INDET, "OUT_OF_BOUNDS_NO_POE",
         check="CERTIFICATE_VALIDITY", note="leaf valid 2020-01-01..2021-01-01")

    # not yet valid: rsa-attached at 2023-06-01
    check("neg-not-yet-valid", rsa_attached, [rsa_r], at="2023-06-01T00:00:00Z", ok=False)
    case("neg-not-yet-valid", rsa_attached, FAIL, "NOT_YET_VALID", at="2023-06-01T00:00:00Z",
         check="CERTIFICATE_VALIDITY", note="validation before leaf notBefore 2024-01-01")

    # chain-constraint negatives: each <folder>/leaf signs, <folder>/ica in the bag
    for folder, cname, sub, note, ok in (
            ("expired-ica", "neg-expired-ica", "OUT_OF_BOUNDS_NO_POE", "ICA valid 2020-01-01..2022-01-01", False),
            ("ica-not-ca", "neg-ica-not-ca", "CHAIN_CONSTRAINTS_FAILURE", "ICA has basicConstraints CA:FALSE",
             False),
            ("ica-no-bc", "neg-ica-no-bc", "CHAIN_CONSTRAINTS_FAILURE", "ICA has no basicConstraints", False),
            ("ica-no-keycertsign", "neg-ica-no-keycertsign", "CHAIN_CONSTRAINTS_FAILURE",
             "ICA keyUsage lacks keyCertSign", False)):
        lc, lk, ic = (P("neg", folder, n) for n in ("leaf.pem", "leaf.key", "ica.pem"))
        f = write(S(cname + ".p7m"), ossl_sign(CONTENT, lc, lk, certfile=[ic]))
        check(cname, f, [rsa_r], ok=ok)
        if folder == "expired-ica":
            check(cname + "(at 2021-06-01)", f, [rsa_r], at="2021-06-01T00:00:00Z")
        case(cname, f, INDET, sub, check="CHAIN_BUILT", note=note)

    # pathlen0: ica1 (pathLen 0) -> ica2 -> leaf, both ICAs in the bag
    lc, lk, i1, i2 = (P("neg", "pathlen0", n) for n in ("leaf.pem", "leaf.key", "ica1.pem", "ica2.pem"))
    f = write(S("neg-pathlen0.p7m"), ossl_sign(CONTENT, lc, lk, certfile=[i1, i2]))
    check("neg-pathlen0", f, [rsa_r], ok=False)
    case("neg-pathlen0", f, INDET, "CHAIN_CONSTRAINTS_FAILURE",
         check="CHAIN_BUILT", note="pathLenConstraint 0 exceeded")

    # leaf-keyenc: leaf keyUsage keyEncipherment only (openssl only notices with -purpose smimesign)
    lc, lk = P("neg", "leaf-keyenc", "leaf.pem"), P("neg", "leaf-keyenc", "leaf.key")
    f = write(S("neg-leaf-keyenc.p7m"), ossl_sign(CONTENT, lc, lk, certfile=[rsa_i]))
    check("neg-leaf-keyenc", f, [rsa_r], ok=None)
    check("neg-leaf-keyenc(smimesign)", f, [rsa_r], purpose="smimesign", ok=False)
    check("rsa-attached(smimesign)", rsa_attached, [rsa_r], purpose="smimesign")
    case("neg-leaf-keyenc", f, INDET, "CHAIN_CONSTRAINTS_FAILURE",
         check="KEY_USAGE", note="leaf keyUsage keyEncipherment only")

    # leaf-unknown-critical: leaf carries critical extension 1.3.6.1.4.1.55555.1
    lc, lk = P("neg", "leaf-unknown-critical", "leaf.pem"), P("neg", "leaf-unknown-critical", "leaf.key")
    f = write(S("neg-leaf-unknown-critical.p7m"), ossl_sign(CONTENT, lc, lk, certfile=[rsa_i]))
    check("neg-leaf-unknown-critical", f, [rsa_r], ok=False)
    case("neg-leaf-unknown-critical", f, INDET, "CHAIN_CONSTRAINTS_FAILURE",
         check="CRITICAL_EXTENSIONS", note="unknown critical extension 1.3.6.1.4.1.55555.1")

    # sha1: -md sha1 with the rsa leaf
    f = write(S("neg-sha1.p7m"), ossl_sign(CONTENT, rsa_c, rsa_k, certfile=[rsa_i], md="sha1"))
    check("neg-sha1", f, [rsa_r], ok=None)
    case("neg-sha1", f, INDET, "CRYPTO_CONSTRAINTS_FAILURE_NO_POE",
         check="CRYPTO_POLICY", note="SHA-1 message digest")

    # rsa1024: RSA-1024 leaf under the rsa ica, SHA-256
    lc, lk = P("neg", "rsa1024", "leaf.pem"), P("neg", "rsa1024", "leaf.key")
    f = write(S("neg-rsa1024.p7m"), ossl_sign(CONTENT, lc, lk, certfile=[rsa_i]))
    check("neg-rsa1024", f, [rsa_r], ok=None)
    check("neg-rsa1024(-auth_level 2)", f, [rsa_r], ok=False, extra=["-auth_level", "2"])
    case("neg-rsa1024", f, INDET, "CRYPTO_CONSTRAINTS_FAILURE_NO_POE",
         check="CRYPTO_POLICY", note="RSA-1024 signer key")

    # detached-no-content: rsa-detached.p7s with no content at all
    check("neg-detached-no-content", rsa_detached, [rsa_r], ok=False)
    case("neg-detached-no-content", rsa_detached, INDET, "SIGNED_DATA_NOT_FOUND", content="none",
         check="SIGNED_DATA_FOUND", note="detached signature, no content supplied")

    # garbage / truncated / empty
    f = write(S("neg-garbage.p7s"), random.Random(42).randbytes(512))
    check("neg-garbage", f, [rsa_r], ok=False)
    case("neg-garbage", f, FAIL, "FORMAT_FAILURE", check="FORMAT_PARSED", note="512 random bytes")
    data = read(rsa_attached)
    f = write(S("neg-truncated.p7m"), data[:len(data) // 2])
    check("neg-truncated", f, [rsa_r], ok=False)
    case("neg-truncated", f, FAIL, "FORMAT_FAILURE", check="FORMAT_PARSED", note="first half of rsa-attached.p7m")
    f = write(S("neg-empty.p7s"), b"")
    check("neg-empty", f, [rsa_r], ok=False)
    case("neg-empty", f, FAIL, "FORMAT_FAILURE", check="FORMAT_PARSED", note="empty file")

    # two-signers-one-bad: openssl with two -signer (rsa + p256), then the p256 signature bit flipped
    data = ossl_sign(CONTENT, rsa_c, rsa_k, certfile=[rsa_i, p256_i], signers=[(p256_c, p256_k)])
    ok2 = write(os.path.join(TMP, "two.der"), data)
    TMP_NAMES[ok2] = "<two-signer CMS before the bit flip>"
    check("two-signers(unmodified)", ok2, [rsa_r, p256_r])
    sd = cms.ContentInfo.load(data)["content"]
    idx = [i for i, si in enumerate(sd["signer_infos"]) if si["signature_algorithm"]["algorithm"].native != "rsassa_pkcs1v15"]
    assert len(sd["signer_infos"]) == 2 and len(idx) == 1
    f = write(S("neg-two-signers-one-bad.p7m"), flip_last_bit(data, signature_bytes(data, idx[0])))
    check("neg-two-signers-one-bad", f, [rsa_r, p256_r], ok=False)
    case("neg-two-signers-one-bad", f, FAIL, "SIG_CRYPTO_FAILURE", anchors=("rsa", "p256"),
         check="SIGNATURE_VALUE", note="rsa SignerInfo valid, p256 SignerInfo signature flipped")

    # zero-signers: Python-built SignedData with content + certs but empty digestAlgorithms / signerInfos
    f = write(S("neg-zero-signers.p7m"), py_signed_data(CONTENT, True, [rsa_c, rsa_i], []))
    check("neg-zero-signers", f, [rsa_r], ok=False)
    case("neg-zero-signers", f, FAIL, "FORMAT_FAILURE",
         check="SIGNATURE_PRESENT", note="SignedData with zero SignerInfos")

    # ---------------- bare certificates
    check_cert("cert-rsa-leaf-pem", rsa_c, [rsa_r], [rsa_i])
    case("cert-rsa-leaf-pem", rsa_c, PASS, intermediates=rel(rsa_i), note="bare certificate (PEM)")
    der = write(S("certs/p256-leaf.der"), cert_der(p256_c))
    check_cert("cert-p256-leaf-der", p256_c, [p256_r], [p256_i])
    case("cert-p256-leaf-der", der, PASS, anchors=("p256",), intermediates=rel(p256_i), note="bare certificate (DER)")
    el = P("neg", "expired-leaf", "leaf.pem")
    check_cert("cert-expired-leaf", el, [rsa_r], [rsa_i], ok=False)
    case("cert-expired-leaf", el, INDET, "OUT_OF_BOUNDS_NO_POE", intermediates=rel(rsa_i),
         check="CERTIFICATE_VALIDITY", note="bare expired certificate")
    lc, ic = P("neg", "ica-not-ca", "leaf.pem"), P("neg", "ica-not-ca", "ica.pem")
    check_cert("cert-ica-not-ca", lc, [rsa_r], [ic], ok=False)
    case("cert-ica-not-ca", lc, INDET, "CHAIN_CONSTRAINTS_FAILURE", intermediates=rel(ic),
         check="CHAIN_BUILT", note="bare certificate issued by a CA:FALSE cert")
    check_cert("cert-untrusted", uc, four, [ui], ok=False)
    case("cert-untrusted", uc, INDET, "NO_CERTIFICATE_CHAIN_FOUND", anchors=("rsa", "pss", "p256", "p384"),
         intermediates=rel(ui), check="CHAIN_BUILT", note="bare certificate of an untrusted chain")

    # ---------------- table
    with open(S("cases.tsv"), "w", encoding="utf-8", newline="\n") as t:
        t.write("case\tfile\tcontent\tanchors\tintermediates\tat\tpolicy\tindication\tsub_indication\tcheck\tnote\n")
        for row in CASES:
            assert all("\t" not in c and "\n" not in c for c in row), row
            t.write("\t".join(row) + "\n")


def split_attrs(path):
    return cms.ContentInfo.load(read(path))["content"]["signer_infos"][0]["signed_attrs"]


def build_demo():
    """demo/: the four roots as anchors and four attached, valid samples (leaf + ica inside)."""
    os.makedirs(os.path.join(DEMO, "anchors"))
    anchors = []
    for chain in ("rsa", "pss", "p256", "p384"):
        anchors.append(os.path.join(DEMO, "anchors", "demo-root-%s.pem" % chain))
        shutil.copy(P(chain, "root.pem"), anchors[-1])
    for chain in ("rsa", "pss", "p256", "p384"):
        # openssl cms -sign -nodetach, leaf + ica in the bag (pss: salt 32; p384: SHA-384)
        extra = PSS(32) if chain == "pss" else []
        md = "sha384" if chain == "p384" else None
        f = write(os.path.join(DEMO, "demo-%s.p7m" % chain),
                  ossl_sign(DEMO_TEXT, P(chain, "leaf.pem"), P(chain, "leaf.key"), certfile=[P(chain, "ica.pem")],
                            md=md, extra=extra))
        # demo files must verify now (no -attime) against all four demo anchors
        cmd = ["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", f, "-CAfile", cat(anchors),
               "-purpose", "any", "-out", os.devnull]
        _record("demo-" + chain, cmd, True)
    write(os.path.join(DEMO, "README.md"), DEMO_README.encode())


DEMO_README = """# sigverify demo files

Four small CMS/CAdES signatures for a first run, one per supported key type:

| file | signer | algorithm |
|------|--------|-----------|
| `demo-rsa.p7m`  | `Demo Signer RSA`  | RSA-2048, PKCS#1 v1.5, SHA-256 |
| `demo-pss.p7m`  | `Demo Signer RSA-PSS` | RSA-2048 RSASSA-PSS (SHA-256, salt 32), chain RSA-8192/4096 with PSS |
| `demo-p256.p7m` | `Demo Signer ECDSA P-256` | ECDSA P-256, SHA-256 |
| `demo-p384.p7m` | `Demo Signer ECDSA P-384` | ECDSA P-384, SHA-384 |

Each file is an *attached* signature (the signed text is inside) over a short
Mobile-ID-style confirmation text (German/French). The signer certificate and its
issuing CA are included in every file; the matching roots are in `anchors/`
(`demo-root-rsa.pem`, `demo-root-pss.pem`, `demo-root-p256.pem`, `demo-root-p384.pem`).

Try:

    sigverify verify --trust-anchor testdata/demo/anchors testdata/demo/*.p7m

All four should pass (certificates are valid 2024-01-01 .. 2040-01-01).

These are TEST certificates from a throw-away PKI (`testdata/pki/`, private keys
included). Never trust these roots outside of tests. Regenerate with
`python3 testdata/gen/generate.py` (see `testdata/gen/README.md`).
"""


def main():
    if not FAKETIME:
        sys.exit("faketime not found (apt-get install faketime): needed to fix the CMS signingTime")
    for d in (PKI, SAMPLES, DEMO):
        shutil.rmtree(d, ignore_errors=True)
    try:
        build_pki()
        build_samples()
        build_demo()
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
    log = ["# openssl checks run by generate.py (%s); <cat a b> = concatenated PEM bundle" %
           run(["openssl", "version"]).stdout.decode().strip()]
    for case_, cmd, ok, passed in OPENSSL_CHECKS:
        exp = {True: "expect pass", False: "expect fail", None: "info only"}[ok]
        log.append("[%s -> %s] %s: %s" % (exp, "pass" if passed else "fail", case_, cmd))
    write(os.path.join(TD, "gen", "openssl-checks.txt"), ("\n".join(log) + "\n").encode())
    print("\n".join(log))
    print("\n%d cases written to %s" % (len(CASES), rel(S("cases.tsv"))))
    if OPENSSL_BLIND:
        print("checks openssl cannot decide (expected verdict comes from the sigverify rules, see cases.tsv):")
        for c, passed in OPENSSL_BLIND:
            print("  %s: openssl %s" % (c, "passes" if passed else "fails"))
    big = [os.path.join(r, f) for r, _, fs in os.walk(TD) for f in fs
           if os.path.getsize(os.path.join(r, f)) > 100 * 1024]
    if big:
        sys.exit("files over 100 KB: %s" % big)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Regenerate the XML-DSig / XAdES / ASiC-E test files of testdata/xml/.

Run through generate.sh (or directly, from anywhere):

    testdata/xml/generate.sh

Signatures are made by xmlsec1 (an implementation independent of sigverify) from
templates written here; attack files are derived from signed files by editing text or
zip bytes afterwards. Every valid file is verified with `xmlsec1 --verify` at the
validation time with the test roots as anchors and the generator aborts if xmlsec1
disagrees; attack files are asserted to fail where xmlsec1 can tell (the others are
logged as "xmlsec1 cannot tell" in xmlsec1-checks.txt, with the reason).

Needs only python3 (standard library), xmlsec1 (tested 1.2.37, OpenSSL backend) and the
test PKI in testdata/pki/ (made by testdata/gen/generate.py).
"""
import base64
import glob
import hashlib
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
TD = os.path.normpath(os.path.join(HERE, ".."))
PKI = os.path.join(TD, "pki")
TMP = tempfile.mkdtemp(prefix="sigverify-xml-")

SIGNING_TIME = "2026-01-15T12:00:00Z"
VERIFY_TIME = "2026-06-01 00:00:00"           # = 2026-06-01T00:00:00Z, the cases' validation time
ZIP_TIME = (2026, 1, 15, 12, 0, 0)
ANCHORS = sorted(glob.glob(os.path.join(PKI, "*", "root.pem")))

# algorithm identifiers
DS = "http://www.w3.org/2000/09/xmldsig#"
XADES = "http://uri.etsi.org/01903/v1.3.2#"
SP_TYPE = "http://uri.etsi.org/01903#SignedProperties"
EXC = "http://www.w3.org/2001/10/xml-exc-c14n#"
C14N10 = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
C14N11 = "http://www.w3.org/2006/12/xml-c14n11"
ENVELOPED = DS + "enveloped-signature"
XSLT = "http://www.w3.org/TR/1999/REC-xslt-19991116"
SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
RSA_SHA1 = DS + "rsa-sha1"
ECDSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"
HMAC_SHA1 = DS + "hmac-sha1"
ORDER_NS = "urn:sigverify:test:order"
ID_ATTRS = ["--id-attr:Id", "SignedProperties", "--id-attr:Id", ORDER_NS + ":Payment"]

CASES = []      # (file, detached, expected, why)
CHECKS = []     # lines of xmlsec1-checks.txt


def read(path):
    with open(path, "rb") as f:
        return f.read()


def write(path, data):
    if isinstance(data, str):
        data = data.encode()
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    return path


def out(name):
    return os.path.join(HERE, name)


def case(file, detached, expected, why):
    CASES.append((file, detached, expected, why))


# --------------------------------------------------------------------------- certificates
class Signer:
    def __init__(self, key, cert, chain):
        self.key, self.cert, self.chain = key, cert, chain   # paths; chain = intermediates

    @property
    def der(self):
        return pem_der(self.cert)


def pem_der(path):
    b64 = re.search(rb"-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----", read(path), re.S).group(1)
    return base64.b64decode(b64)


def der_read(data, pos):
    """-> (tag, header_start, content_start, end) of the TLV at pos (definite lengths only)."""
    tag = data[pos]
    n = data[pos + 1]
    if n < 0x80:
        return tag, pos, pos + 2, pos + 2 + n
    k = n & 0x7F
    ln = int.from_bytes(data[pos + 2:pos + 2 + k], "big")
    return tag, pos, pos + 2 + k, pos + 2 + k + ln


def der_tlv(tag, content):
    n = len(content)
    if n < 0x80:
        ln = bytes([n])
    else:
        b = n.to_bytes((n.bit_length() + 7) // 8, "big")
        ln = bytes([0x80 | len(b)]) + b
    return bytes([tag]) + ln + content


def issuer_serial(der):
    """-> (issuer Name DER, serialNumber INTEGER TLV, serial as int) of a certificate."""
    _, _, c, _ = der_read(der, 0)              # Certificate
    _, _, p, _ = der_read(der, c)              # tbsCertificate content start
    t, s, cs, e = der_read(der, p)
    if t == 0xA0:                              # [0] version
        t, s, cs, e = der_read(der, e)
    serial_tlv, serial = der[s:e], int.from_bytes(der[cs:e], "big", signed=True)
    _, _, _, e = der_read(der, e)              # signature AlgorithmIdentifier
    _, s, _, e2 = der_read(der, e)             # issuer Name
    return der[s:e2], serial_tlv, serial


def issuer_serial_v2(der):
    """base64 of DER IssuerSerial { GeneralNames { [4] directoryName }, serialNumber }."""
    name, serial_tlv, _ = issuer_serial(der)
    return b64(der_tlv(0x30, der_tlv(0x30, der_tlv(0xA4, name)) + serial_tlv))


def issuer_rfc4514(path):
    p = run(["openssl", "x509", "-in", path, "-noout", "-issuer", "-nameopt", "RFC2253"])
    return p.stdout.decode().strip().split("=", 1)[1]


def b64(data):
    return base64.b64encode(data).decode()


def chain_signer(name):
    d = os.path.join(PKI, name)
    return Signer(os.path.join(d, "leaf.key"), os.path.join(d, "leaf.pem"), [os.path.join(d, "ica.pem")])


RSA = chain_signer("rsa")
P256 = chain_signer("p256")
# a second, equally trusted RSA signer (leaf under the rsa root via ica-good): the attacker
# of the key-substitution case
OTHER = Signer(os.path.join(PKI, "backtrack", "leaf.key"), os.path.join(PKI, "backtrack", "leaf.pem"),
               [os.path.join(PKI, "backtrack", "ica-good.pem")])


# --------------------------------------------------------------------------- xmlsec1
def run(cmd, cwd=None, check=True):
    p = subprocess.run(cmd, capture_output=True, cwd=cwd)
    if check and p.returncode != 0:
        sys.exit("command failed: %s\n%s" % (" ".join(cmd), p.stderr.decode(errors="replace")))
    return p


def url_maps(maps):
    args = []
    for uri, path in (maps or {}).items():
        args += ["--url-map:" + uri, path]
    return args


def sign(template, signer, name=None, maps=None, extra=(), cwd=None, hmac_key=None):
    """Sign the template text with xmlsec1; -> signed text (also written to out(name) if given)."""
    t = write(os.path.join(TMP, "template-%d.xml" % len(os.listdir(TMP))), template)
    o = t + ".signed"
    if hmac_key:
        keys = ["--hmackey", hmac_key]
    else:
        keys = ["--privkey-pem", ",".join([signer.key, signer.cert] + signer.chain)]
    run(["xmlsec1", "--sign"] + keys + ID_ATTRS + url_maps(maps) + list(extra) + ["--output", o, t],
        cwd=cwd or TMP)
    data = read(o).decode()
    if name:
        write(out(name), data)
    return data


def verify(name, expect, maps=None, extra=(), cwd=None, path=None, why=None):
    """xmlsec1 --verify; expect 'ok', 'fail' or 'blind' (xmlsec1 cannot tell; logged only)."""
    path = path or out(name)
    trust = []
    for a in ANCHORS:
        trust += ["--trusted-pem", a]
    cmd = (["xmlsec1", "--verify"] + trust + ["--verification-gmt-time", VERIFY_TIME] + ID_ATTRS
           + url_maps(maps) + list(extra) + [path])
    p = run(cmd, cwd=cwd or HERE, check=False)
    got = "ok" if p.returncode == 0 else "fail"
    err = p.stderr.decode(errors="replace")
    last = [l for l in err.splitlines() if l.startswith(("Error", "func="))]
    detail = (last[0] if last else err.strip().splitlines()[0] if err.strip() else "")[:150]
    shown = " ".join(os.path.basename(c) if c.startswith(("/", TMP)) else c for c in cmd[1:] if c not in trust)
    line = "%-40s xmlsec1 %-4s  expected %-5s  (%s)" % (name, got, expect, detail if got == "fail" else "OK")
    if expect == "blind":
        line += "  xmlsec1 cannot tell: " + why
    CHECKS.append(line)
    CHECKS.append("    xmlsec1 " + shown)
    if expect != "blind" and got != expect:
        print("\n".join(CHECKS))
        sys.exit("xmlsec1 disagrees on %s: expected %s, got %s\n%s" % (name, expect, got, err))


# --------------------------------------------------------------------------- templates
def ref(uri, transforms=(), ref_id=None, type_=None, digest=""):
    attrs = (' Id="%s"' % ref_id if ref_id else "") + (' Type="%s"' % type_ if type_ else "") + ' URI="%s"' % uri
    tr = ""
    if transforms:
        tr = "<ds:Transforms>%s</ds:Transforms>" % "".join(
            '<ds:Transform Algorithm="%s"%s' % (a, "/>" if not body else ">%s</ds:Transform>" % body)
            for a, body in transforms)
    return ('<ds:Reference%s>%s<ds:DigestMethod Algorithm="%s"/><ds:DigestValue>%s</ds:DigestValue></ds:Reference>'
            % (attrs, tr, SHA256, digest))


def signing_cert_v2(cert_der):
    return ('<xades:SigningCertificateV2><xades:Cert><xades:CertDigest><ds:DigestMethod Algorithm="%s"/>'
            '<ds:DigestValue>%s</ds:DigestValue></xades:CertDigest><xades:IssuerSerialV2>%s</xades:IssuerSerialV2>'
            '</xades:Cert></xades:SigningCertificateV2>'
            % (SHA256, b64(hashlib.sha256(cert_der).digest()), issuer_serial_v2(cert_der)))


def signing_cert_v1(cert_path):
    der = pem_der(cert_path)
    return ('<xades:SigningCertificate><xades:Cert><xades:CertDigest><ds:DigestMethod Algorithm="%s"/>'
            '<ds:DigestValue>%s</ds:DigestValue></xades:CertDigest><xades:IssuerSerial>'
            '<ds:X509IssuerName>%s</ds:X509IssuerName><ds:X509SerialNumber>%d</ds:X509SerialNumber>'
            '</xades:IssuerSerial></xades:Cert></xades:SigningCertificate>'
            % (SHA256, b64(hashlib.sha256(der).digest()), issuer_rfc4514(cert_path), issuer_serial(der)[2]))


def signature(sid, data_refs, signer, sm=RSA_SHA256, c14n=EXC, sig_cert=None, v1=False,
              sp_ref="typed", objects="", ns_decl=True):
    """A XAdES B-B ds:Signature template.

    data_refs: list of (ref_id, uri, transforms, mime type); sig_cert: the certificate named
    in SigningCertificateV2 (default: the signer's); sp_ref: "typed" (normal), "untyped"
    (Reference without Type) or "none" (no Reference to the SignedProperties)."""
    sp_id = sid + "-signedprops"
    refs = "".join(ref(uri, tr, rid) for rid, uri, tr, _ in data_refs)
    if sp_ref != "none":
        refs += ref("#" + sp_id, [(c14n, "")], type_=SP_TYPE if sp_ref == "typed" else None)
    if v1:
        sc = signing_cert_v1(signer.cert)
    else:
        sc = signing_cert_v2(pem_der(sig_cert) if sig_cert else signer.der)
    dof = "".join('<xades:DataObjectFormat ObjectReference="#%s"><xades:MimeType>%s</xades:MimeType>'
                  '</xades:DataObjectFormat>' % (rid, mime) for rid, _, _, mime in data_refs)
    return ('<ds:Signature%s Id="%s"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="%s"/>'
            '<ds:SignatureMethod Algorithm="%s"/>%s</ds:SignedInfo><ds:SignatureValue Id="%s-value"/>'
            '<ds:KeyInfo><ds:X509Data/></ds:KeyInfo>%s<ds:Object><xades:QualifyingProperties xmlns:xades="%s" '
            'Target="#%s"><xades:SignedProperties Id="%s"><xades:SignedSignatureProperties>'
            '<xades:SigningTime>%s</xades:SigningTime>%s</xades:SignedSignatureProperties>'
            '<xades:SignedDataObjectProperties>%s</xades:SignedDataObjectProperties></xades:SignedProperties>'
            '</xades:QualifyingProperties></ds:Object></ds:Signature>'
            % (' xmlns:ds="%s"' % DS if ns_decl else "", sid, c14n, sm, refs, sid, objects, XADES, sid, sp_id,
               SIGNING_TIME, sc, dof))


XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n'
PAYMENT = ('<doc:Payment Id="payment"><doc:Amount>100.00</doc:Amount><doc:Currency>CHF</doc:Currency>'
           '<doc:Payee>Muster AG</doc:Payee></doc:Payment>')


def order(sig, payment=PAYMENT):
    return XML_DECL + '<doc:Order xmlns:doc="%s">%s%s</doc:Order>\n' % (ORDER_NS, payment, sig)


def enveloped(signer, c14n=EXC, sm=RSA_SHA256, **kw):
    return signature("sig-1", [("ref-doc", "", [(ENVELOPED, ""), (c14n, "")], "text/xml")], signer,
                     sm=sm, c14n=c14n, **kw)


def must_replace(text, old, new, count=1):
    assert text.count(old) >= count, (old, text[:200])
    return text.replace(old, new, count)


def tamper_b64(text, tag):
    """Change one base64 character in the first <tag>...</tag> (keeps the length)."""
    m = re.search(r"<%s[^>]*>([A-Za-z0-9+/=\s]+)</%s>" % (tag, tag), text)
    v = m.group(1)
    i = next(j for j in range(10, len(v)) if v[j].isalnum())
    c = v[i]
    nv = v[:i] + ("B" if c != "B" else "C") + v[i + 1:]
    return text[:m.start(1)] + nv + text[m.end(1):]


# --------------------------------------------------------------------------- data
def hello_text():
    line = "Hello sigverify! Dies ist ein signiertes Testdokument. / Ceci est un document de test sign\u00e9.\n"
    body = ""
    i = 0
    while len((body + line).encode()) <= 2048 - 8:
        i += 1
        body += "%03d %s" % (i, line)
    data = body.encode()
    return data + b"." * (2047 - len(data)) + b"\n"        # exactly 2 KiB


HELLO = hello_text()
assert len(HELLO) == 2048 and b"<" not in HELLO and b"&" not in HELLO
DATA_BIN = b"".join(hashlib.sha256(b"sigverify data.bin %d" % i).digest() for i in range(32))   # 1 KiB
MSIGN_DOC = "Contract 2026-001 between Muster AG and Demo Bank AG. Signed in MSign hash mode.\n".encode()
ZIP_BOMB_SIZE = 80 * 1024 * 1024        # deflates to ~80 KB (every file stays below 100 KB)


# --------------------------------------------------------------------------- XML cases
def xml_cases():
    write(out("hello.txt"), HELLO)

    # -- valid --------------------------------------------------------------------------
    doc = sign(order(enveloped(RSA)), RSA, "enveloped-rsa.xml")
    verify("enveloped-rsa.xml", "ok")
    case("enveloped-rsa.xml", "-", "TOTAL_PASSED", "enveloped XAdES B-B over the whole document (URI=\"\", enveloped-signature + exc-c14n), RSA-SHA256, SigningCertificateV2")

    sig = signature("sig-1", [("ref-data", "#data", [(EXC, "")], "text/xml")], RSA,
                    objects='<ds:Object Id="data"><doc:Payment xmlns:doc="%s"><doc:Amount>100.00</doc:Amount>'
                            '<doc:Currency>CHF</doc:Currency><doc:Payee>Muster AG</doc:Payee></doc:Payment>'
                            '</ds:Object>' % ORDER_NS)
    enveloping = sign(XML_DECL + sig + "\n", RSA, "enveloping-rsa.xml")
    verify("enveloping-rsa.xml", "ok")
    case("enveloping-rsa.xml", "-", "TOTAL_PASSED", "enveloping XAdES: signed data in ds:Object Id=\"data\", Reference URI=\"#data\"")

    sign(XML_DECL + signature("sig-1", [("ref-hello", "hello.txt", [], "text/plain")], RSA) + "\n", RSA,
         "detached-rsa.xml", cwd=HERE)
    verify("detached-rsa.xml", "ok")
    case("detached-rsa.xml", "hello.txt", "TOTAL_PASSED", "detached XAdES over the external file hello.txt (Reference URI=\"hello.txt\", no transforms)")

    sign(order(enveloped(P256, sm=ECDSA_SHA256)), P256, "enveloped-p256.xml")
    verify("enveloped-p256.xml", "ok")
    case("enveloped-p256.xml", "-", "TOTAL_PASSED", "ECDSA P-256 signer, ecdsa-sha256 (r||s signature value)")

    sign(order(enveloped(RSA, c14n=C14N10)), RSA, "enveloped-c14n10.xml")
    verify("enveloped-c14n10.xml", "ok")
    case("enveloped-c14n10.xml", "-", "TOTAL_PASSED", "inclusive C14N 1.0 for SignedInfo and both References")

    sign(order(enveloped(RSA, c14n=C14N11)), RSA, "enveloped-c14n11.xml")
    verify("enveloped-c14n11.xml", "ok")
    case("enveloped-c14n11.xml", "-", "TOTAL_PASSED", "C14N 1.1 for SignedInfo and both References")

    sign(order(enveloped(RSA, v1=True)), RSA, "enveloped-sigcert-v1.xml")
    verify("enveloped-sigcert-v1.xml", "ok")
    case("enveloped-sigcert-v1.xml", "-", "TOTAL_PASSED", "XAdES SigningCertificate (v1): CertDigest SHA-256 + IssuerSerial X509IssuerName/X509SerialNumber")

    # namespaces and xml:lang declared on ancestors of the signed element, comments in the document;
    # the #payment Reference uses inclusive C14N 1.0 (inherits xmlns:doc, xmlns:unused and xml:lang),
    # the URI="" Reference drops the comments
    sig = signature("sig-1", [("ref-doc", "", [(ENVELOPED, ""), (C14N10, "")], "text/xml"),
                              ("ref-payment", "#payment", [(C14N10, "")], "text/xml")], RSA, c14n=C14N10)
    nsdoc = (XML_DECL + "<!-- comment before the root element -->\n"
             '<doc:Order xmlns:doc="%s" xmlns:unused="urn:sigverify:test:unused" xmlns="urn:sigverify:test:default" '
             'xml:lang="de">\n  <!-- order 2026-001 -->\n  <doc:Body>\n    <doc:Payment Id="payment">'
             '<doc:Amount>100.00</doc:Amount><!-- amount in CHF --><doc:Currency>CHF</doc:Currency>'
             '<Note>default namespace</Note></doc:Payment>\n  </doc:Body>\n%s</doc:Order>\n<!-- trailing comment -->\n'
             % (ORDER_NS, sig))
    sign(nsdoc, RSA, "ns-inherit-comments.xml")
    verify("ns-inherit-comments.xml", "ok")
    case("ns-inherit-comments.xml", "-", "TOTAL_PASSED", "namespaces + xml:lang inherited from ancestors into the inclusive-C14N #payment subset; comments dropped by URI=\"\"")

    sign(order(signature("sig-1", [("ref-payment", "#payment", [(EXC, "")], "text/xml")], RSA)), RSA, "sibling-ref-id.xml")
    verify("sibling-ref-id.xml", "ok")
    case("sibling-ref-id.xml", "-", "TOTAL_PASSED", "same-document Reference to an element by Id (#payment), signature as its sibling")

    # MSign hash mode: the verifier gets only the SHA-256 of the document
    write(out("msign-document.txt"), MSIGN_DOC)
    h = b64(hashlib.sha256(MSIGN_DOC).digest())
    write(out("hash.txt"), h + "\n")
    sign(XML_DECL + signature("sig-1", [("ref-document", "msign-document.txt", [], "text/plain")], RSA) + "\n",
         RSA, "msign-hash.xml", cwd=HERE)
    verify("msign-hash.xml", "ok")
    case("msign-hash.xml", "hash:SHA-256:" + h, "TOTAL_PASSED", "MSign Hash mode: only the SHA-256 of the signed document is given (hash.txt), compared with the Reference DigestValue")
    case("msign-hash.xml", "msign-document.txt", "TOTAL_PASSED", "the same MSign sample verified with the document itself")
    case("msign-hash.xml", "hash:SHA-256:" + b64(hashlib.sha256(MSIGN_DOC + b"x").digest()), "TOTAL_FAILED", "MSign Hash mode with the hash of other content (HASH_FAILURE)")

    # -- content changes -------------------------------------------------------------------
    write(out("comment-injected.xml"), must_replace(doc, "<doc:Payee>Muster AG</doc:Payee>",
                                                     "<doc:Payee>Muster<!-- inserted after signing --> AG</doc:Payee>"))
    verify("comment-injected.xml", "ok")
    case("comment-injected.xml", "-", "TOTAL_PASSED", "comment inserted into signed text after signing: URI=\"\" canonicalizes without comments, the digest stays valid (correctly passes; the text content is unchanged)")

    write(out("text-changed.xml"), must_replace(doc, "<doc:Amount>100.00</doc:Amount>", "<doc:Amount>900.00</doc:Amount>"))
    verify("text-changed.xml", "fail")
    case("text-changed.xml", "-", "TOTAL_FAILED", "signed text changed after signing (100.00 -> 900.00): HASH_FAILURE")

    ws = must_replace(doc, PAYMENT, PAYMENT.replace("><doc:", ">\n    <doc:").replace("</doc:Payment>", "\n  </doc:Payment>")
                      .replace(">100.00<", "> 100.00 <"))
    write(out("whitespace-injected.xml"), ws)
    verify("whitespace-injected.xml", "fail")
    case("whitespace-injected.xml", "-", "TOTAL_FAILED", "whitespace added to signed content (indentation between elements, spaces around the amount); a verifier that drops blank nodes or trims text would pass: HASH_FAILURE")

    write(out("signaturevalue-tampered.xml"), tamper_b64(doc, "ds:SignatureValue"))
    verify("signaturevalue-tampered.xml", "fail")
    case("signaturevalue-tampered.xml", "-", "TOTAL_FAILED", "one base64 character of SignatureValue changed: SIG_CRYPTO_FAILURE")

    write(out("digestvalue-tampered.xml"), tamper_b64(doc, "ds:DigestValue"))
    verify("digestvalue-tampered.xml", "fail")
    case("digestvalue-tampered.xml", "-", "TOTAL_FAILED", "DigestValue of the document Reference changed (content untouched): the Reference and the SignatureValue over SignedInfo fail")

    # -- signature wrapping ----------------------------------------------------------------
    # (a) the signed Payment moved into a ds:Object of the signature, a forged Payment with the
    # same Id put where the application reads (first child of Order). A verifier whose Id lookup
    # keeps the last element with a given Id digests the original and passes.
    base = read(out("sibling-ref-id.xml")).decode()
    forged = PAYMENT.replace("100.00", "900.00").replace("Muster AG", "Evil Ltd")
    moved = must_replace(base, PAYMENT, forged)
    moved = must_replace(moved, "<ds:Object>", "<ds:Object>%s</ds:Object><ds:Object>"
                         % PAYMENT.replace("<doc:Payment ", '<doc:Payment xmlns:doc="%s" ' % ORDER_NS))
    write(out("xsw-object-wrapper.xml"), moved)
    verify("xsw-object-wrapper.xml", "fail")
    # with the forged element's Id taken away, the moved original is what #payment finds: passes
    unid = write(os.path.join(TMP, "xsw-object-wrapper-forged-without-id.xml"),
                 must_replace(moved, forged, forged.replace(' Id="payment"', "")))
    verify("xsw-object-wrapper.xml (forged Id removed)", "ok", path=unid)
    case("xsw-object-wrapper.xml", "-", "TOTAL_FAILED", "signature wrapping: signed Payment moved into a ds:Object, forged Payment with the same Id where the application reads (duplicate Id: FORMAT_FAILURE)")

    # (b) enveloping signature with a second ds:Object Id="data" after the signed one: a
    # verifier taking the first element with the Id passes, an application taking the last
    # (or a map keyed by Id) reads the forged one
    dup = must_replace(enveloping, "</ds:Signature>", '<ds:Object Id="data"><doc:Payment xmlns:doc="%s">'
                       '<doc:Amount>900.00</doc:Amount><doc:Currency>CHF</doc:Currency><doc:Payee>Evil Ltd</doc:Payee>'
                       '</doc:Payment></ds:Object></ds:Signature>' % ORDER_NS)
    write(out("xsw-duplicate-id.xml"), dup)
    verify("xsw-duplicate-id.xml", "blind", why="its Id registration for ds:Object keeps the first element, the signed one")
    case("xsw-duplicate-id.xml", "-", "TOTAL_FAILED", "duplicate Id: two ds:Object Id=\"data\", the first signed, the second forged (FORMAT_FAILURE)")

    # (c) a second ds:Signature (P-256 signer) over the same Payment with a broken SignatureValue
    second = sign(order(signature("sig-2", [("ref2-payment", "#payment", [(EXC, "")], "text/xml")], P256,
                                    sm=ECDSA_SHA256)), P256)
    sig2 = second[second.index("<ds:Signature"):second.index("</ds:Signature>") + len("</ds:Signature>")]
    two = must_replace(base, "</doc:Order>", tamper_b64(sig2, "ds:SignatureValue") + "</doc:Order>")
    write(out("second-signature-broken.xml"), two)
    verify("second-signature-broken.xml", "blind", why="it verifies only the first ds:Signature, which is valid")
    case("second-signature-broken.xml", "-", "TOTAL_FAILED", "two ds:Signature elements: the first valid, the second (P-256) with a broken SignatureValue; every signature must be checked")

    # (d) SignedProperties not signed / Reference without Type
    sign(order(enveloped(RSA, sp_ref="none")), RSA, "xades-no-signedprops-ref.xml")
    verify("xades-no-signedprops-ref.xml", "blind", why="XML-DSig only, SignedProperties are not required to be signed")
    case("xades-no-signedprops-ref.xml", "-", "TOTAL_FAILED", "no Reference to the SignedProperties: SigningTime and SigningCertificateV2 unsigned (FORMAT_FAILURE)")

    sign(order(enveloped(RSA, sp_ref="untyped")), RSA, "xades-signedprops-ref-no-type.xml")
    verify("xades-signedprops-ref-no-type.xml", "blind", why="XML-DSig only, the Type attribute is not checked")
    case("xades-signedprops-ref-no-type.xml", "-", "TOTAL_FAILED", "Reference to the SignedProperties without Type=\"http://uri.etsi.org/01903#SignedProperties\" (FORMAT_FAILURE)")

    # -- signing certificate ---------------------------------------------------------------
    # key substitution: content changed, SignedInfo re-signed with another trusted key pair whose
    # certificate (and ICA) replace the KeyInfo; SigningCertificateV2 still names the rsa leaf
    sign(order(enveloped(OTHER, sig_cert=RSA.cert), payment=PAYMENT.replace("100.00", "900.00")), OTHER,
         "key-substitution.xml")
    verify("key-substitution.xml", "blind", why="signature and chain are valid; it does not read SigningCertificateV2")
    case("key-substitution.xml", "-", "INDETERMINATE", "key substitution: KeyInfo and SignatureValue from another trusted signer, SigningCertificateV2 names the rsa leaf (NO_SIGNING_CERTIFICATE_FOUND)")

    sign(order(enveloped(RSA, sig_cert=P256.cert)), RSA, "sigcert-wrong-digest.xml")
    verify("sigcert-wrong-digest.xml", "blind", why="it does not read SigningCertificateV2")
    case("sigcert-wrong-digest.xml", "-", "INDETERMINATE", "SigningCertificateV2 CertDigest/IssuerSerialV2 of another certificate (p256 leaf), signed (NO_SIGNING_CERTIFICATE_FOUND)")

    # -- algorithms and transforms ---------------------------------------------------------
    sign(order(enveloped(RSA, sm=RSA_SHA1)), RSA, "alg-rsa-sha1.xml")
    verify("alg-rsa-sha1.xml", "ok")
    case("alg-rsa-sha1.xml", "-", "INDETERMINATE", "SignatureMethod rsa-sha1 (digests SHA-256), otherwise valid: CRYPTO_CONSTRAINTS_FAILURE_NO_POE by policy")

    # HMAC keyed with the signer's certificate (DER), which KeyInfo carries: a verifier that
    # takes "the key from KeyInfo" for whatever SignatureMethod says would pass
    write(os.path.join(TMP, "hmac.key"), RSA.der)
    hm = sign(order(enveloped(RSA, sm=HMAC_SHA1)), None, hmac_key=os.path.join(TMP, "hmac.key"))
    certs = "".join("<ds:X509Certificate>%s</ds:X509Certificate>" % b64(pem_der(c)) for c in [RSA.cert] + RSA.chain)
    hm = re.sub(r"<ds:KeyInfo>.*?</ds:KeyInfo>", "<ds:KeyInfo><ds:X509Data>%s</ds:X509Data></ds:KeyInfo>" % certs, hm,
                flags=re.S)
    write(out("alg-hmac-sha1.xml"), hm)
    verify("alg-hmac-sha1.xml", "fail")
    # the MAC itself is right: the same file without KeyInfo (which is not signed), keyed with the DER
    nokey = write(os.path.join(TMP, "alg-hmac-sha1-without-keyinfo.xml"), re.sub(r"<ds:KeyInfo>.*?</ds:KeyInfo>", "", hm, flags=re.S))
    verify("alg-hmac-sha1.xml", "ok", path=nokey, extra=["--hmackey", os.path.join(TMP, "hmac.key")])
    case("alg-hmac-sha1.xml", "-", "TOTAL_FAILED", "SignatureMethod hmac-sha1 keyed with the leaf certificate from KeyInfo: a MAC, never a signature of the signer")

    # XSLT transform whose output is a constant: the digest no longer depends on the document,
    # the amount is changed after signing and an executing verifier still passes
    stylesheet = ('<xsl:stylesheet xmlns:xsl="http://www.w3.org/1999/XSL/Transform" version="1.0">'
                  '<xsl:output method="text"/><xsl:template match="/">constant</xsl:template></xsl:stylesheet>')
    xs = sign(order(signature("sig-1", [("ref-doc", "", [(ENVELOPED, ""), (XSLT, stylesheet)], "text/xml")], RSA)), RSA)
    write(out("xslt-transform.xml"), must_replace(xs, "<doc:Amount>100.00</doc:Amount>", "<doc:Amount>900.00</doc:Amount>"))
    verify("xslt-transform.xml", "ok")
    case("xslt-transform.xml", "-", "INDETERMINATE", "XSLT transform (constant output) in the Reference, document changed after signing: the transform must not be run (not TOTAL_PASSED)")

    # -- DTDs and entities -----------------------------------------------------------------
    # xmlsec1 cannot canonicalize entity references, so both files are signed in expanded form
    # (checked below) and the signed text is then replaced by the entity reference: a verifier that
    # expands entities digests exactly what was signed and passes
    # internal entity: the signed Payee text "Muster AG" comes from an entity
    ent = must_replace(doc, "<doc:Payee>Muster AG</doc:Payee>", "<doc:Payee>&payee;</doc:Payee>")
    ent = must_replace(ent, XML_DECL, XML_DECL + '<!DOCTYPE doc:Order [\n<!ENTITY payee "Muster AG">\n]>\n')
    write(out("dtd-internal-entity.xml"), ent)
    verify("dtd-internal-entity.xml", "fail")
    case("dtd-internal-entity.xml", "-", "TOTAL_FAILED", "DOCTYPE with an internal entity used in signed text; valid once expanded, DTDs must be refused (FORMAT_FAILURE)")

    # external entity: the signed Payee text is the content of hello.txt, loaded by a SYSTEM entity
    expanded = sign(order(enveloped(RSA), payment=PAYMENT.replace("Muster AG", HELLO.decode())), RSA)
    exp_path = write(os.path.join(HERE, "dtd-xxe-expanded.xml.tmp"), expanded)
    try:
        verify("dtd-xxe.xml (expanded form)", "ok", path=exp_path)
    finally:
        os.remove(exp_path)
    xxe = must_replace(expanded, HELLO.decode(), "&xxe;")
    xxe = must_replace(xxe, XML_DECL, XML_DECL + '<!DOCTYPE doc:Order [\n<!ENTITY xxe SYSTEM "hello.txt">\n]>\n')
    write(out("dtd-xxe.xml"), xxe)
    verify("dtd-xxe.xml", "fail")
    case("dtd-xxe.xml", "-", "TOTAL_FAILED", "external entity (XXE) SYSTEM \"hello.txt\" in signed text: valid only if the file is read, must not be resolved (FORMAT_FAILURE)")

    lol = "".join('<!ENTITY lol%d "%s">\n' % (i, ("&lol%d;" % (i - 1)) * 10 if i else "lol") for i in range(10))
    bl = must_replace(doc, XML_DECL, XML_DECL + "<!DOCTYPE doc:Order [\n%s]>\n" % lol)
    bl = must_replace(bl, "</ds:Signature>", "<ds:Object>&lol9;</ds:Object></ds:Signature>")
    write(out("dtd-billion-laughs.xml"), bl)
    verify("dtd-billion-laughs.xml", "fail")
    case("dtd-billion-laughs.xml", "-", "TOTAL_FAILED", "billion laughs: &lol9; (10^9 x \"lol\") in an unsigned ds:Object, the signature is otherwise valid; must be refused without expanding (FORMAT_FAILURE)")


# --------------------------------------------------------------------------- zip writer
def dos_time(t):
    y, mo, d, h, mi, s = t
    return (h << 11) | (mi << 5) | (s // 2), ((y - 1980) << 9) | (mo << 5) | d


def zip_bytes(entries):
    """entries: dicts name, data, method (0 stored / 8 deflated), optional local_name.
    Written by hand so that duplicates, order and header mismatches are exactly as given."""
    body, central = b"", b""
    tm, dt = dos_time(ZIP_TIME)
    for e in entries:
        data, method = e["data"], e.get("method", 8)
        comp = data
        if method:
            c = zlib.compressobj(9, zlib.DEFLATED, -15)
            comp = c.compress(data) + c.flush()
        crc = zlib.crc32(data)
        name = e["name"].encode()
        lname = e.get("local_name", e["name"]).encode()
        flags = 0x800   # UTF-8 names
        local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, method, tm, dt, crc, len(comp), len(data),
                            len(lname), 0) + lname
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 0x031E, 20, flags, method, tm, dt, crc, len(comp),
                               len(data), len(name), 0, 0, 0, 0, 0o100644 << 16, len(body)) + name
        body += local + comp
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), len(body), 0)
    return body + central + end


MIMETYPE = b"application/vnd.etsi.asic-e+zip"
ASIC_NS = "http://uri.etsi.org/02918/v1.2.1#"


def manifest(files):
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">',
             ' <manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.etsi.asic-e+zip"/>']
    lines += [' <manifest:file-entry manifest:full-path="%s" manifest:media-type="%s"/>' % (n, m) for n, _, m in files]
    return ("\n".join(lines + ["</manifest:manifest>"]) + "\n").encode()


def asic_signature(files, signer=RSA):
    """files: [(zip path, data, mime)] -> signed META-INF/signatures0.xml text."""
    maps = {}
    for i, (n, data, _) in enumerate(files):
        maps[n] = write(os.path.join(TMP, "asic-data-%d-%d" % (len(os.listdir(TMP)), i)), data)
    refs = [("ref-%d" % (i + 1), n, [], m) for i, (n, _, m) in enumerate(files)]
    tpl = XML_DECL + '<asic:XAdESSignatures xmlns:asic="%s" xmlns:ds="%s">%s</asic:XAdESSignatures>\n' % (
        ASIC_NS, DS, signature("sig-1", refs, signer, ns_decl=False))
    return sign(tpl, signer, maps=maps), maps


def asic_entries(files, sig, mimetype=True):
    e = [{"name": "mimetype", "data": MIMETYPE, "method": 0}] if mimetype else []
    e += [{"name": n, "data": d} for n, d, _ in files]
    e += [{"name": "META-INF/manifest.xml", "data": manifest(files)},
          {"name": "META-INF/signatures0.xml", "data": sig.encode()}]
    return e


def asic_verify(name, expect, why=None):
    """Read the container with Python's zipfile (central directory, last entry of a name wins),
    write META-INF/signatures0.xml and every referenced entry to a directory and verify there."""
    import zipfile
    d = tempfile.mkdtemp(dir=TMP)
    try:
        with zipfile.ZipFile(out(name)) as zf:
            sig = zf.read("META-INF/signatures0.xml")
            maps = {}
            for i, uri in enumerate(re.findall(rb'<ds:Reference Id="ref-\d+" URI="([^"]+)"', sig)):
                maps[uri.decode()] = write(os.path.join(d, "entry-%d" % i), zf.read(uri.decode()))
    except (zipfile.BadZipFile, KeyError) as e:
        line = "%-40s zipfile fail  (%s)" % (name, e)
        if expect != "blind":
            sys.exit("cannot read %s: %s" % (name, e))
        CHECKS.append(line + "  xmlsec1 not run: " + why)
        return
    verify(name, expect, maps=maps, path=write(os.path.join(d, "signatures0.xml"), sig), why=why)
    for m in maps.values():
        os.remove(m)


def asic_cases():
    one = [("hello.txt", HELLO, "text/plain")]
    two = one + [("data.bin", DATA_BIN, "application/octet-stream")]
    sig1, _ = asic_signature(one)
    sig2, _ = asic_signature(two)

    def put(name, entries, expected, why, check="ok", check_why=None):
        write(out(name), zip_bytes(entries))
        asic_verify(name, check, check_why)
        case(name, "-", expected, why)

    put("asic-one-file.asice", asic_entries(one, sig1), "TOTAL_PASSED",
        "ASiC-E, XAdES in META-INF/signatures0.xml over hello.txt (2 KiB)")
    put("asic-two-files.asice", asic_entries(two, sig2), "TOTAL_PASSED",
        "ASiC-E, one XAdES over hello.txt and data.bin")

    blind_zip = "the signature over the data files is valid; the container layout is outside XML-DSig"
    extra = asic_entries(two, sig2)
    extra.insert(3, {"name": "unsigned.txt", "data": b"Added after signing: pay CHF 900.00 to Evil Ltd.\n"})
    put("asic-unsigned-file.asice", extra, "INDETERMINATE",
        "data file unsigned.txt added after signing, covered by no signature (not TOTAL_PASSED)", "blind", blind_zip)

    changed = [("hello.txt", HELLO.replace(b"001 Hello", b"001 HELLO"), "text/plain")] + two[1:]
    put("asic-file-changed.asice", asic_entries(changed, sig2), "TOTAL_FAILED", "hello.txt changed after signing: HASH_FAILURE",
        "fail")

    put("asic-no-mimetype.asice", asic_entries(two, sig2, mimetype=False), "TOTAL_FAILED",
        "no mimetype entry (FORMAT_FAILURE under a profile that requires it; EN 319 162-1 itself makes it optional)", "blind", blind_zip)
    e = asic_entries(two, sig2)
    e.insert(2, e.pop(0))
    put("asic-mimetype-not-first.asice", e, "TOTAL_FAILED", "mimetype is the third entry, not the first (FORMAT_FAILURE)",
        "blind", blind_zip)
    e = asic_entries(two, sig2)
    e[0]["method"] = 8
    put("asic-mimetype-deflated.asice", e, "TOTAL_FAILED", "mimetype entry deflated instead of STORED (FORMAT_FAILURE)",
        "blind", blind_zip)

    e = asic_entries(two, sig2)
    e.insert(2, {"name": "hello.txt", "data": b"Forged: pay CHF 900.00 to Evil Ltd.\n"})
    put("asic-duplicate-entry.asice", e, "TOTAL_FAILED",
        "two entries named hello.txt, the first signed, the second forged (last one wins on extraction; FORMAT_FAILURE)",
        "blind", "Python zipfile returns the last hello.txt (forged), so the digest fails here; a reader taking the "
        "first entry of a name passes")

    trav = two + [("../evil.txt", b"written outside the extraction directory\n", "text/plain")]
    sig_t, _ = asic_signature(trav)
    put("asic-path-traversal.asice", asic_entries(trav, sig_t), "TOTAL_FAILED",
        "entry ../evil.txt (signed, Reference URI=\"../evil.txt\"): path traversal (FORMAT_FAILURE)",
        "blind", blind_zip)

    # the signed hello.txt is called META-INF/a.txt in its local header; a forged entry called
    # META-INF/a.txt in the central directory is hello.txt in its local header: a reader of the
    # central directory verifies the signed data, a streaming reader of local headers extracts
    # the forged hello.txt
    e = asic_entries(two, sig2)
    e[1]["local_name"] = "META-INF/a.txt"
    e.insert(3, {"name": "META-INF/a.txt", "local_name": "hello.txt", "data": b"Forged: pay CHF 900.00 to Evil Ltd.\n"})
    put("asic-header-mismatch.asice", e, "TOTAL_FAILED",
        "local header names disagree with the central directory (signed hello.txt is META-INF/a.txt locally, a forged "
        "entry is hello.txt locally) (FORMAT_FAILURE)", "blind", blind_zip)

    bomb = two + [("zeros.bin", b"\0" * ZIP_BOMB_SIZE, "application/octet-stream")]
    sig_b, _ = asic_signature(bomb)
    put("asic-zip-bomb.asice", asic_entries(bomb, sig_b), "TOTAL_FAILED",
        "signed entry zeros.bin inflates from ~80 KB to 80 MiB (ratio ~1000:1); must be refused by an entry size/ratio "
        "limit (FORMAT_FAILURE)", "blind", "the signature is correct over the 80 MiB file")


# --------------------------------------------------------------------------- main
def main():
    if not shutil.which("xmlsec1"):
        sys.exit("xmlsec1 not found")
    for f in os.listdir(HERE):
        if f not in ("generate.sh", "generate.py", "README.md"):
            p = os.path.join(HERE, f)
            (shutil.rmtree if os.path.isdir(p) else os.remove)(p)
    try:
        xml_cases()
        asic_cases()
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
    with open(out("cases.tsv"), "w") as f:
        f.write("file\tdetached\texpected\twhy\n")
        for row in CASES:
            f.write("\t".join(row) + "\n")
    ver = run(["xmlsec1", "--version"]).stdout.decode().strip()
    write(out("xmlsec1-checks.txt"), "# %s, validation time %sZ, anchors %s\n%s\n"
          % (ver, VERIFY_TIME.replace(" ", "T"), " ".join(os.path.relpath(a, TD) for a in ANCHORS), "\n".join(CHECKS)))
    print("\n".join(CHECKS))
    big = [f for f in os.listdir(HERE) if os.path.getsize(out(f)) > 100 * 1024]
    if big:
        sys.exit("files over 100 KB: %s" % big)
    total = sum(os.path.getsize(out(f)) for f in os.listdir(HERE))
    print("%d cases, %d files, %d bytes" % (len(CASES), len(os.listdir(HERE)), total))


if __name__ == "__main__":
    main()

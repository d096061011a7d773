#!/usr/bin/env python3
"""Generate testdata/pdf/: signed PDFs (valid) and PDF signature attack files.

Run through generate.sh (fixed clock under faketime, TZ=UTC). Valid signatures are made by
pyHanko (PdfSigner, incremental updates); attack files are derived from them by appending
hand-written incremental updates, or are written and signed by hand here (PDF bytes written
by this script, CMS made by `openssl cms -sign` over the chosen ByteRange bytes) when the
ByteRange itself is the attack. Every case has a comment saying how it is made.

Writes the PDFs, cases.tsv and checks.txt (pdfsig + pyHanko validator opinions).
"""
import datetime
import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import logging
import types

logging.getLogger("pyhanko").setLevel(logging.CRITICAL)

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
PKI = os.path.join(ROOT, "testdata", "pki")
KEEP = {"generate.sh", "generate.py", "README.md"}
VALIDATION_TIME = datetime.datetime(2026, 6, 1, tzinfo=datetime.timezone.utc)
SIGNING_TIME = "D:20260115120000Z"

# --- deterministic trailer /ID in pyHanko's incremental writer ----------------------------
import pyhanko.pdf_utils.incremental_writer as _iw  # noqa: E402

_id_counter = [0]


def _det_urandom(n):
    _id_counter[0] += 1
    return hashlib.sha256(b"sigverify-pdf-id-%d" % _id_counter[0]).digest()[:n]


_iw.os = types.SimpleNamespace(**{k: getattr(os, k) for k in dir(os) if not k.startswith("__")})
_iw.os.urandom = _det_urandom

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter  # noqa: E402
from pyhanko.pdf_utils.reader import PdfFileReader  # noqa: E402
from pyhanko.pdf_utils import generic  # noqa: E402
from pyhanko.sign import signers  # noqa: E402
from pyhanko.sign.fields import SigSeedSubFilter, MDPPerm  # noqa: E402

CASES = []   # (file, expected, why)
CHECKS = []  # lines of checks.txt


def out(name):
    return os.path.join(HERE, name)


def write(name, data):
    if len(data) > 100 * 1024:
        sys.exit("generate.py: %s is larger than 100 KB" % name)
    with open(out(name), "wb") as f:
        f.write(data)


def case(name, data, expected, why):
    write(name, data)
    CASES.append((name, expected, why))


# --- the unsigned base documents (hand-written, byte-identical every run) ----------------
TEXT = "Invoice 2026-001: pay 100.00 CHF to Muster AG"
FORGED = "Invoice 2026-001: pay 9000.00 CHF to Evil Ltd"


def content_stream(text, y=750):
    return ("BT /F1 16 Tf 50 %d Td (%s) Tj ET" % (y, text)).encode()


def stream_obj(data, extra=b""):
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def serialize(objs, root=1, id_seed=b"base", header=b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"):
    """objs: {num: body bytes}. Classic xref table, one revision."""
    buf = bytearray(header)
    offsets = {}
    for num in sorted(objs):
        offsets[num] = len(buf)
        buf += b"%d 0 obj\n" % num + objs[num] + b"\nendobj\n"
    size = max(objs) + 1
    xref = len(buf)
    buf += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for num in range(1, size):
        if num in offsets:
            buf += b"%010d 00000 n \n" % offsets[num]
        else:
            buf += b"0000000000 65535 f \n"
    did = hashlib.md5(id_seed).hexdigest().encode()
    buf += b"trailer\n<< /Size %d /Root %d 0 R /ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n" % (
        size, root, did, did, xref)
    return bytes(buf)


def base_objs(text=TEXT, form=False, hidden=False):
    annots = b" /Annots [6 0 R]" if form else b""
    objs = {
        1: b"<< /Type /Catalog /Pages 2 0 R%s >>" % (b" /AcroForm 8 0 R" if form else b""),
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
           b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R%s >>" % annots,
        4: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        5: stream_obj(content_stream(text)),
    }
    if form:
        # a text field (merged field + widget) "amount", empty
        objs[6] = (b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (amount) /F 4 /P 3 0 R "
                   b"/Rect [50 680 300 710] /DA (/F1 12 Tf 0 g) >>")
        objs[8] = (b"<< /Fields [6 0 R] /DA (/F1 12 Tf 0 g) "
                   b"/DR << /Font << /F1 4 0 R >> >> >>")
    if hidden:
        # an unused content stream: present in the signed bytes, not referenced by any page
        objs[7] = stream_obj(content_stream(FORGED))
    return objs


def base_pdf(**kw):
    return serialize(base_objs(**kw), id_seed=repr(sorted(kw.items())).encode())


# --- pyHanko signing ----------------------------------------------------------------------
def linearize(data):
    """The document linearized by qpdf (Annex F: first-page xref at the start, /Prev forward)."""
    with tempfile.TemporaryDirectory() as d:
        src, dst = os.path.join(d, "in.pdf"), os.path.join(d, "out.pdf")
        with open(src, "wb") as f:
            f.write(data)
        subprocess.run(["qpdf", "--linearize", "--deterministic-id", src, dst], check=True)
        with open(dst, "rb") as f:
            return f.read()


def signer(chain):
    d = os.path.join(PKI, chain)
    return signers.SimpleSigner.load(os.path.join(d, "leaf.key"), os.path.join(d, "leaf.pem"),
                                     ca_chain_files=(os.path.join(d, "ica.pem"),))


def pyhanko_sign(data, field, chain="rsa", subfilter=SigSeedSubFilter.PADES, certify=False,
                 perm=None):
    meta = signers.PdfSignatureMetadata(field_name=field, md_algorithm="sha256",
                                        subfilter=subfilter, certify=certify,
                                        docmdp_permissions=perm or MDPPerm.FILL_FORMS)
    w = IncrementalPdfFileWriter(io.BytesIO(data))
    res = signers.sign_pdf(w, meta, signer=signer(chain))
    return res.getvalue()


def doc_timestamp(data, tsa):
    """`data` with a document time-stamp by the TSA `tsa` of testdata/tsa/ (pyHanko)."""
    from asn1crypto import keys, pem, x509
    from pyhanko.sign.signers.pdf_signer import PdfTimeStamper
    from pyhanko.sign.timestamps import DummyTimeStamper

    def der(path):
        with open(path, "rb") as f:
            return pem.unarmor(f.read())[2]
    d = os.path.join(ROOT, "testdata", "tsa")
    stamper = DummyTimeStamper(
        tsa_cert=x509.Certificate.load(der(os.path.join(d, tsa + ".pem"))),
        tsa_key=keys.PrivateKeyInfo.load(der(os.path.join(d, tsa + ".key"))),
        certs_to_embed=[x509.Certificate.load(der(os.path.join(PKI, "rsa", "ica.pem")))],
        fixed_dt=datetime.datetime(2026, 1, 15, 12, 5, tzinfo=datetime.timezone.utc),
        include_nonce=False)
    w = IncrementalPdfFileWriter(io.BytesIO(data))
    return PdfTimeStamper(stamper, field_name="DocTS1").timestamp_pdf(w, "sha256").getvalue()


# --- hand-written incremental updates -----------------------------------------------------
def reader(data):
    return PdfFileReader(io.BytesIO(data), strict=False)


def obj_bytes(obj):
    buf = io.BytesIO()
    obj.write_to_stream(buf, None)
    return buf.getvalue()


def last_startxref(data):
    return int(re.findall(rb"startxref\s+(\d+)", data)[-1])


def append_update(data, objs, extra_trailer=b""):
    """Append an incremental update (classic xref section) redefining/adding objs."""
    r = reader(data)
    size = int(r.trailer["/Size"])
    root = r.trailer.raw_get("/Root")
    ids = r.trailer["/ID"] if "/ID" in r.trailer else None
    buf = bytearray(data)
    if not buf.endswith(b"\n"):
        buf += b"\n"
    offsets = {}
    for num in sorted(objs):
        offsets[num] = len(buf)
        buf += b"%d 0 obj\n" % num + objs[num] + b"\nendobj\n"
    xref = len(buf)
    buf += b"xref\n"
    for num in sorted(objs):
        buf += b"%d 1\n%010d 00000 n \n" % (num, offsets[num])
    size = max(size, max(objs) + 1)
    idpart = b""
    if ids is not None:
        idpart = b" /ID " + obj_bytes(ids)
    buf += b"trailer\n<< /Size %d /Root %d 0 R /Prev %d%s%s >>\nstartxref\n%d\n%%%%EOF\n" % (
        size, root.idnum, last_startxref(data), idpart, extra_trailer, xref)
    return bytes(buf)


def page_info(data):
    r = reader(data)
    page_ref = r.root["/Pages"]["/Kids"].raw_get(0)
    page = page_ref.get_object()
    return r, page_ref.idnum, page


def next_num(data):
    return int(reader(data).trailer["/Size"])


def sig_dict_span(data, which=-1):
    """(objnum, start, end) of the which-th signature dictionary object in the raw bytes."""
    spans = []
    for m in re.finditer(rb"/ByteRange\s*\[", data):
        start = data.rfind(b" 0 obj", 0, m.start())
        numstart = data.rfind(b"\n", 0, start) + 1
        num = int(data[numstart:start])
        end = data.find(b"endobj", m.start())
        spans.append((num, data.find(b"obj", start) + 3, end))
    return spans[which]


# --- hand signing over chosen ByteRange bytes ---------------------------------------------
CONTENTS_LEN = 8192  # hex digits reserved for /Contents
BR_PLACEHOLDER = b"[0 0000000000 0000000000 0000000000]"


def openssl_sign(data, chain="rsa", attached=False):
    d = os.path.join(PKI, chain)
    with tempfile.TemporaryDirectory() as t:
        src = os.path.join(t, "in.bin")
        with open(src, "wb") as f:
            f.write(data)
        return subprocess.run(
            ["openssl", "cms", "-sign", "-binary", "-outform", "DER", "-md", "sha256",
             "-signer", os.path.join(d, "leaf.pem"), "-inkey", os.path.join(d, "leaf.key"),
             "-certfile", os.path.join(d, "ica.pem"), "-in", src] + (["-nodetach"] if attached else []),
            check=True, capture_output=True).stdout


def hand_doc(text=TEXT, sig_entries=None, tail_objs=None, subfilter=b"adbe.pkcs7.detached"):
    """One-revision PDF with an invisible signature field 9 and signature dictionary 10.

    sig_entries: bytes of /ByteRange and /Contents entries (placeholders by default).
    tail_objs: objects written after the signature dictionary (same revision)."""
    objs = base_objs(text=text)
    objs[1] = b"<< /Type /Catalog /Pages 2 0 R /AcroForm 8 0 R >>"
    objs[3] = objs[3][:-3] + b" /Annots [9 0 R] >>"
    objs[8] = b"<< /Fields [9 0 R] /SigFlags 3 >>"
    objs[9] = (b"<< /Type /Annot /Subtype /Widget /FT /Sig /T (Signature1) /F 132 "
               b"/Rect [0 0 0 0] /P 3 0 R /V 10 0 R >>")
    if sig_entries is None:
        sig_entries = b"/ByteRange " + BR_PLACEHOLDER + b" /Contents <" + b"0" * CONTENTS_LEN + b">"
    objs[10] = (b"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /" + subfilter + b" "
                b"/M (" + SIGNING_TIME.encode() + b") " + sig_entries + b" >>")
    for k, v in (tail_objs or {}).items():
        objs[k] = v
    return serialize(objs, id_seed=b"hand-" + text.encode())


def hand_sign(data, ranges_fn, chain="rsa", sha1=False):
    """Fill the placeholders: ranges_fn(cs, ce, eof) -> list of ints (the ByteRange);
    cs/ce = offsets of the '<' and after the '>' of /Contents. sha1: adbe.pkcs7.sha1, the CMS
    carries the SHA-1 digest of the ranges as its content."""
    cs = data.index(b"/Contents <") + len(b"/Contents ")
    ce = data.index(b">", cs) + 1
    br = ranges_fn(cs, ce, len(data))
    br_text = ("[" + " ".join(str(x) for x in br) + "]").encode()
    br_text = br_text.ljust(len(BR_PLACEHOLDER))
    assert len(br_text) == len(BR_PLACEHOLDER)
    data = data.replace(BR_PLACEHOLDER, br_text, 1)
    signed = b"".join(data[br[i]:br[i] + br[i + 1]] for i in range(0, len(br), 2))
    if sha1:
        cms = openssl_sign(hashlib.sha1(signed).digest(), chain, attached=True).hex().encode()
    else:
        cms = openssl_sign(signed, chain).hex().encode()
    assert len(cms) <= CONTENTS_LEN - 2
    return data[:cs + 1] + cms.ljust(CONTENTS_LEN, b"0") + data[ce - 1:]


def standard_ranges(cs, ce, eof):
    return [0, cs, ce, eof - ce]


# --- checks -------------------------------------------------------------------------------
def check_pdfsig(name):
    if not shutil.which("pdfsig"):
        return "pdfsig: not installed"
    p = subprocess.run(["pdfsig", "-nocert", out(name)], capture_output=True, text=True)
    lines = []
    for ln in (p.stdout + p.stderr).splitlines():
        ln = ln.strip()
        if ln.startswith(("Signature #", "- Signature Validation", "- Total document signed",
                          "- Signature Type", "File '", "Syntax Error")) or "does not contain" in ln:
            lines.append(ln.replace(out(""), ""))
    return "pdfsig -nocert (rc %d): %s" % (p.returncode, " | ".join(lines[:12]) or "(no output)")


def check_pyhanko(name):
    from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
    from pyhanko_certvalidator import ValidationContext
    from asn1crypto import pem, x509
    roots = []
    for chain in ("rsa", "p256"):
        with open(os.path.join(PKI, chain, "root.pem"), "rb") as f:
            roots.append(x509.Certificate.load(pem.unarmor(f.read())[2]))
    try:
        with open(out(name), "rb") as f:
            r = PdfFileReader(io.BytesIO(f.read()), strict=False)
            sigs = r.embedded_signatures
            if not sigs:
                return "pyHanko: no signature found"
            res = []
            for s in sigs:
                vc = ValidationContext(trust_roots=roots, moment=VALIDATION_TIME,
                                       allow_fetching=False)
                try:
                    if s.sig_object_type == "/DocTimeStamp":
                        st = validate_pdf_timestamp(s, validation_context=vc)
                        ok = st.intact and st.valid and st.trusted
                        res.append("%s: document time-stamp %s intact=%s valid=%s trusted=%s" % (
                            s.field_name, "OK" if ok else "NOT OK", st.intact, st.valid, st.trusted))
                        continue
                    st = validate_pdf_signature(s, vc)
                    res.append("%s: %s bottom_line=%s coverage=%s modification=%s docmdp_ok=%s" % (
                        s.field_name, "OK" if st.bottom_line else "NOT OK", st.bottom_line,
                        getattr(st.coverage, "name", st.coverage),
                        getattr(st.modification_level, "name", st.modification_level),
                        st.docmdp_ok))
                except Exception as e:  # noqa: BLE001
                    res.append("%s: error %s: %s" % (s.field_name, type(e).__name__,
                                                     str(e).splitlines()[0][:150] if str(e) else ""))
            return "pyHanko: " + " | ".join(res)
    except Exception as e:  # noqa: BLE001
        return "pyHanko: error %s: %s" % (type(e).__name__, (str(e).splitlines() or [""])[0][:150])


# --- cases --------------------------------------------------------------------------------
def main():
    for f in os.listdir(HERE):
        if f not in KEEP:
            os.remove(out(f))

    plain = base_pdf()
    form = base_pdf(form=True)
    hidden = base_pdf(hidden=True)

    # Valid ------------------------------------------------------------------------------
    # PAdES B-B (ETSI.CAdES.detached), RSA, pyHanko PdfSigner, invisible field Sig1
    pades = pyhanko_sign(plain, "Sig1")
    case("pades-rsa.pdf", pades, "TOTAL_PASSED",
         "one PAdES B-B signature (SubFilter ETSI.CAdES.detached), RSA leaf, covers the whole file")
    # a linearized document (qpdf), then signed in an incremental update
    case("linearized-signed.pdf", pyhanko_sign(linearize(plain), "Sig1"), "TOTAL_PASSED",
         "the base document linearized by qpdf (first-page and main cross-reference sections), then a PAdES signature in an incremental update")
    # adbe.pkcs7.detached
    case("pkcs7-detached-rsa.pdf", pyhanko_sign(plain, "Sig1", subfilter=SigSeedSubFilter.ADOBE_PKCS7_DETACHED),
         "TOTAL_PASSED", "one signature with SubFilter adbe.pkcs7.detached, RSA leaf")
    # P-256 signer
    case("pades-p256.pdf", pyhanko_sign(plain, "Sig1", chain="p256"), "TOTAL_PASSED",
         "PAdES B-B, ECDSA P-256 leaf (p256 chain)")
    # second signature by incremental update (new field Sig2), then a third
    two = pyhanko_sign(pades, "Sig2", chain="p256")
    case("two-signatures.pdf", two, "TOTAL_PASSED",
         "two signatures: Sig1 (RSA) then Sig2 (P-256) in an incremental update; Sig1 covers revision 2 of 3, the later update only adds a signature field (allowed)")
    three = pyhanko_sign(two, "Sig3")
    case("three-signatures.pdf", three, "TOTAL_PASSED",
         "three signatures in three incremental updates (RSA, P-256, RSA)")
    # certification signatures with DocMDP
    for p, perm in ((1, MDPPerm.NO_CHANGES), (2, MDPPerm.FILL_FORMS), (3, MDPPerm.ANNOTATE)):
        case("certified-p%d.pdf" % p, pyhanko_sign(form, "Cert", certify=True, perm=perm),
             "TOTAL_PASSED", "certification signature (DocMDP transform, /P %d) on a document with an empty text field, nothing after it" % p)
    # allowed update: DSS dictionary (certificates only) added by an incremental update
    from pyhanko.sign.validation.dss import DocumentSecurityStore
    from asn1crypto import pem, x509

    def load_cert(path):
        with open(path, "rb") as f:
            return x509.Certificate.load(pem.unarmor(f.read())[2])
    buf = io.BytesIO(pades)
    DocumentSecurityStore.add_dss(buf, sig_contents=None,
                                  certs=[load_cert(os.path.join(PKI, "rsa", n + ".pem")) for n in ("ica", "root")])
    case("signed-then-dss.pdf", buf.getvalue(), "TOTAL_PASSED",
         "pades-rsa.pdf followed by an incremental update that only adds a /DSS dictionary (ica + root certificates): allowed after a signature")
    # document time-stamps: pyHanko PdfTimeStamper (field DocTS1, incremental update) with a
    # DummyTimeStamper holding a TSA key and certificate of testdata/tsa/ (made by
    # testdata/tsa/generate.sh), genTime 2026-01-15T12:05:00Z, ica embedded
    case("pades-rsa-doc-timestamp.pdf", doc_timestamp(pades, "tsa"), "TOTAL_PASSED",
         "pades-rsa.pdf followed by a document time-stamp (ETSI.RFC3161) whose TSA certificate, issued by the rsa ica, has a critical extendedKeyUsage timeStamping: the signature and the time-stamp are valid")
    case("doc-timestamp-eku-noncritical.pdf", doc_timestamp(pades, "tsa-eku-noncritical"), "INDETERMINATE",
         "pades-rsa.pdf followed by a document time-stamp whose TSA certificate has extendedKeyUsage timeStamping not marked critical (RFC 3161 2.3): the time-stamp is not valid (EXTENDED_KEY_USAGE, CHAIN_CONSTRAINTS_FAILURE)")
    # allowed update under DocMDP P=2: a later approval signature
    cert_p2 = pyhanko_sign(form, "Cert", certify=True, perm=MDPPerm.FILL_FORMS)
    case("certified-p2-then-signed.pdf", pyhanko_sign(cert_p2, "Sig2", chain="p256"), "TOTAL_PASSED",
         "certification signature P=2 followed by an approval signature (new signature field, signed): allowed by P=2")
    # allowed update under DocMDP P=2: the text field filled (hand-written update)
    filled = fill_field(cert_p2, "100.00 CHF")
    case("certified-p2-form-fill.pdf", filled, "TOTAL_PASSED",
         "certification signature P=2, then an incremental update that fills the text field (/V + appearance): allowed by P=2")

    # Attacks ----------------------------------------------------------------------------
    r, page_num, page = page_info(pades)
    content_num = page.raw_get("/Contents").idnum
    nn = next_num(pades)
    # shadow "replace": the update redefines the page's content stream object
    case("shadow-replace.pdf", append_update(pades, {content_num: stream_obj(content_stream(FORGED))}),
         "TOTAL_FAILED",
         "incremental update after Sig1 redefines the page content stream (new amount/payee): the signed revision is intact but the shown document is not the signed one (not an allowed change)")
    # shadow "overlay": a new FreeText annotation whose appearance covers the text
    ap = (b"1 1 1 rg 0 0 545 30 re f 0 g BT /F1 16 Tf 0 8 Td (" + FORGED.encode() + b") Tj ET")
    newpage = generic.DictionaryObject(page)
    annots = list(page.raw_get("/Annots")) if "/Annots" in page else []
    newpage[generic.NameObject("/Annots")] = generic.ArrayObject(
        annots + [generic.IndirectObject(nn, 0, r)])
    overlay_objs = {
        page_num: obj_bytes(newpage),
        nn: (b"<< /Type /Annot /Subtype /FreeText /Rect [45 742 590 772] /F 4 /DA (/F1 16 Tf 0 g) "
             b"/Contents (" + FORGED.encode() + b") /AP << /N %d 0 R >> >>" % (nn + 1)),
        nn + 1: stream_obj(ap, b" /Type /XObject /Subtype /Form /BBox [0 0 545 30] "
                               b"/Resources << /Font << /F1 4 0 R >> >>"),
    }
    case("shadow-overlay.pdf", append_update(pades, overlay_objs), "TOTAL_FAILED",
         "incremental update after Sig1 adds a FreeText annotation whose appearance hides the signed text and shows another amount (annotations are not allowed after an approval signature without DocMDP P=3)")
    # shadow "hide": unused content object 7 is signed, the update points the page at it
    hsigned = pyhanko_sign(hidden, "Sig1")
    r2, pnum2, page2 = page_info(hsigned)
    newpage2 = generic.DictionaryObject(page2)
    newpage2[generic.NameObject("/Contents")] = generic.IndirectObject(7, 0, r2)
    case("shadow-hide.pdf", append_update(hsigned, {pnum2: obj_bytes(newpage2)}), "TOTAL_FAILED",
         "hidden-content shadow: an unused content stream (object 7) is in the signed bytes; the update after Sig1 only redefines the page object to show it (page object changed: not allowed)")
    # the same signed file without the update (valid; shows the hidden object is harmless until used)
    case("shadow-hide-signed.pdf", hsigned, "TOTAL_PASSED",
         "the signed base of shadow-hide.pdf: an unused extra content object is in the signed revision, nothing after the signature")

    # universal signature forgery: the update shows forged content and redefines the
    # signature dictionary with a broken /Contents or /ByteRange
    sig_num, s0, s1 = sig_dict_span(pades)
    sigdict = pades[s0:s1].strip()

    def usf(mod):
        return append_update(pades, {content_num: stream_obj(content_stream(FORGED)),
                                     sig_num: mod(sigdict)})
    usf_variants = [
        ("usf-contents-missing.pdf", lambda d: re.sub(rb"/Contents\s*<[0-9a-fA-F]*>", b"", d),
         "/Contents removed from the signature dictionary (FORMAT_FAILURE)"),
        ("usf-contents-empty.pdf", lambda d: re.sub(rb"/Contents\s*<[0-9a-fA-F]*>", b"/Contents <>", d),
         "/Contents <> empty (FORMAT_FAILURE)"),
        ("usf-contents-zeros.pdf", lambda d: re.sub(rb"/Contents\s*<([0-9a-fA-F]*)>",
                                                   lambda m: b"/Contents <" + b"0" * len(m.group(1)) + b">", d),
         "/Contents all zeros (FORMAT_FAILURE)"),
        ("usf-byterange-missing.pdf", lambda d: re.sub(rb"/ByteRange\s*\[[^\]]*\]", b"", d),
         "/ByteRange removed (FORMAT_FAILURE)"),
        ("usf-byterange-zero.pdf", lambda d: re.sub(rb"/ByteRange\s*\[[^\]]*\]", b"/ByteRange [0 0 0 0]", d),
         "/ByteRange [0 0 0 0]: nothing covered (the CMS digest cannot match; FORMAT_FAILURE or HASH_FAILURE)"),
    ]
    for name, mod, why in usf_variants:
        case(name, usf(mod), "TOTAL_FAILED",
             "universal signature forgery: update after Sig1 replaces the page content and redefines the signature dictionary: " + why)

    # hand-signed: the CMS is valid over exactly the bytes the ByteRange names (a verifier
    # that only checks the CMS over the ByteRange passes all of these)
    doc = hand_doc()
    case("hand-signed-valid.pdf", hand_sign(doc, standard_ranges), "TOTAL_PASSED",
         "control for the hand-signed attacks: PDF written by the generator, adbe.pkcs7.detached CMS by openssl over the standard ByteRange [0 a b eof-b]")
    # adbe.pkcs7.sha1: the CMS signs the SHA-1 digest of the byte range (weak by policy)
    sha1doc = hand_sign(hand_doc(subfilter=b"adbe.pkcs7.sha1"), standard_ranges, sha1=True)
    case("pkcs7-sha1.pdf", sha1doc, "INDETERMINATE",
         "SubFilter adbe.pkcs7.sha1: the CMS (SHA-256 signature) carries the SHA-1 digest of the byte range; the document is protected by SHA-1 only, which the default policy no longer accepts (CRYPTO_CONSTRAINTS_FAILURE_NO_POE)")
    case("pkcs7-sha1-forged.pdf", sha1doc.replace(TEXT.encode(), FORGED.encode()[:len(TEXT)], 1), "TOTAL_FAILED",
         "pkcs7-sha1.pdf with the signed text changed (same length): the SHA-1 digest the CMS carries differs from that of the byte range (HASH_FAILURE)")
    # CMS over the empty string, /ByteRange [0 0 0 0]
    emptydoc = hand_doc(text=FORGED, sig_entries=b"/ByteRange [0 0 0 0] /Contents <" + b"0" * CONTENTS_LEN + b">")
    cs = emptydoc.index(b"/Contents <") + len(b"/Contents <")
    cms = openssl_sign(b"").hex().encode()
    emptydoc = emptydoc[:cs] + cms.ljust(CONTENTS_LEN, b"0") + emptydoc[cs + CONTENTS_LEN:]
    case("usf-byterange-zero-valid-cms.pdf", emptydoc, "TOTAL_FAILED",
         "universal signature forgery: /ByteRange [0 0 0 0] and a CMS that is valid over the empty string; nothing of the document is signed (FORMAT_FAILURE)")
    # ranges not covering the file start: the first object (catalog) ... content object 5 lie before the first range
    first_range_start = doc.index(b"6 0 obj") if b"6 0 obj" in doc else doc.index(b"8 0 obj")
    notstart = hand_sign(doc, lambda cs, ce, eof: [first_range_start, cs - first_range_start, ce, eof - ce])
    forged_notstart = notstart.replace(TEXT.encode(), FORGED.encode()[:len(TEXT)], 1)
    case("byterange-not-start.pdf", forged_notstart, "TOTAL_FAILED",
         "ByteRange starts after the page content object (not at 0); the content in the uncovered start was changed after signing (same length): the CMS is valid over the ranges (FORMAT_FAILURE)")
    # overlapping ranges, tail after /Contents unsigned: the unsigned xref points object 5 to a forged copy
    tail_doc = hand_doc(tail_objs={11: stream_obj(content_stream(FORGED))})
    ov = hand_sign(tail_doc, lambda cs, ce, eof: [0, cs, 10, cs - 10])
    ov = redirect_xref(ov, 5, 11)
    case("byterange-overlap.pdf", ov, "TOTAL_FAILED",
         "ByteRange [0 a 10 a-10]: the second range overlaps the first and nothing after /Contents is covered; the unsigned xref table points object 5 at a forged content stream (FORMAT_FAILURE)")
    # ByteRange does not reach the end of its revision: xref + trailer unsigned
    nteof = hand_sign(tail_doc, lambda cs, ce, eof: [0, cs, ce, tail_doc.index(b"11 0 obj") - ce])
    nteof = redirect_xref(nteof, 5, 11)
    case("byterange-not-eof.pdf", nteof, "TOTAL_FAILED",
         "ByteRange ends before the end of its revision: a forged content object, the xref table (object 5 -> the forged copy) and trailer follow unsigned in the same revision (FORMAT_FAILURE)")
    # /Contents copied from another signed document (same layout, other text)
    other = hand_doc(text=FORGED)
    other = fill_ranges_only(other)
    src_signed = hand_sign(doc, standard_ranges)
    a = src_signed.index(b"/Contents <")
    b_ = other.index(b"/Contents <")
    copied = other[:b_] + src_signed[a:a + len(b"/Contents <") + CONTENTS_LEN] + other[b_ + len(b"/Contents <") + CONTENTS_LEN:]
    case("contents-copied.pdf", copied, "TOTAL_FAILED",
         "/Contents (a valid CMS) copied from hand-signed-valid.pdf into a document with other text and the same layout: the message digest does not match (HASH_FAILURE)")
    # DocMDP P=1 then a form fill
    cert_p1 = pyhanko_sign(form, "Cert", certify=True, perm=MDPPerm.NO_CHANGES)
    case("certified-p1-form-fill.pdf", fill_field(cert_p1, "9000.00 CHF"), "TOTAL_FAILED",
         "certification signature P=1 (no changes), then an incremental update filling the text field: forbidden by DocMDP")
    # truncated file
    case("truncated.pdf", pades[: len(pades) * 2 // 3], "TOTAL_FAILED",
         "pades-rsa.pdf cut to 2/3 of its length: the ByteRange reaches past the end of the file (FORMAT_FAILURE)")
    # bytes after %%EOF that are not an update
    case("trailing-garbage.pdf", pades + b"\n% not an update\nPay 9000.00 CHF to Evil Ltd\n" + b"\x00garbage" * 8,
         "TOTAL_FAILED",
         "pades-rsa.pdf with bytes appended after %%EOF that are not an incremental update (FORMAT_FAILURE)")

    # tsv + checks -----------------------------------------------------------------------
    with open(out("cases.tsv"), "w") as f:
        f.write("file\texpected\twhy\n")
        for name, exp, why in CASES:
            f.write("%s\t%s\t%s\n" % (name, exp, why))
    total = 0
    for name, exp, _ in CASES:
        total += os.path.getsize(out(name))
        CHECKS.append("%s (expected %s)\n  %s\n  %s" % (name, exp, check_pdfsig(name), check_pyhanko(name)))
    if total > 1024 * 1024:
        sys.exit("generate.py: outputs exceed 1 MB")
    with open(out("checks.txt"), "w") as f:
        f.write("# pdfsig (poppler, -nocert: no trust check) and pyHanko validate_pdf_signature\n"
                "# (trust roots testdata/pki/{rsa,p256}/root.pem, validation time %s)\n"
                "# opinions; 'OK' on a TOTAL_FAILED file means that tool accepts the attack.\n\n"
                % VALIDATION_TIME.isoformat())
        f.write("\n".join(CHECKS) + "\n")
    print(open(out("checks.txt")).read())


def fill_ranges_only(data):
    """Fill the ByteRange placeholder with the standard ranges, /Contents left as zeros."""
    cs = data.index(b"/Contents <") + len(b"/Contents ")
    ce = data.index(b">", cs) + 1
    br = ("[0 %d %d %d]" % (cs, ce, len(data) - ce)).encode().ljust(len(BR_PLACEHOLDER))
    return data.replace(BR_PLACEHOLDER, br, 1)


def redirect_xref(data, num, target):
    """Rewrite the (last) classic xref entry of object num to the offset of object target,
    renumber that object num (same length, so no offset moves) and free entry target: the
    file stays consistent, and object num is now the forged copy."""
    xref = last_startxref(data)
    m = re.compile(rb"xref\n0 (\d+)\n").match(data, xref)
    entries = m.end()
    tpos = int(data[entries + 20 * target: entries + 20 * target + 10])
    pos = entries + 20 * num
    data = data[:pos] + b"%010d" % tpos + data[pos + 10:]
    tpos_entry = entries + 20 * target
    data = data[:tpos_entry] + b"0000000000 65535 f " + data[tpos_entry + 19:]
    old = b"%d 0 obj\n" % target
    new = (b"%d 0 obj" % num).ljust(len(old) - 1) + b"\n"
    assert data[tpos:tpos + len(old)] == old and len(new) == len(old)
    return data[:tpos] + new + data[tpos + len(old):]


def fill_field(data, value):
    """Incremental update: set /V of the text field 'amount' (object 6) plus an appearance."""
    r = reader(data)
    field = r.get_object(generic.Reference(6, 0))
    nn = int(r.trailer["/Size"])
    newfield = generic.DictionaryObject(field)
    newfield[generic.NameObject("/V")] = generic.TextStringObject(value)
    newfield[generic.NameObject("/AP")] = generic.DictionaryObject(
        {generic.NameObject("/N"): generic.IndirectObject(nn, 0, r)})
    ap = b"/Tx BMC BT /F1 12 Tf 0 g 2 10 Td (" + value.encode() + b") Tj ET EMC"
    return append_update(data, {6: obj_bytes(newfield),
                                nn: stream_obj(ap, b" /Type /XObject /Subtype /Form /BBox [0 0 250 30] "
                                                   b"/Resources << /Font << /F1 4 0 R >> >>")})


if __name__ == "__main__":
    main()

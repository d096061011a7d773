#!/usr/bin/env python3
"""Inputs of the PAdES benchmark (benches/pades.rs, benches/compare_pades.sh).

    python benches/gen_pades.py OUT_DIR        (a python with pyHanko; see gen_pades.sh)

Writes two PDFs into OUT_DIR, each signed once by pyHanko (PdfSigner, invisible field Sig1,
SubFilter ETSI.CAdES.detached = PAdES B-B, SHA-256) with the RSA-2048 leaf of
testdata/pki/rsa, the issuing CA embedded; the signature covers the whole file:

* small.pdf (~100 KB): 17 A4 pages of uncompressed text (Helvetica), no images.
* large.pdf (~50 MB): one page drawing a 4000x4166 RGB image XObject of pseudo-random bytes
  (seeded, unfiltered, so incompressible): 49,992,000 bytes of stream data.

The unsigned documents are written byte by byte here (fixed trailer /ID, seeded image), so only
the signature differs between runs. Run under faketime (gen_pades.sh) the signing time /M is
2026-01-15T12:00:00Z, before the validation time 2026-06-01T00:00:00Z used by the benchmark.
"""

import hashlib
import io
import os
import random
import sys

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter

HERE = os.path.dirname(os.path.abspath(__file__))
PKI = os.path.join(HERE, "..", "testdata", "pki", "rsa")

IMAGE_W, IMAGE_H = 4000, 4166


def stream_obj(data, extra=b""):
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def serialize(objs, id_seed):
    """objs: {num: body bytes}, object 1 the catalog. One revision, classic xref table."""
    buf = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for num in sorted(objs):
        offsets[num] = len(buf)
        buf += b"%d 0 obj\n" % num
        buf += objs[num]
        buf += b"\nendobj\n"
    size = max(objs) + 1
    xref = len(buf)
    buf += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for num in range(1, size):
        buf += b"%010d 00000 n \n" % offsets[num]
    did = hashlib.md5(id_seed).hexdigest().encode()
    buf += b"trailer\n<< /Size %d /Root 1 0 R /ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n" % (
        size, did, did, xref)
    return bytes(buf)


FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"


def small_doc(pages=17, lines=60):
    """Pages of text; objects: 1 catalog, 2 pages, 3 font, then (page, content) pairs."""
    objs = {1: b"<< /Type /Catalog /Pages 2 0 R >>", 3: FONT}
    kids = []
    for p in range(pages):
        page, content = 4 + 2 * p, 5 + 2 * p
        kids.append(b"%d 0 R" % page)
        text = bytearray(b"BT /F1 9 Tf 11 TL 40 800 Td\n")
        for ln in range(lines):
            text += (b"(Invoice 2026-%03d line %02d: 1 x consulting hour at 100.00 CHF, "
                     b"total carried forward) '\n" % (p + 1, ln + 1))
        text += b"ET"
        objs[page] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                      b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % content)
        objs[content] = stream_obj(bytes(text))
    objs[2] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), pages)
    return serialize(objs, b"sigverify-bench-small")


def large_doc():
    """One page drawing an incompressible RGB image."""
    pixels = random.Random(20260115).randbytes(IMAGE_W * IMAGE_H * 3)
    draw = b"q 595 0 0 620 0 111 cm /Im1 Do Q BT /F1 12 Tf 40 800 Td (Scan, %dx%d) Tj ET" % (
        IMAGE_W, IMAGE_H)
    objs = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << "
            b"/Font << /F1 4 0 R >> /XObject << /Im1 6 0 R >> >> /Contents 5 0 R >>"),
        4: FONT,
        5: stream_obj(draw),
        6: stream_obj(pixels, b" /Type /XObject /Subtype /Image /Width %d /Height %d "
                              b"/ColorSpace /DeviceRGB /BitsPerComponent 8" % (IMAGE_W, IMAGE_H)),
    }
    return serialize(objs, b"sigverify-bench-large")


def sign(data):
    signer = signers.SimpleSigner.load(os.path.join(PKI, "leaf.key"), os.path.join(PKI, "leaf.pem"),
                                       ca_chain_files=(os.path.join(PKI, "ica.pem"),))
    meta = signers.PdfSignatureMetadata(field_name="Sig1", md_algorithm="sha256",
                                        subfilter=SigSeedSubFilter.PADES)
    w = IncrementalPdfFileWriter(io.BytesIO(data))
    return signers.sign_pdf(w, meta, signer=signer).getvalue()


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: gen_pades.py OUT_DIR")
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, make in (("small.pdf", small_doc), ("large.pdf", large_doc)):
        signed = sign(make())
        with open(os.path.join(out, name), "wb") as f:
            f.write(signed)
        print("%s: %d bytes" % (os.path.join(out, name), len(signed)))


if __name__ == "__main__":
    main()

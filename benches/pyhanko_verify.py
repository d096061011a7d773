#!/usr/bin/env python3
"""In-process PDF signature validation rate of pyHanko (peer for benches/compare_pades.sh).

    python benches/pyhanko_verify.py ROOT.pem SECONDS small.pdf [large.pdf ...]

For each file: validates it once (must pass: one embedded signature, intact, valid, trusted
with ROOT as the only trust root at 2026-06-01T00:00:00Z, no fetching, coverage of the whole
file), then loops for SECONDS (at least 3 iterations) and prints one line
`<file> bytes=<size> n=<validations> cpu_s=<thread CPU seconds> per_cpu_sec=<rate>`.
Exit status 1 on the first failed validation.

Each iteration does what a service would do per request: parse the PDF from the bytes in memory
(PdfFileReader), take its signature and `validate_pdf_signature` with a new ValidationContext
(no state kept between calls: the chain is validated anew each time).
"""

import datetime
import io
import logging
import sys
import time

from asn1crypto import pem, x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

logging.getLogger("pyhanko").setLevel(logging.CRITICAL)
AT = datetime.datetime(2026, 6, 1, tzinfo=datetime.timezone.utc)


def main():
    root_path, secs, files = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
    with open(root_path, "rb") as f:
        root = x509.Certificate.load(pem.unarmor(f.read())[2])

    def one(data):
        sigs = PdfFileReader(io.BytesIO(data)).embedded_signatures
        if len(sigs) != 1:
            raise ValueError("%d signatures" % len(sigs))
        vc = ValidationContext(trust_roots=[root], moment=AT, allow_fetching=False)
        st = validate_pdf_signature(sigs[0], vc)
        if not (st.bottom_line and st.intact and st.valid and st.trusted
                and getattr(st.coverage, "name", "") == "ENTIRE_FILE"):
            raise ValueError("not valid: %s" % st.summary())

    for path in files:
        with open(path, "rb") as f:
            data = f.read()
        try:
            one(data)
        except Exception as e:  # noqa: BLE001 - any failure ends the run
            print("pyHanko: %s does not validate: %s" % (path, e), file=sys.stderr)
            sys.exit(1)
        n = 0
        c0 = time.thread_time()
        w0 = time.monotonic()
        while n < 3 or time.monotonic() - w0 < secs:
            try:
                one(data)
            except Exception as e:  # noqa: BLE001
                print("pyHanko: %s failed in the loop: %s" % (path, e), file=sys.stderr)
                sys.exit(1)
            n += 1
        cpu = time.thread_time() - c0
        print("%s bytes=%d n=%d cpu_s=%.3f per_cpu_sec=%.2f" % (
            path.rsplit("/", 1)[-1], len(data), n, cpu, n / cpu))


if __name__ == "__main__":
    main()

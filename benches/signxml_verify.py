#!/usr/bin/env python3
"""In-process XAdES verification rate of Python signxml (peer for benches/compare_xml.sh).

    python3 benches/signxml_verify.py ROOT.pem SECONDS enveloped-rsa.xml asic-one-file.asice

For each file: verifies it once (must pass: two References, the SignedProperties among them,
chain to ROOT at 2026-06-01T00:00:00Z), then loops for SECONDS and prints one line
`<file> n=<verifications> cpu_s=<thread CPU seconds> per_cpu_sec=<rate>`. Exit status 1 on the
first failed verification.

For an .asice file each iteration opens the ZIP (zipfile), reads META-INF/signatures0.xml and
hello.txt, and verifies the signature with hello.txt as the resolution of URI="hello.txt":
signxml knows nothing of ASiC, so the container's structure, manifest and coverage of its data
files are not checked (sigverify checks them). signxml keeps no state between calls: every
verification checks the chain anew (the "cold" amount of work, three signature checks).
"""

import datetime
import io
import sys
import time
import zipfile

from signxml.xades import XAdESVerifier
from signxml.xades.xades import XAdESSignatureConfiguration

AT = datetime.datetime(2026, 6, 1, tzinfo=datetime.timezone.utc)


def main():
    root, secs, files = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
    config = XAdESSignatureConfiguration(expect_references=2, verification_time=AT)

    def check(results):
        if len(results) != 2 or type(results[1]).__name__ != "XAdESVerifyResult":
            raise SystemExit("signxml: unexpected result %r" % (results,))

    for path in files:
        with open(path, "rb") as f:
            data = f.read()
        if path.endswith(".asice"):

            def one():
                z = zipfile.ZipFile(io.BytesIO(data))
                sig = z.read("META-INF/signatures0.xml")
                hello = z.read("hello.txt")
                return XAdESVerifier().verify(
                    sig, ca_pem_file=root, expect_config=config,
                    uri_resolver=lambda uri: hello if uri == "hello.txt" else None)
        else:

            def one():
                return XAdESVerifier().verify(data, ca_pem_file=root, expect_config=config)

        try:
            check(one())
        except Exception as e:  # noqa: BLE001 - any failure ends the run
            print("signxml: %s does not verify: %s" % (path, e), file=sys.stderr)
            sys.exit(1)
        n = 0
        c0 = time.thread_time()
        w0 = time.monotonic()
        while time.monotonic() - w0 < secs:
            try:
                check(one())
            except Exception as e:  # noqa: BLE001
                print("signxml: %s failed in the loop: %s" % (path, e), file=sys.stderr)
                sys.exit(1)
            n += 1
        cpu = time.thread_time() - c0
        print("%s n=%d cpu_s=%.3f per_cpu_sec=%.1f" % (path.rsplit("/", 1)[-1], n, cpu, n / cpu))


if __name__ == "__main__":
    main()

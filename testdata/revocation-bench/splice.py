#!/usr/bin/env python3
"""DER splicing for testdata/revocation-bench/generate.sh (Python 3 standard library only).

    splice.py sigvalue SIGNED.p7m OUT.bin
        the signature value (content octets of the OCTET STRING) of the first SignerInfo
    splice.py extend SIGNED.p7m OUT.p7m [--tst TOKEN.tst] [--ocsp-ric RESP.der]...
                                        [--ocsp-rv RESP.der]...
        SIGNED.p7m with, in its first SignerInfo, the unsigned attribute
        id-aa-signatureTimeStampToken holding TOKEN.tst; each --ocsp-ric OCSPResponse added to
        the SignedData's RevocationInfoChoices as [1] OtherRevocationInfoFormat
        id-ri-ocsp-response (RFC 5940); the BasicOCSPResponse of each --ocsp-rv OCSPResponse put
        in a CAdES revocation-values unsigned attribute (ETSI EN 319 122-1 5.5.2, ocspVals [1]).

Definite-length DER input only (what `openssl cms -sign -outform DER` writes).
"""

import sys


def read_tlv(b, i):
    """(tag, header_len, value_len) of the TLV at b[i:]."""
    tag = b[i]
    if tag & 0x1F == 0x1F:
        raise SystemExit("splice.py: high tag numbers are not expected")
    n = b[i + 1]
    if n < 0x80:
        return tag, 2, n
    k = n & 0x7F
    if k == 0:
        raise SystemExit("splice.py: indefinite length; DER input expected")
    return tag, 2 + k, int.from_bytes(b[i + 2:i + 2 + k], "big")


def children(b):
    """[(tag, whole_tlv_bytes, value_bytes)] of a concatenation of TLVs."""
    out, i = [], 0
    while i < len(b):
        tag, h, n = read_tlv(b, i)
        out.append((tag, b[i:i + h + n], b[i + h:i + h + n]))
        i += h + n
    return out


def enc(tag, value):
    n = len(value)
    if n < 0x80:
        length = bytes([n])
    else:
        raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
        length = bytes([0x80 | len(raw)]) + raw
    return bytes([tag]) + length + value


def oid(dotted):
    parts = [int(p) for p in dotted.split(".")]
    out = bytearray([40 * parts[0] + parts[1]])
    for p in parts[2:]:
        chunk = [p & 0x7F]
        p >>= 7
        while p:
            chunk.append(0x80 | (p & 0x7F))
            p >>= 7
        out.extend(reversed(chunk))
    return enc(0x06, bytes(out))


ID_AA_SIGNATURE_TIME_STAMP_TOKEN = oid("1.2.840.113549.1.9.16.2.14")
ID_AA_ETS_REVOCATION_VALUES = oid("1.2.840.113549.1.9.16.2.24")
ID_RI_OCSP_RESPONSE = oid("1.3.6.1.5.5.7.16.2")


def signed_data(p7m):
    """The SignedData's fields, [(tag, tlv, value)], from a ContentInfo."""
    (tag, _, ci), = children(p7m)
    assert tag == 0x30
    _, content = children(ci)[:2]
    assert content[0] == 0xA0
    (tag, _, sd), = children(content[2])
    assert tag == 0x30
    return children(sd), children(ci)[0][1]


def first_signer(fields):
    tag, _, infos = fields[-1]
    assert tag == 0x31, "signerInfos"
    return children(infos)


def sigvalue(p7m):
    fields, _ = signed_data(p7m)
    si = children(first_signer(fields)[0][2])
    octets = [v for (t, _, v) in si if t == 0x04]
    assert len(octets) == 1, "one signature OCTET STRING"
    return octets[0]


def basic_response(ocsp_response):
    """The BasicOCSPResponse of a successful OCSPResponse."""
    (tag, _, resp), = children(ocsp_response)
    status, response_bytes = children(resp)
    assert status[1] == b"\x0a\x01\x00", "successful OCSPResponse"
    (_, _, rb), = children(response_bytes[2])
    _, octets = children(rb)
    return octets[2]


def attribute(attr_oid, value):
    return enc(0x30, attr_oid + enc(0x31, value))


def extend(p7m, tst, ric, rv):
    fields, ct = signed_data(p7m)
    signers = first_signer(fields)
    si_fields = children(signers[0][2])
    unsigned = [a for a in children(si_fields[-1][2])] if si_fields[-1][0] == 0xA1 else []
    if unsigned:
        si_fields = si_fields[:-1]
    attrs = [a[1] for a in unsigned]
    if tst is not None:
        attrs.append(attribute(ID_AA_SIGNATURE_TIME_STAMP_TOKEN, tst))
    if rv:
        ocsp_vals = enc(0x30, b"".join(basic_response(r) for r in rv))
        attrs.append(attribute(ID_AA_ETS_REVOCATION_VALUES, enc(0x30, enc(0xA1, ocsp_vals))))
    si = b"".join(f[1] for f in si_fields)
    if attrs:
        si += enc(0xA1, b"".join(sorted(attrs)))
    infos = enc(0x31, b"".join([enc(0x30, si)] + [s[1] for s in signers[1:]]))

    body = [f[1] for f in fields[:-1]]
    if ric:
        choices = [enc(0xA1, ID_RI_OCSP_RESPONSE + r) for r in ric]
        crls = [i for i, f in enumerate(fields[:-1]) if f[0] == 0xA1]
        if crls:
            i = crls[0]
            body[i] = enc(0xA1, fields[i][2] + b"".join(choices))
        else:
            body.append(enc(0xA1, b"".join(choices)))
        # RFC 5652 5.1: version 5 when a RevocationInfoChoice is of another format.
        body[0] = enc(0x02, b"\x05")
    sd = enc(0x30, b"".join(body) + infos)
    return enc(0x30, ct + enc(0xA0, sd))


def main(argv):
    if len(argv) == 3 and argv[0] == "sigvalue":
        with open(argv[1], "rb") as f:
            value = sigvalue(f.read())
        with open(argv[2], "wb") as f:
            f.write(value)
        return
    if len(argv) >= 3 and argv[0] == "extend":
        with open(argv[1], "rb") as f:
            p7m = f.read()
        tst, ric, rv = None, [], []
        rest = argv[3:]
        while rest:
            opt, path = rest[0], rest[1]
            with open(path, "rb") as f:
                data = f.read()
            if opt == "--tst":
                tst = data
            elif opt == "--ocsp-ric":
                ric.append(data)
            elif opt == "--ocsp-rv":
                rv.append(data)
            else:
                raise SystemExit(f"splice.py: unknown option {opt}")
            rest = rest[2:]
        with open(argv[2], "wb") as f:
            f.write(extend(p7m, tst, ric, rv))
        return
    raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])

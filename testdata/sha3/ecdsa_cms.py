#!/usr/bin/env python3
"""Builds a CMS SignedData (RFC 5652) signed with ECDSA / SHA3-256 (ecdsa-with-SHA3-256,
2.16.840.1.101.3.4.3.10), which `openssl cms -sign` 3.0 refuses to make ("unsupported signature
algorithm"). The structure mirrors what `openssl cms -sign -nodetach -md sha3-256` writes for
RSA: attached content, the signer certificate, signed attributes contentType, signingTime and
messageDigest. The signature over the DER SET OF signed attributes comes from
`openssl dgst -sha3-256 -sign`.

usage: ecdsa_cms.py CERT.pem KEY.pem CONTENT OUT.p7m SIGNING_TIME(YYMMDDhhmmssZ)
Standard library only.
"""
import base64
import subprocess
import sys
import tempfile


def tlv(tag, body):
    n = len(body)
    if n < 0x80:
        length = bytes([n])
    else:
        b = n.to_bytes((n.bit_length() + 7) // 8, "big")
        length = bytes([0x80 | len(b)]) + b
    return bytes([tag]) + length + body


def oid(dotted):
    parts = [int(p) for p in dotted.split(".")]
    out = bytes([40 * parts[0] + parts[1]])
    for p in parts[2:]:
        chunk = [p & 0x7F]
        p >>= 7
        while p:
            chunk.append(0x80 | (p & 0x7F))
            p >>= 7
        out += bytes(reversed(chunk))
    return tlv(0x06, out)


def parse(data, pos=0):
    """One TLV at `pos`: (tag, header+body bytes, body, end)."""
    tag = data[pos]
    n = data[pos + 1]
    hdr = 2
    if n & 0x80:
        k = n & 0x7F
        n = int.from_bytes(data[pos + 2:pos + 2 + k], "big")
        hdr += k
    end = pos + hdr + n
    return tag, data[pos:end], data[pos + hdr:end], end


def children(body):
    pos, out = 0, []
    while pos < len(body):
        tag, raw, inner, pos = parse(body, pos)
        out.append((tag, raw, inner))
    return out


def main():
    cert_pem, key, content_path, out_path, signing_time = sys.argv[1:6]
    pem = open(cert_pem).read()
    cert = base64.b64decode("".join(l for l in pem.splitlines() if "-----" not in l))
    tbs = children(children(parse(cert)[2])[0][2])
    if tbs[0][0] == 0xA0:  # [0] version
        tbs = tbs[1:]
    serial, issuer = tbs[0][1], tbs[2][1]
    content = open(content_path, "rb").read()
    digest = subprocess.run(["openssl", "dgst", "-sha3-256", "-binary"], input=content,
                            capture_output=True, check=True).stdout

    sha3_256 = tlv(0x30, oid("2.16.840.1.101.3.4.2.8"))
    ecdsa_sha3_256 = tlv(0x30, oid("2.16.840.1.101.3.4.3.10"))
    data_oid = oid("1.2.840.113549.1.7.1")
    attrs = [
        tlv(0x30, oid("1.2.840.113549.1.9.3") + tlv(0x31, data_oid)),
        tlv(0x30, oid("1.2.840.113549.1.9.5") + tlv(0x31, tlv(0x17, signing_time.encode()))),
        tlv(0x30, oid("1.2.840.113549.1.9.4") + tlv(0x31, tlv(0x04, digest))),
    ]
    attrs_body = b"".join(sorted(attrs))  # DER SET OF: sorted encodings
    with tempfile.NamedTemporaryFile() as f:
        f.write(tlv(0x31, attrs_body))  # signed as a SET (RFC 5652 5.4)
        f.flush()
        sig = subprocess.run(["openssl", "dgst", "-sha3-256", "-sign", key, f.name],
                             capture_output=True, check=True).stdout
    signer_info = tlv(0x30, b"".join([
        tlv(0x02, b"\x01"),
        tlv(0x30, issuer + serial),
        sha3_256,
        tlv(0xA0, attrs_body),
        ecdsa_sha3_256,
        tlv(0x04, sig),
    ]))
    signed_data = tlv(0x30, b"".join([
        tlv(0x02, b"\x01"),
        tlv(0x31, sha3_256),
        tlv(0x30, data_oid + tlv(0xA0, tlv(0x04, content))),
        tlv(0xA0, cert),
        tlv(0x31, signer_info),
    ]))
    content_info = tlv(0x30, oid("1.2.840.113549.1.7.2") + tlv(0xA0, signed_data))
    open(out_path, "wb").write(content_info)


if __name__ == "__main__":
    main()

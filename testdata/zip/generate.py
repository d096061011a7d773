#!/usr/bin/env python3
"""Writes the ZIP and ASiC test files of this directory (run from anywhere; Python 3.8+).

`python3 testdata/zip/generate.py` rewrites every file; the output is deterministic. The valid
archives come from Python's own `zipfile`; the broken ones from the small raw writer below, so
that each breaks exactly one rule. `tests/zip_reader.rs` says what each must give.
"""
import io
import os
import struct
import zipfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
DATE = (2020, 1, 1, 0, 0, 0)
ASIC_E = b"application/vnd.etsi.asic-e+zip"
ASIC_S = b"application/vnd.etsi.asic-s+zip"


def deflate(data, level=9):
    c = zlib.compressobj(level, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def entry(name, data, method=0, **over):
    """One entry for `raw`: its name, data and method; `over` overrides any field, for the
    local header (`l_*`), the central header (`c_*`) or both (plain name)."""
    comp = deflate(data) if method == 8 else data
    e = dict(name=name.encode() if isinstance(name, str) else name, comp=comp, method=method,
             flags=0x0800, crc=zlib.crc32(data), csize=len(comp), usize=len(data),
             extra=b"", descriptor=None, offset=None)
    e.update(over)
    return e


def field(e, key, side):
    return e.get(side + "_" + key, e[key])


def local_header(e):
    name, extra = field(e, "name", "l"), field(e, "extra", "l")
    return struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, field(e, "flags", "l"), field(e, "method", "l"),
                       0, 0x5021, field(e, "crc", "l"), field(e, "csize", "l"), field(e, "usize", "l"),
                       len(name), len(extra)) + name + extra


def central_header(e, offset):
    name, extra = field(e, "name", "c"), field(e, "extra", "c")
    off = e["offset"] if e["offset"] is not None else offset
    return struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, field(e, "flags", "c"),
                       field(e, "method", "c"), 0, 0x5021, field(e, "crc", "c"), field(e, "csize", "c"),
                       field(e, "usize", "c"), len(name), len(extra), 0, 0, 0, 0, off) + name + extra


def raw(entries, prefix=b"", between=b"", comment=b"", comment_len=None, disk=0):
    """A ZIP from `entries`, with `prefix` before the first and `between` after each local
    entry; `comment_len` may lie about the comment."""
    out, offsets = bytearray(prefix), []
    for e in entries:
        offsets.append(len(out))
        out += local_header(e) + e["comp"]
        if e["descriptor"] is not None:
            out += e["descriptor"]
        out += between
    cd_offset = len(out)
    for e, off in zip(entries, offsets):
        out += central_header(e, off)
    cd_size = len(out) - cd_offset
    n = len(entries)
    clen = len(comment) if comment_len is None else comment_len
    out += struct.pack("<IHHHHIIH", 0x06054B50, disk, disk, n, n, cd_size, cd_offset, clen) + comment
    return bytes(out)


def with_zipfile(files, stream=False, zip64=False):
    """A ZIP written by `zipfile`: `files` is [(name, data, method)]; `stream` writes to an
    unseekable stream (data descriptors); `zip64` forces every ZIP64 record."""
    class Unseekable(io.RawIOBase):
        def __init__(self):
            self.buf = bytearray()

        def writable(self):
            return True

        def write(self, b):
            self.buf += b
            return len(b)

    sink = Unseekable() if stream else io.BytesIO()
    saved = zipfile.ZIP64_LIMIT
    if zip64:
        zipfile.ZIP64_LIMIT = 0
    try:
        with zipfile.ZipFile(sink, "w") as z:
            for name, data, method in files:
                info = zipfile.ZipInfo(name, DATE)
                info.compress_type = method
                info.create_system = 3
                z.writestr(info, data)
    finally:
        zipfile.ZIP64_LIMIT = saved
    return bytes(sink.buf if stream else sink.getvalue())


def manifest(files, root=ASIC_E):
    entries = '<manifest:file-entry manifest:full-path="/" manifest:media-type="%s"/>' % root.decode()
    for name, media in files:
        entries += '<manifest:file-entry manifest:full-path="%s" manifest:media-type="%s"/>' % (name, media)
    return ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
            'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">%s</manifest:manifest>'
            % entries).encode()


SIG = b"<XAdESSignatures xmlns=\"http://uri.etsi.org/02918/v1.2.1#\"/>"
TEXT = b"Hello, ASiC.\n" * 20


def asice(mimetype=ASIC_E, man=None, data=(("a.txt", TEXT),), mimetype_method=0, mimetype_extra=b"",
          extra_entries=()):
    man = manifest([(n, "text/plain") for n, _ in data]) if man is None else man
    entries = [entry("mimetype", mimetype, mimetype_method, extra=mimetype_extra)] if mimetype is not None else []
    entries += [entry(n, d, 8) for n, d in data]
    if man is not False:
        entries.append(entry("META-INF/manifest.xml", man, 8))
    entries.append(entry("META-INF/signatures0.xml", SIG, 8))
    entries += extra_entries
    return raw(entries)


def zip_cases():
    ok = [entry("mimetype", ASIC_E), entry("a.txt", TEXT), entry("dir/", b"")]
    cases = {
        "stored.zip": raw(ok),
        "deflated.zip": with_zipfile([("a.txt", TEXT, zipfile.ZIP_DEFLATED), ("b.txt", b"", zipfile.ZIP_DEFLATED)]),
        "descriptor.zip": with_zipfile([("a.txt", TEXT, zipfile.ZIP_DEFLATED), ("b.bin", TEXT, zipfile.ZIP_STORED)],
                                       stream=True),
        "zip64.zip": with_zipfile([("a.txt", TEXT, zipfile.ZIP_DEFLATED), ("b.txt", TEXT, zipfile.ZIP_STORED)],
                                  zip64=True),
        "name-mismatch.zip": raw([entry("a.txt", TEXT, l_name=b"b.txt")]),
        "size-mismatch.zip": raw([entry("a.txt", TEXT, 8, l_csize=len(deflate(TEXT)) + 1)]),
        "duplicate.zip": raw([entry("a.txt", TEXT), entry("a.txt", b"other")]),
        "name-dotdot.zip": raw([entry("../x", TEXT)]),
        "name-absolute.zip": raw([entry("/abs", TEXT)]),
        "name-backslash.zip": raw([entry("a\\b", TEXT)]),
        "name-drive.zip": raw([entry("C:x", TEXT)]),
        "name-nul.zip": raw([entry(b"a\x00b", TEXT)]),
        "name-cp437.zip": raw([entry("\u00e4.txt".encode("cp437"), TEXT, flags=0)]),
        "same-local.zip": raw([entry("a.txt", TEXT), entry("a.txt", TEXT, offset=0)]),
        "prefix.zip": raw(ok, prefix=b"#!/bin/sh\nexit\n"),
        "between.zip": raw(ok, between=b"\0\0\0\0"),
        "bad-crc.zip": raw([entry("a.txt", TEXT, 8, crc=zlib.crc32(TEXT) ^ 1)]),
        "encrypted.zip": raw([entry("a.txt", TEXT, flags=0x0801)]),
        "method-bzip2.zip": raw([entry("a.txt", TEXT, method=12)]),
        "comment-lies.zip": raw(ok, comment=b"12345", comment_len=10),
        "multi-disk.zip": raw(ok, disk=1),
        "trailing-deflate.zip": raw([entry("a.txt", TEXT, 8, comp=deflate(TEXT) + b"xyz",
                                           csize=len(deflate(TEXT)) + 3)]),
        "descriptor-mismatch.zip": raw([entry("a.txt", TEXT, flags=0x0808, l_crc=0, l_csize=0, l_usize=0,
                                              descriptor=struct.pack("<IIII", 0x08074B50, zlib.crc32(TEXT) ^ 1,
                                                                     len(TEXT), len(TEXT)))]),
    }
    # B's local header and data lie inside A's stored data: the two entries share bytes.
    inner = entry("b.txt", b"inner")
    inner_bytes = local_header(inner) + inner["comp"]
    outer = entry("a.txt", inner_bytes)
    header_len = len(local_header(outer))
    inner["offset"] = header_len
    cases["nested-overlap.zip"] = raw([outer, inner])
    # 200 MB of zeros, declared honestly: refused by the ratio before inflating.
    zeros = deflate(bytes(200 * 1000 * 1000))
    cases["bomb.zip"] = raw([entry("zeros", b"", 8, comp=zeros, csize=len(zeros), usize=200 * 1000 * 1000,
                                   crc=zlib.crc32(bytes(200 * 1000 * 1000)))])
    # 20 MB of zeros declared as 1,000 bytes: inflating stops after 1,000.
    zeros = deflate(bytes(20 * 1000 * 1000))
    cases["bomb-lying.zip"] = raw([entry("zeros", b"", 8, comp=zeros, csize=len(zeros), usize=1000,
                                         crc=zlib.crc32(bytes(1000)))])
    return cases


def asic_cases():
    two = (("a.txt", TEXT), ("b.txt", b"second"))
    return {
        "ok.asice": asice(data=two),
        "ok-compressed-mimetype.asice": asice(mimetype_method=8, mimetype_extra=b"\xfe\xca\x00\x00"),
        "mimetype-wrong.asice": asice(mimetype=b"application/zip"),
        "mimetype-missing.asice": asice(mimetype=None),
        "manifest-missing.asice": asice(man=False),
        "manifest-malformed.asice": asice(man=b"<manifest:manifest xmlns:manifest='urn:x'><unclosed>"),
        "manifest-doctype.asice": asice(man=b"<!DOCTYPE m [<!ENTITY x 'y'>]><m/>"),
        "manifest-root-mismatch.asice": asice(man=manifest([("a.txt", "text/plain")], root=ASIC_S)),
        "manifest-extra-file.asice": asice(man=manifest([("a.txt", "text/plain"), ("gone.txt", "text/plain")])),
        "manifest-misses-file.asice": asice(data=two, man=manifest([("a.txt", "text/plain")])),
        "other-meta-inf.asice": asice(extra_entries=[entry("META-INF/ASiCManifest.xml", b"<x/>", 8),
                                                     entry("META-INF/sub/signatures9.xml", b"<x/>", 8)]),
        "ok.asics": raw([entry("mimetype", ASIC_S), entry("data.bin", TEXT, 8),
                         entry("META-INF/signature.p7s", b"\x30\x00", 8)]),
        "two-data.asics": raw([entry("mimetype", ASIC_S), entry("a.bin", TEXT, 8), entry("b.bin", TEXT, 8),
                               entry("META-INF/timestamp.tst", b"\x30\x00", 8)]),
        "no-signature.asics": raw([entry("mimetype", ASIC_S), entry("a.bin", TEXT, 8)]),
    }


def main():
    for name, data in sorted({**zip_cases(), **asic_cases()}.items()):
        with open(os.path.join(HERE, name), "wb") as f:
            f.write(data)
        print("%-32s %8d bytes" % (name, len(data)))


if __name__ == "__main__":
    main()

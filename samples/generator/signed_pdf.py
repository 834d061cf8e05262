"""A PDF signed as a tax platform signs an invoice: an incremental update adding a signature
dictionary whose /Contents holds a detached PKCS#7 (CMS) SignedData over the /ByteRange, with
SM3 digest and SM2 signature by a test key. (No form field: our checker reads the signature
dictionary; viewers list no signature panel for it.)"""

import hashlib
import re

import pymupdf

from .sm2_sign import SM2_SM3, SigningKey, integer, oid, seq, tlv, utf8

HOLE = 8192  # hex digits reserved for the CMS
PLACEHOLDER = b"/ByteRange [0 0000000000 0000000000 0000000000]"
SIGNED_DATA, DATA = "1.2.840.113549.1.7.2", "1.2.840.113549.1.7.1"
CONTENT_TYPE, MESSAGE_DIGEST, SM3 = "1.2.840.113549.1.9.3", "1.2.840.113549.1.9.4", "1.2.156.10197.1.401"


def _cms(key: SigningKey, digest: bytes) -> bytes:
    attrs = sorted([seq(oid(CONTENT_TYPE), tlv(0x31, oid(DATA))),
                    seq(oid(MESSAGE_DIGEST), tlv(0x31, tlv(0x04, digest)))])
    signed_attrs = b"".join(attrs)
    signature = key.sign(tlv(0x31, signed_attrs))
    issuer = seq(tlv(0x31, seq(oid("2.5.4.3"), utf8(key.name))))
    signer = seq(integer(1), seq(issuer, integer(1)), seq(oid(SM3)), tlv(0xA0, signed_attrs),
                 seq(oid(SM2_SM3)), tlv(0x04, signature))
    signed = seq(integer(1), tlv(0x31, seq(oid(SM3))), seq(oid(DATA)), tlv(0xA0, key.certificate()),
                 tlv(0x31, signer))
    return seq(oid(SIGNED_DATA), tlv(0xA0, signed))


def sign_pdf(pdf: bytes, key: SigningKey) -> bytes:
    """`pdf` with a signature appended as an incremental update (deterministic bytes)."""
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        size, root = doc.xref_length(), doc.pdf_catalog()
    prev = int(re.findall(rb"startxref\s+(\d+)", pdf)[-1])
    body = pdf if pdf.endswith(b"\n") else pdf + b"\n"
    offset = len(body)
    obj = f"{size} 0 obj\n<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached ".encode()
    obj += PLACEHOLDER + b" /Contents <" + b"0" * HOLE + b"> /M (D:20260101000000Z) >>\nendobj\n"
    xref = offset + len(obj)
    tail = (f"xref\n{size} 1\n{offset:010d} 00000 n \ntrailer\n<< /Size {size + 1} /Root {root} 0 R "
            f"/Prev {prev} >>\nstartxref\n{xref}\n%%EOF\n").encode()
    out = bytearray(body + obj + tail)
    start = out.index(b"/Contents <", offset) + len(b"/Contents ")
    end = start + HOLE + 2
    ranges = f"/ByteRange [0 {start:010d} {end:010d} {len(out) - end:010d}]".encode()
    at = out.index(PLACEHOLDER, offset)
    out[at:at + len(PLACEHOLDER)] = ranges
    digest = hashlib.new("sm3", bytes(out[:start]) + bytes(out[end:])).digest()
    cms = _cms(key, digest).hex().encode()
    out[start + 1:start + 1 + len(cms)] = cms
    return bytes(out)

"""A signed PDF (a 数电 invoice as the tax platform issues it) checked offline: each signature's
signed byte ranges against the messageDigest its PKCS#7 signs, the signature itself (SM2 with
gmssl, RSA/ECDSA with cryptography), and nothing but another signature appended after the last
one. An edited invoice changes the digest or appends a revision: `invalid`."""

import re
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from docintake.core.datamodel import ElectronicSignature, SignatureStatus

from .ofd import der
from .ofd.signature import RANK, VALID_NOTE, cert_info, digest, oid_text, sm2_verify

BYTE_RANGE = re.compile(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]")
MESSAGE_DIGEST = "1.2.840.113549.1.9.4"
SM2 = ("1.2.156.10197.1.501", "1.2.156.10197.1.301.1", "1.2.156.10197.1.301")
HASHES = {"2.16.840.1.101.3.4.2.1": hashes.SHA256(), "2.16.840.1.101.3.4.2.2": hashes.SHA384(),
          "2.16.840.1.101.3.4.2.3": hashes.SHA512(), "1.3.14.3.2.26": hashes.SHA1()}


def _signer_info(cms: bytes):
    """(digest OID, signedAttrs element, signature alg OID, signature, first certificate)."""
    signed = der.read(cms).children()[1].children()[0]  # ContentInfo [0] SignedData
    parts = signed.children()
    certs = next((p for p in parts if p.tag == 0xA0), None)
    info = parts[-1].children()[0]  # SignerInfos SET, the first SignerInfo
    fields = info.children()
    attrs = next((f for f in fields if f.tag == 0xA0), None)
    rest = [f for f in fields if f.tag != 0xA0]
    digest_alg = oid_text(rest[2].children()[0].content)
    sig_alg = oid_text(rest[3].children()[0].content)
    cert = certs.children()[0].raw if certs is not None else None
    return digest_alg, attrs, sig_alg, rest[4].content, cert


def _verified(sig_alg: str, digest_alg: str, signature: bytes, data: bytes, cert: bytes) -> bool | None:
    """Whether the signature verifies; None when its algorithm is not one we check."""
    if sig_alg in SM2:
        return sm2_verify(cert_info(cert)[1] or b"", signature, data)
    key = x509.load_der_x509_certificate(cert).public_key()
    algorithm = HASHES.get(digest_alg)
    if algorithm is None:
        return None
    try:
        if isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, data, padding.PKCS1v15(), algorithm)
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, data, ec.ECDSA(algorithm))
        else:
            return None
    except InvalidSignature:
        return False
    return True


_HEX = re.compile(rb"<[0-9A-Fa-f\s]+>")
STALE = "签名与文件结构不符（文件可能经过合并或重新保存），未验证"


def _one(data: bytes, a: int, b: int, c: int, d: int) -> tuple[str, str | None, str | None]:
    if a != 0 or c + d > len(data) or not _HEX.fullmatch(data[a + b:c]):
        # ranges that do not frame this file's signature: a signed PDF merged into another or
        # rewritten by a tool. Nothing here says its content was forged.
        return "unchecked", STALE, None
    hole = data[a + b:c].strip().strip(b"<>")
    cms = der.read(bytes.fromhex(hole.decode("ascii"))).raw  # the zero padding after it dropped
    digest_alg, attrs, sig_alg, signature, cert = _signer_info(cms)
    signer = cert_info(cert)[0] if cert else None
    if attrs is None or cert is None:
        return "unchecked", "签名不含签名属性或证书，未验证", signer
    signed_digest = next((a.children()[1].children()[0].content for a in attrs.children()
                          if oid_text(a.children()[0].content) == MESSAGE_DIGEST), None)
    got = digest(digest_alg, data[a:a + b] + data[c:c + d])
    if got is None:
        return "unchecked", f"摘要算法 {digest_alg} 不受支持", signer
    if got != signed_digest:
        return "invalid", "PDF 在签名后被修改（签名范围内的内容与摘要不符）", signer
    verified = _verified(sig_alg, digest_alg, signature, b"\x31" + attrs.raw[1:], cert)
    if verified is None:
        return "unchecked", f"签名算法 {sig_alg} 未验证", signer
    return ("valid", None, signer) if verified else ("invalid", "签名值验证不通过", signer)


def check_pdf_signatures(path: Path, source: str) -> ElectronicSignature | None:
    """The PDF's signatures, worst first; None when it has none."""
    data = path.read_bytes()
    ranges = [tuple(int(x) for x in m.groups()) for m in BYTE_RANGE.finditer(data)]
    if not ranges:
        return None
    status, note, signers = "valid", None, []
    for a, b, c, d in ranges:
        try:
            one, why, signer = _one(data, a, b, c, d)
        except Exception as exc:  # any library's failure on a strange signature: never the file's
            one, why, signer = "unchecked", f"签名无法解析（{type(exc).__name__}）", None
        if signer and signer not in signers:
            signers.append(signer)
        if RANK[one] > RANK[status]:
            status, note = one, why
    end = max(c + d for a, b, c, d in ranges)
    if status == "valid" and data[end:].strip(b"\r\n\x00 %EOF"):  # a later revision, unsigned
        status, note = "invalid", "PDF 在最后一次签名后又被修改（追加了新的版本）"
    return ElectronicSignature(status=SignatureStatus(status), signer="、".join(signers) or None,
                               note=VALID_NOTE if status == "valid" else note, source=source)

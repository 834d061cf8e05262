"""OFD signatures checked offline: every signed part against its digest in Signature.xml, the
SES signature's data hash against Signature.xml, and its SM2 signature against the signer's
certificate (GM/T 0031 V4: TBS_Sign, cert, algorithm, signature). A part edited after signing
changes its digest: `invalid`. An algorithm we cannot check leaves the signature `unchecked`."""

import base64
import binascii
import hashlib
import posixpath
from dataclasses import dataclass, field

from gmssl import sm2

from docintake.core.datamodel import ElectronicSignature, SignatureStatus

from . import der
from .content import MM, OfdDocument, numbers
from .package import OfdError, OfdPackage

DIGESTS = {"1.2.156.10197.1.401": "sm3", "1.2.156.10197.1.401.1": "sm3", "1.2.156.10197.1.401.2": "sm3",
           "sm3": "sm3", "2.16.840.1.101.3.4.2.1": "sha256", "sha256": "sha256", "1.3.14.3.2.26": "sha1",
           "sha1": "sha1"}
SM2_SM3 = "1.2.156.10197.1.501"
_PICTURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF8")


@dataclass
class Stamp:
    """Where an e-seal is stamped: the page's ID, its box in points, its picture and name."""

    page_id: str
    bbox: tuple[float, float, float, float]
    picture: bytes | None
    name: str | None  # the seal's own name (SESeal property), e.g. …有限公司发票专用章


@dataclass
class SignatureCheck:
    result: ElectronicSignature
    stamps: list[Stamp] = field(default_factory=list)


def digest(method: str, data: bytes) -> bytes | None:
    name = DIGESTS.get(method.strip().lower())
    return hashlib.new(name, data).digest() if name else None


def _refs(pkg: OfdPackage, sig, folder: str) -> tuple[str, str | None]:
    """'valid', 'invalid' or 'unchecked' for the signed parts, and why."""
    refs = sig.find("SignedInfo/References")
    if refs is None:
        return "unchecked", "签名未列出受保护的文件"
    method = refs.get("CheckMethod") or "1.2.156.10197.1.401"
    for ref in refs.iter("Reference"):
        loc = ref.get("FileRef") or ""
        name = pkg.resolve("" if loc.startswith("/") else folder, loc)
        if not pkg.has(name):
            return "invalid", f"签名保护的文件 {loc} 已不在文件中"
        try:
            expected = base64.b64decode(ref.findtext("CheckValue") or "", validate=False)
        except binascii.Error:
            return "invalid", f"文件 {loc} 的摘要值已损坏"
        got = digest(method, pkg.read(name))
        if got is None:
            return "unchecked", f"摘要算法 {method} 不受支持"
        if got != expected:
            return "invalid", f"文件 {loc} 在签名后被修改（摘要不符）"
    return "valid", None


_CN = bytes.fromhex("0603550403")  # OID 2.5.4.3, commonName


def cert_info(cert_der: bytes) -> tuple[str | None, bytes | None]:
    """The signer's common name and SM2 public key (04||x||y) from an X.509 certificate, read
    from the DER directly: issuers write strings strict parsers refuse (Chinese in IA5String)."""
    tbs = der.read(cert_der).children()[0]
    signer, public = None, None
    for part in tbs.children():
        kids = part.children() if part.tag == 0x30 else []
        if len(kids) == 2 and kids[0].tag == 0x30 and kids[1].tag == 0x03:  # SubjectPublicKeyInfo
            public = kids[1].content[1:]
        for attr in der.walk(part) if part.tag == 0x30 else []:  # issuer, then subject: last wins
            pair = attr.children() if attr.tag == 0x30 and attr.constructed else []
            if len(pair) == 2 and pair[0].raw == _CN:
                signer = pair[1].content.decode("utf-8", "replace")
    return signer, public


def seal_name(signed_value: bytes) -> str | None:
    """SESeal.eSealInfo.property.name: the name the seal was made with."""
    try:
        prop = der.read(signed_value).children()[0].children()[1].children()[0].children()[2]
        name = prop.children()[1]
        return name.content.decode("utf-8") if name.tag == 0x0C else None
    except (der.DerError, IndexError, UnicodeDecodeError):
        return None


def _ses(signed_value: bytes, signature_xml: bytes) -> tuple[str, str | None, str | None, bytes | None]:
    """Status, note, signer and seal picture of an SES signature (V4 layout)."""
    picture = next((t.content for t in der.walk(der.read(signed_value)) if t.tag == 0x04
                    and t.content.startswith(_PICTURES)), None)
    kids = der.read(signed_value).children()
    if len(kids) < 4 or kids[1].tag != 0x04 or kids[2].tag != 0x06:
        return "unchecked", "签名值不是 V4 格式的电子签章，未验证", None, picture
    tbs, cert, alg, value = kids[:4]
    signer, public = cert_info(cert.content)
    parts = tbs.children()
    signed_hash = parts[3].content[1:] if len(parts) > 3 and parts[3].tag == 0x03 else None
    if signed_hash is not None and signed_hash != hashlib.new("sm3", signature_xml).digest():
        return "invalid", "签名描述文件在签名后被修改（摘要不符）", signer, picture
    if oid_text(alg.content) != SM2_SM3 or public is None:
        return "unchecked", "签名算法不是 SM2，未验证", signer, picture
    if not sm2_verify(public, value.content[1:], tbs.raw):
        return "invalid", "SM2 签名值验证不通过", signer, picture
    return "valid", None, signer, picture


def sm2_verify(public: bytes, der_signature: bytes, data: bytes) -> bool:
    """An SM2-with-SM3 signature (DER SEQUENCE {r, s}) over `data`, default user ID."""
    r, s = (int.from_bytes(x.content, "big") for x in der.read(der_signature).children()[:2])
    checker = sm2.CryptSM2(public_key=public[-64:].hex(), private_key=None)
    return bool(checker.verify_with_sm3(f"{r:064x}{s:064x}", data))


def oid_text(content: bytes) -> str:
    first, rest, value = content[0], [], 0
    for byte in content[1:]:
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            rest.append(value)
            value = 0
    return ".".join(str(n) for n in [first // 40, first % 40, *rest])


RANK = {"invalid": 2, "unchecked": 1, "valid": 0}
# Offline we hold no issuers' root certificates: `valid` says the file is as it was signed, by the
# key of the certificate it carries, not who issued that certificate.
VALID_NOTE = "文件自签名后未被修改；签名证书未与签发机构的根证书核对"


def check_signatures(pkg: OfdPackage, doc: OfdDocument, source: str) -> SignatureCheck | None:
    """The document's signatures, worst first: None when it carries none."""
    if not doc.signatures or not pkg.has(doc.signatures):
        return None
    status, note, signers, stamps = "valid", None, [], []
    folder = posixpath.dirname(doc.signatures)
    try:
        entries = list(pkg.xml(doc.signatures).iter("Signature"))
    except OfdError as exc:  # the list of signatures damaged: nothing to check, the file still read
        return SignatureCheck(ElectronicSignature(status=SignatureStatus.unchecked, source=source,
                                                  note=f"签名列表无法读取（{exc}）"))
    if not entries:  # an empty list: the file carries no signature
        return None
    for entry in entries:
        name = ""
        try:
            name = pkg.resolve(folder, entry.get("BaseLoc") or "")
            one, why, signer, picture, sealed = _one(pkg, name)
        except Exception as exc:  # any library's failure on a strange signature: unchecked, not fatal
            one, why = "unchecked", f"签名无法解析（{type(exc).__name__}）"
            signer = picture = sealed = None
        if signer and signer not in signers:
            signers.append(signer)
        if RANK[one] > RANK[status] or (note is None and why and one == status):
            status, note = one, why
        for annot in _stamps(pkg, name):
            box = numbers(annot.get("Boundary"))
            if len(box) >= 4:
                rect = (box[0] * MM, box[1] * MM, (box[0] + box[2]) * MM, (box[1] + box[3]) * MM)
                stamps.append(Stamp(annot.get("PageRef", ""), rect, picture, sealed))
    result = ElectronicSignature(status=SignatureStatus(status), signer="、".join(signers) or None,
                                 note=VALID_NOTE if status == "valid" else note, source=source)
    return SignatureCheck(result, stamps)


def _stamps(pkg: OfdPackage, name: str) -> list:
    try:
        return list(pkg.xml(name).iter("StampAnnot")) if name and pkg.has(name) else []
    except OfdError:
        return []


def _one(pkg: OfdPackage, name: str) -> tuple[str, str | None, str | None, bytes | None, str | None]:
    """Status, note, signer, seal picture and seal name of one signature."""
    sig = pkg.xml(name)
    folder = posixpath.dirname(name)
    status, note = _refs(pkg, sig, folder)
    value_loc = (sig.findtext("SignedValue") or "").strip()
    value_name = pkg.resolve("" if value_loc.startswith("/") else folder, value_loc) if value_loc else ""
    if not value_name or not pkg.has(value_name):
        return ("invalid" if status == "invalid" else "unchecked"), note or "缺少签名值", None, None, None
    value = pkg.read(value_name)
    ses_status, ses_note, signer, picture = _ses(value, pkg.read(name))
    if status == "invalid" or ses_status == "valid":
        return status, note, signer, picture, seal_name(value)
    return ses_status, ses_note, signer, picture, seal_name(value)

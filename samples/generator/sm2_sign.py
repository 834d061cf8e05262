"""A test SM2 key, a self-issued certificate for it, and SES (GM/T 0031 V4) signatures: what an
OFD invoice's e-seal signature holds, made the same way so our checks are tested on files we
make. Deterministic: the same seed gives the same bytes."""

import hashlib
from dataclasses import dataclass

from gmssl import sm2

SM2_SM3 = "1.2.156.10197.1.501"
EC_PUBLIC_KEY = "1.2.840.10045.2.1"
SM2_CURVE = "1.2.156.10197.1.301"
CN = "2.5.4.3"
N = int("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123", 16)


def _len(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def tlv(tag: int, body: bytes) -> bytes:
    return bytes([tag]) + _len(len(body)) + body


def seq(*parts: bytes) -> bytes:
    return tlv(0x30, b"".join(parts))


def integer(n: int) -> bytes:
    body = n.to_bytes(max(1, (n.bit_length() + 8) // 8), "big")
    return tlv(0x02, body)


def oid(dotted: str) -> bytes:
    nums = [int(x) for x in dotted.split(".")]
    body = bytes([nums[0] * 40 + nums[1]])
    for n in nums[2:]:
        chunk = [n & 0x7F]
        while n > 0x7F:
            n >>= 7
            chunk.append(0x80 | (n & 0x7F))
        body += bytes(reversed(chunk))
    return tlv(0x06, body)


def bits(data: bytes) -> bytes:
    return tlv(0x03, b"\x00" + data)


def utf8(text: str) -> bytes:
    return tlv(0x0C, text.encode())


def ia5(text: str) -> bytes:
    return tlv(0x16, text.encode())


def gentime(text: str) -> bytes:
    return tlv(0x18, text.encode())


@dataclass
class SigningKey:
    private: str  # hex
    public: str  # hex x||y
    name: str

    @classmethod
    def from_seed(cls, seed: str, name: str) -> "SigningKey":
        d = int.from_bytes(hashlib.sha256(f"sm2:{seed}".encode()).digest(), "big") % (N - 1) + 1
        crypt = sm2.CryptSM2(private_key=f"{d:064x}", public_key="")
        public = crypt._kg(d, sm2.default_ecc_table["g"])
        return cls(f"{d:064x}", public, name)

    def sign(self, data: bytes) -> bytes:
        """An SM2-with-SM3 signature as DER SEQUENCE { r, s } (a fixed nonce: reproducible)."""
        crypt = sm2.CryptSM2(private_key=self.private, public_key=self.public)
        nonce = hashlib.sha256(b"k" + data).hexdigest()
        rs = crypt.sign_with_sm3(data, nonce)
        return seq(integer(int(rs[:64], 16)), integer(int(rs[64:], 16)))

    def certificate(self) -> bytes:
        name = seq(tlv(0x31, seq(oid(CN), utf8(self.name))))
        spki = seq(seq(oid(EC_PUBLIC_KEY), oid(SM2_CURVE)), bits(b"\x04" + bytes.fromhex(self.public)))
        validity = seq(tlv(0x17, b"260101000000Z"), tlv(0x17, b"361231000000Z"))
        tbs = seq(tlv(0xA0, integer(2)), integer(1), seq(oid(SM2_SM3)), name, validity, name, spki)
        return seq(tbs, seq(oid(SM2_SM3)), bits(self.sign(tbs)))


def ses_signature(key: SigningKey, signature_xml: bytes, picture: bytes | None, seal_name: str,
                  when: str) -> bytes:
    """SES_Signature V4 over Signature.xml: its SM3 hash signed with the key."""
    cert = key.certificate()
    pic = seq(ia5("png"), tlv(0x04, picture or b""), integer(40), integer(40))
    prop = seq(integer(1), utf8(seal_name), integer(1), seq(tlv(0x04, cert)), gentime(when), gentime(when),
               gentime("20361231000000Z"))
    seal_info = seq(seq(ia5("ES"), integer(4), ia5("docintake")), ia5("test-seal"), prop, pic)
    eseal = seq(seal_info, tlv(0x04, cert), oid(SM2_SM3), bits(key.sign(seal_info)))
    tbs = seq(integer(4), eseal, gentime(when), bits(hashlib.new("sm3", signature_xml).digest()),
              ia5("/Doc_0/Signs/Sign_0/Signature.xml"))
    return seq(tbs, tlv(0x04, cert), oid(SM2_SM3), bits(key.sign(tbs)))

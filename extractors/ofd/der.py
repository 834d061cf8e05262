"""A minimal DER reader: enough to walk an SES signature (GM/T 0031) without a full ASN.1 stack."""

from dataclasses import dataclass


class DerError(ValueError):
    pass


@dataclass
class Tlv:
    tag: int
    start: int  # of the whole element (tag byte) in `data`
    body: int  # of the content
    end: int
    data: bytes

    @property
    def raw(self) -> bytes:
        return self.data[self.start:self.end]

    @property
    def content(self) -> bytes:
        return self.data[self.body:self.end]

    @property
    def constructed(self) -> bool:
        return bool(self.tag & 0x20)

    def children(self) -> list["Tlv"]:
        out, pos = [], self.body
        while pos < self.end:
            child = read(self.data, pos)
            out.append(child)
            pos = child.end
        return out


def read(data: bytes, pos: int = 0) -> Tlv:
    if pos + 2 > len(data):
        raise DerError("truncated")
    tag, length, body = data[pos], data[pos + 1], pos + 2
    if tag & 0x1F == 0x1F:
        raise DerError("multi-byte tags are not used by SES")
    if length & 0x80:
        count = length & 0x7F
        if count == 0 or count > 4 or body + count > len(data):
            raise DerError("bad length")
        length = int.from_bytes(data[body:body + count], "big")
        body += count
    if body + length > len(data):
        raise DerError("truncated")
    return Tlv(tag, pos, body, body + length, data)


def walk(tlv: Tlv, depth: int = 0):
    """Every element under `tlv`, depth first (bounded depth: hostile input)."""
    yield tlv
    if tlv.constructed and depth < 12:
        for child in tlv.children():
            yield from walk(child, depth + 1)

"""An OFD document's pages: text objects with their boxes, images, stamp positions, in points.

OFD measures in millimetres from the page's top-left, like our page model (origin top-left), so
a box is only scaled. Template pages (the printed form: labels, rules) are read under each page.
"""

import posixpath
import re
from dataclasses import dataclass, field

from .package import OfdError, OfdPackage

MM = 72 / 25.4  # points per millimetre
A4 = (210.0, 297.0)
MAX_SIDE_MM = 1189.0  # A0's long side: no document page is larger
_NUM = re.compile(r"-?\d+(?:\.\d+)?(?:[eE]-?\d+)?")


@dataclass
class OfdText:
    id: str
    text: str
    bbox: tuple[float, float, float, float]  # points, origin top-left
    size: float  # points
    baseline: float
    xs: list[float] = field(default_factory=list)  # each character's x (unrotated text), points


@dataclass
class OfdImage:
    bbox: tuple[float, float, float, float]
    member: str | None  # the image's part in the package


@dataclass
class OfdPage:
    id: str
    index: int
    width: float  # points
    height: float
    texts: list[OfdText] = field(default_factory=list)
    images: list[OfdImage] = field(default_factory=list)


@dataclass
class OfdDocument:
    base: str  # the document's folder in the package (Doc_0)
    pages: list[OfdPage]
    custom_tags: str | None  # Tags/CustomTags.xml, resolved
    attachments: str | None
    signatures: str | None
    custom_data: dict[str, str]


def numbers(text: str | None) -> list[float]:
    return [float(n) for n in _NUM.findall(text or "")]


def _box(text: str | None) -> tuple[float, float, float, float] | None:
    vals = numbers(text)
    return (vals[0], vals[1], vals[2], vals[3]) if len(vals) >= 4 else None


def deltas(spec: str | None, count: int) -> list[float]:
    """DeltaX / DeltaY: numbers, and "g n d" for n repeats of d (GB/T 33190 11.3)."""
    tokens, out, i = (spec or "").split(), [], 0
    try:
        while i < len(tokens) and len(out) < count:
            if tokens[i] == "g" and i + 2 < len(tokens):  # repeats bounded by what the text needs
                out += [float(tokens[i + 2])] * max(0, min(int(float(tokens[i + 1])), count - len(out)))
                i += 3
            else:
                out.append(float(tokens[i]))
                i += 1
    except ValueError:  # a damaged list: the rest of the run gets natural advances
        pass
    return out[:count]


def _advance(ch: str, size: float) -> float:
    return size * (0.5 if ord(ch) < 0x2E80 else 1.0)


def _apply(ctm: list[float], x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = ctm
    return a * x + c * y + e, b * x + d * y + f


def _texts(obj, origin: tuple[float, float]) -> list[OfdText]:
    """One OfdText per TextCode of a TextObject (each code is a run at its own X, Y)."""
    size = (numbers(obj.get("Size")) or [3.5])[0]
    ctm = numbers(obj.get("CTM"))
    ctm = ctm if len(ctm) == 6 else None
    out, x, y = [], 0.0, 0.0
    for code in obj.iter("TextCode"):
        text = code.text or ""
        x = (numbers(code.get("X")) or [x])[0]
        y = (numbers(code.get("Y")) or [y])[0]
        if not text.strip():
            continue
        steps = deltas(code.get("DeltaX"), len(text) - 1)
        steps += [_advance(ch, size) for ch in text[len(steps):-1]]  # a DeltaX shorter than the text
        width = sum(steps) + _advance(text[-1], size)
        corners = [(x, y - size * 0.88), (x + width, y - size * 0.88), (x, y + size * 0.12),
                   (x + width, y + size * 0.12)]
        if ctm:
            corners = [_apply(ctm, cx, cy) for cx, cy in corners]
        xs, ys = [c[0] + origin[0] for c in corners], [c[1] + origin[1] for c in corners]
        scale = abs(ctm[3]) if ctm and abs(ctm[3]) > 0 else 1.0
        bbox = (min(xs) * MM, min(ys) * MM, max(xs) * MM, max(ys) * MM)
        starts = [x + sum(steps[:i]) for i in range(len(text))]
        xs = [((_apply(ctm, sx, y)[0] if ctm else sx) + origin[0]) * MM for sx in starts]
        out.append(OfdText(id=obj.get("ID", ""), text=text, bbox=bbox, size=size * scale * MM,
                           baseline=bbox[3] - size * scale * 0.12 * MM, xs=xs))
    return out


class _Reader:
    def __init__(self, pkg: OfdPackage, doc_root: str):
        self.pkg = pkg
        self.doc_root = doc_root
        self.base = posixpath.dirname(doc_root)
        self.doc = pkg.xml(doc_root)
        self.media = self._media()

    def _media(self) -> dict[str, str]:
        """Image resources: ID -> the member holding the image."""
        out = {}
        common = self.doc.find("CommonData")
        for tag in ("PublicRes", "DocumentRes"):
            for res in (common.findall(tag) if common is not None else []):
                try:
                    name = self.pkg.resolve(self.base, res.text or "")
                    root = self.pkg.xml(name) if self.pkg.has(name) else None
                except OfdError:  # damaged resources cost the images, not the page's text
                    root = None
                if root is None:
                    continue
                folder = posixpath.dirname(name)
                if root.get("BaseLoc"):
                    folder = self.pkg.resolve(folder, root.get("BaseLoc"))
                for mm in root.iter("MultiMedia"):
                    media_file = mm.findtext("MediaFile")
                    if media_file:
                        out[mm.get("ID", "")] = self.pkg.resolve(folder, media_file)
        return out

    def _area(self, root) -> tuple[float, float]:
        box = _box(root.findtext("Area/PhysicalBox")) if root is not None else None
        box = box or _box(self.doc.findtext("CommonData/PageArea/PhysicalBox"))
        if not box or box[2] <= 0 or box[3] <= 0:
            return A4
        return min(box[2], MAX_SIDE_MM), min(box[3], MAX_SIDE_MM)  # hostile sizes bounded

    def _fill(self, page: OfdPage, root) -> None:
        for obj in root.iter():
            if obj.tag == "TextObject":
                box = _box(obj.get("Boundary")) or (0, 0, 0, 0)
                page.texts += _texts(obj, (box[0], box[1]))
            elif obj.tag == "ImageObject":
                box = _box(obj.get("Boundary"))
                if box:
                    rect = (box[0] * MM, box[1] * MM, (box[0] + box[2]) * MM, (box[1] + box[3]) * MM)
                    page.images.append(OfdImage(rect, self.media.get(obj.get("ResourceID", ""))))

    def pages(self, max_pages: int) -> list[OfdPage]:
        templates = {t.get("ID"): t.get("BaseLoc") for t in self.doc.iter("TemplatePage")}
        out = []
        for index, ref in enumerate(self.doc.iter("Page")):
            if index >= max_pages:
                break
            name = self.pkg.resolve(self.base, ref.get("BaseLoc") or "")
            root = self.pkg.xml(name)
            width, height = self._area(root)
            page = OfdPage(id=ref.get("ID", ""), index=index, width=width * MM, height=height * MM)
            for tpl in root.iter("Template"):
                loc = templates.get(tpl.get("TemplateID"))
                if loc:
                    self._fill(page, self.pkg.xml(self.pkg.resolve(self.base, loc)))
            self._fill(page, root)
            out.append(page)
        return out

    def part(self, tag: str) -> str | None:
        text = self.doc.findtext(tag)
        return self.pkg.resolve(self.base, text) if text else None


def page_count(pkg: OfdPackage) -> int:
    """Pages of the first document, from Document.xml alone (progress counts, before reading)."""
    body = pkg.xml("OFD.xml").find("DocBody")
    root = (body.findtext("DocRoot") or "").strip() if body is not None else ""
    return sum(1 for _ in pkg.xml(pkg.resolve("", root)).iter("Page")) if root else 0


def read_document(pkg: OfdPackage, max_pages: int) -> OfdDocument:
    """The first document of the package (an invoice file holds one)."""
    if not pkg.has("OFD.xml"):
        raise OfdError("OFD 文件不完整：缺少入口文件 OFD.xml")
    ofd = pkg.xml("OFD.xml")
    body = ofd.find("DocBody")
    if body is None or not (body.findtext("DocRoot") or "").strip():
        raise OfdError("OFD 文件不完整：OFD.xml 未指明文档")
    reader = _Reader(pkg, pkg.resolve("", body.findtext("DocRoot").strip()))
    pages = reader.pages(max_pages)
    if not pages:
        raise OfdError("OFD 文件没有页面")
    signs = (body.findtext("Signatures") or "").strip()
    custom = {c.get("Name", ""): (c.text or "").strip() for c in body.iter("CustomData")}
    return OfdDocument(base=reader.base, pages=pages, custom_tags=reader.part("CustomTags"),
                       attachments=reader.part("Attachments"),
                       signatures=pkg.resolve("", signs) if signs else None, custom_data=custom)

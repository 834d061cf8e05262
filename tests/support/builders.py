"""Small builders of real test files: born-digital PDFs with CJK text, and scans of them."""

from pathlib import Path

import cv2
import numpy as np
import pymupdf

FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"

LICENCE = ("营业执照", ["统一社会信用代码 91440300MA5G8XYZ3K", "名称 深圳市星河智能科技有限公司",
                     "类型 有限责任公司", "法定代表人 张伟", "经营范围 软件开发；人工智能应用软件开发",
                     "注册资本 壹仟万元整", "成立日期 2019年05月20日", "住所 深圳市南山区粤海街道"])
CONTRACT_1 = ("技术服务合同", ["合同编号：HT-2025-0917", "甲方（需求方）：深圳市星河智能科技有限公司",
                           "乙方（服务方）：北京云雀模型科技有限公司", "第一条 服务内容：大模型API调用服务",
                           "第二条 合同金额：人民币叁拾万元整（¥300,000.00）",
                           "第三条 服务期限：2025年9月1日至2026年6月30日"])
CONTRACT_2 = (None, ["第四条 双方权利义务", "第五条 违约责任", "第六条 争议解决",
                     "甲方（盖章）：深圳市星河智能科技有限公司", "乙方（盖章）：北京云雀模型科技有限公司",
                     "签订日期：2025年9月1日"])
INVOICE = ("电子发票（增值税专用发票）", ["发票号码：25442000000012345678", "开票日期：2025年10月12日",
                                  "购买方信息 名称：深圳市星河智能科技有限公司",
                                  "销售方信息 名称：北京云雀模型科技有限公司",
                                  "项目名称 *信息技术服务*模型调用服务 金额 283018.87 税率 6% 税额 16981.13",
                                  "价税合计（大写）叁拾万元整 （小写）¥300000.00"])
COMMITMENT = ("承诺书", ["本单位郑重承诺：所提交的全部申报材料真实、准确、完整，",
                        "如有虚假，本单位自愿承担相应的法律责任。",
                        "承诺单位（盖章）：深圳市星河智能科技有限公司",
                        "法定代表人（签字）：", "2026年6月28日"])
PAYMENT = ("网上银行电子回单", ["回单编号：20251015000123", "付款人 户名：深圳市星河智能科技有限公司",
                          "收款人 户名：北京云雀模型科技有限公司", "交易金额 ¥300,000.00",
                          "交易日期 2025-10-15", "用途 模型服务费"])


def add_page(doc: pymupdf.Document, title: str | None, lines: list[str],
             footer: str | None = None) -> pymupdf.Page:
    page = doc.new_page(width=595, height=842)
    page.insert_font(fontname="noto", fontfile=FONT)
    if title:
        width = pymupdf.get_text_length(title, fontname="china-s", fontsize=20)
        page.insert_text(((595 - width) / 2, 90), title, fontname="noto", fontsize=20)
    y = 150
    for line in lines:
        page.insert_text((60, y), line, fontname="noto", fontsize=11)
        y += 26
    if footer:
        page.insert_text((255, 805), footer, fontname="noto", fontsize=9)
    return page


def make_pdf(path: Path, pages: list[tuple]) -> Path:
    doc = pymupdf.open()
    for spec in pages:
        add_page(doc, *spec)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path


def render(pdf: Path, page: int = 1, dpi: int = 150) -> np.ndarray:
    with pymupdf.open(pdf) as doc:
        pix = doc[page - 1].get_pixmap(dpi=dpi, colorspace=pymupdf.csRGB, alpha=False)
        arr = np.frombuffer(pix.samples, np.uint8).reshape(pix.h, pix.w, 3)
    return np.ascontiguousarray(arr[:, :, ::-1])


def scan(image: np.ndarray, quarter_turns: int = 0, noise: float = 6.0, seed: int = 0) -> np.ndarray:
    """A plain scanner look: grey noise, slight blur, optional whole-page turn (clockwise)."""
    rng = np.random.default_rng(seed)
    out = cv2.GaussianBlur(image, (3, 3), 0).astype(np.float32)
    out += rng.normal(0, noise, out.shape)
    out = np.clip(out, 0, 255).astype(np.uint8)
    return np.ascontiguousarray(np.rot90(out, -quarter_turns)) if quarter_turns else out


def write_jpeg(path: Path, image: np.ndarray, quality: int = 80) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(path), image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    return path


def image_pdf(path: Path, images: list[np.ndarray], dpi: int = 150) -> Path:
    """An image-only PDF, as a scanner produces: no text layer at all."""
    doc = pymupdf.open()
    for image in images:
        _ok, buf = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 80])
        h, w = image.shape[:2]
        page = doc.new_page(width=w * 72 / dpi, height=h * 72 / dpi)
        page.insert_image(page.rect, stream=buf.tobytes())
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path


def text_line_image(text: str, size: float = 16) -> np.ndarray:
    """One line of CJK text, black on white, as a grey image (what a recogniser reads alone)."""
    doc = pymupdf.open()
    page = doc.new_page(width=size * (len(text) + 2), height=size * 2)
    page.insert_font(fontname="noto", fontfile=FONT)
    page.insert_text((size, size * 1.4), text, fontname="noto", fontsize=size)
    pix = page.get_pixmap(dpi=144, colorspace=pymupdf.csGRAY, alpha=False)
    return np.frombuffer(pix.samples, np.uint8).reshape(pix.h, pix.w).copy()

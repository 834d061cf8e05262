"""A self-contained HTML view of a report (Chinese). Every document-derived string is escaped.

This is the summary view: verdict, findings, documents and files. Page images with the evidence
marked are the reviewer-report issue's work.
"""

from html import escape

from docintake.datamodel import DOC_TYPE_ZH, Report

VERDICT_ZH = {"pass": "通过", "needs_review": "需人工复核", "fail": "不通过"}
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
SOURCE_ZH = {"text_layer": "电子文本", "ocr": "OCR 识别", "mixed": "电子文本+OCR", "none": "无法识别"}

CSS = """
body{font-family:"Noto Sans CJK SC","WenQuanYi Zen Hei",sans-serif;margin:2em;color:#222}
h1{font-size:1.4em}table{border-collapse:collapse;width:100%;margin:1em 0}
td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f3f3f3}.error{color:#b00020}.warning{color:#a15c00}
.verdict{font-size:1.2em;font-weight:bold;padding:4px 12px;border-radius:4px}
.v-pass{background:#e3f4e3}.v-needs_review{background:#fff3d6}.v-fail{background:#fde2e2}
@media print{body{margin:0}}
"""


def _e(value) -> str:
    return escape("" if value is None else str(value), quote=True)


def render_report(report: Report) -> str:
    verdict = report.verdict.value
    findings = sorted(report.findings, key=lambda f: {"error": 0, "warning": 1}.get(f.severity, 2))
    rows_f = "".join(
        f"<tr class='{_e(f.severity)}'><td>{_e(SEVERITY_ZH.get(f.severity, f.severity))}</td>"
        f"<td>{_e(f.code)}</td><td>{_e(f.message)}</td>"
        f"<td>{_e(f.document or f.source)}{'' if f.page is None else ' 第' + _e(f.page) + '页'}</td></tr>"
        for f in findings) or "<tr><td colspan='4'>未发现问题</td></tr>"
    rows_d = "".join(
        f"<tr><td>{_e(d.id)}</td><td>{_e(DOC_TYPE_ZH.get(d.doc_type, d.doc_type))}</td>"
        f"<td>{'<br>'.join(_e(f'{r.source} 第{r.page}页') for r in d.parts)}</td>"
        f"<td>{_e(SOURCE_ZH.get(d.text_source, d.text_source))}</td></tr>"
        for d in report.documents)
    rows_files = "".join(
        f"<tr><td>{_e(f.name)}</td><td>{_e(f.format)}</td><td>{_e(f.pages)}</td>"
        f"<td class='{'error' if f.error else ''}'>{_e(f.error or '可读')}</td></tr>"
        for f in report.files)
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>材料核验报告 - {_e(report.bundle)}</title><style>{CSS}</style></head><body>
<h1>模型券申报材料核验报告</h1>
<p>材料包：{_e(report.bundle)}<br>申报项目：{_e(report.programme)}<br>
申报单位：{_e(report.applicant.name or "（未识别）")}　统一社会信用代码：{_e(report.applicant.uscc or "（未识别）")}</p>
<p>结论：<span class="verdict v-{_e(verdict)}">{_e(VERDICT_ZH.get(verdict, verdict))}</span></p>
<h2>问题清单</h2>
<table><tr><th>级别</th><th>代码</th><th>说明</th><th>位置</th></tr>{rows_f}</table>
<h2>识别出的材料</h2>
<table><tr><th>编号</th><th>材料类型</th><th>文件与页码</th><th>文字来源</th></tr>{rows_d}</table>
<h2>文件清单</h2>
<table><tr><th>文件</th><th>格式</th><th>页数</th><th>状态</th></tr>{rows_files}</table>
<p style="color:#777;font-size:.85em">bundle_sha256：{_e(report.bundle_sha256)}　生成时间：{_e(report.generated_at)}</p>
</body></html>
"""

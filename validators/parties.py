"""NAME_MISMATCH, USCC_INVALID, USCC_MISMATCH, RELATED_PARTY: who the materials say is who.

The applicant is who the business licence says. Every field that names the applicant on
another material must say the same; every field that names the model provider must not.
"""

from docintake.core.datamodel import DocType, DocumentReport, Finding, FindingCode, Severity, TextSource
from docintake.extractors import values
from docintake.extractors.values import SAME_OWNER, clearly_names

from .context import PARTY_CODES, CheckContext, doc_label, finding, zh_field
from .seals import contract_parties

# Fields naming the applicant, and the provider, on each material. APPLICANT / PROVIDER: the
# material has two parties, and which field is whose is decided by identity (party_field).
APPLICANT, PROVIDER = "applicant", "provider"
APPLICANT_NAMES = [(DocType.application_form, "applicant_name"), (DocType.invoice, "buyer_name"),
                   (DocType.contract, APPLICANT), (DocType.payment_proof, "payer_name"),
                   (DocType.usage_statement, APPLICANT), (DocType.tax_certificate, "taxpayer_name"),
                   (DocType.acceptance_report, APPLICANT), (DocType.commitment_letter, "company_name"),
                   (DocType.statistics_report, "company_name")]
APPLICANT_CODES = [(DocType.application_form, "uscc"), (DocType.invoice, "buyer_uscc"),
                   (DocType.tax_certificate, "uscc"), (DocType.statistics_report, "uscc")]
PROVIDER_NAMES = [(DocType.contract, PROVIDER), (DocType.invoice, "seller_name"),
                  (DocType.payment_proof, "payee_name"), (DocType.usage_statement, PROVIDER),
                  (DocType.acceptance_report, PROVIDER)]


def named(ctx: CheckContext, fields: list[tuple[DocType, str]]) -> list[tuple[DocumentReport, str]]:
    """Each (document, field) of the list, a two-party material's role resolved to its field."""
    return [(doc, ctx.party_field(doc, name) if name in (APPLICANT, PROVIDER) else name)
            for doc_type, name in fields for doc in ctx.of(doc_type)]


def _read_by_ocr(doc: DocumentReport, name: str) -> bool:
    """Whether a field came from OCR: its page has no text layer, or the engine was unsure."""
    field = doc.fields[name]
    pages = [p for p in doc.page_info if p.page == field.page and field.source in (None, p.source)]
    return field.confidence < 0.995 or any(p.text_source != TextSource.text_layer for p in pages)


def name_findings(ctx: CheckContext) -> list[Finding]:
    expected = ctx.applicant.name
    if not expected:
        return []
    findings = []
    for doc, name in named(ctx, APPLICANT_NAMES):
        got = ctx.field(doc, name)
        if got is None:
            continue
        found = values.normalise_name(str(got.value))
        if found == expected:
            continue
        misread = ("仅差一个字" if values.one_char_off(found, expected)
                   else "只识别出其中一段" if found != expected and found in expected else None)
        if misread and _read_by_ocr(doc, name):
            # One character off, or a piece of the name (市蓝海… for 北京市蓝海…: its start under a
            # seal or off the photo), is the shape of an OCR misreading, however sure the engine:
            # it cannot be told from a different firm, so a person must look.
            findings.append(finding(
                FindingCode.FIELD_UNREADABLE, doc=doc, field=name, severity=Severity.warning,
                expected=expected, found=found,
                message=f"{doc_label(doc)}的{zh_field(name)}识别为「{found}」，与营业执照上的申报单位名称"
                        f"「{expected}」{misread}，可能是识别误差，请人工核对"))
            continue
        findings.append(finding(
            FindingCode.NAME_MISMATCH, doc=doc, field=name, severity=Severity.error, expected=expected,
            found=found, message=f"{doc_label(doc)}的{zh_field(name)}为「{found}」，与营业执照上的申报单位名称"
                                 f"「{expected}」不一致"))
    return findings


def uscc_findings(ctx: CheckContext) -> list[Finding]:
    licence, code = ctx.applicant.licence, ctx.applicant.uscc
    findings = []
    if licence is not None and code:
        if ctx.field(licence, "uscc") is None:
            ctx.need(licence, "uscc", "统一社会信用代码校验")
        elif not values.uscc_valid(code):
            findings.append(finding(
                FindingCode.USCC_INVALID, doc=licence, field="uscc", expected="符合 GB 32100-2015 校验规则", found=code,
                message=f"{doc_label(licence)}上的统一社会信用代码 {code} 未通过 GB 32100-2015 校验（第 18 位校验码不符），"
                        "请核对执照原件"))
        elif not values.uscc_inner_valid(code):
            findings.append(finding(
                FindingCode.USCC_INVALID, doc=licence, field="uscc", severity=Severity.warning, found=code,
                expected="组织机构代码校验位正确",
                message=f"{doc_label(licence)}上的统一社会信用代码 {code} 的组织机构代码部分（第 9-17 位）校验位不符；"
                        "早期赋码的代码可能如此，请人工核对"))
    # A licence code failing only its 18th character (its organisation code checks out) still
    # names one organisation by its first 17: another material naming another is a mismatch too.
    # Without that, an invalid licence code is the finding; comparing others with it says nothing.
    compared = 18 if values.uscc_valid(code) else 17 if values.uscc_inner_valid(code) else 0
    if not code or not compared:
        return findings
    for doc_type, name in APPLICANT_CODES:
        for doc in ctx.of(doc_type):
            got = ctx.field(doc, name)
            if got is None or str(got.value).upper()[:compared] == code[:compared]:
                continue
            other = str(got.value).upper()
            sellers = {str(d.fields[k].value).upper() for d in ctx.of(DocType.invoice)
                       for k in ("seller_uscc", "qr_seller_uscc") if k in d.fields}
            # Misreads are not facts: the seller's code (its block read for the buyer's), or a code
            # failing its check digit (OCR), cannot be compared with the licence.
            exact = not _read_by_ocr(doc, name)
            misread = ("与销售方税号相同（可能读错了栏位）" if other in sellers
                       else "位于销售方信息栏（可能读错了栏位）" if _in_sellers_block(doc, name)
                       else "校验不通过（可能是识别误差）" if not values.uscc_valid(other) and not exact
                       else None)
            if misread:
                findings.append(finding(
                    FindingCode.FIELD_UNREADABLE, doc=doc, field=name, severity=Severity.warning, found=other,
                    expected=code,
                    message=f"{doc_label(doc)}的{zh_field(name)}识别为 {other}，{misread}，"
                            f"无法与营业执照上的 {code} 核对，请人工核对"))
                continue
            if not values.uscc_valid(other):
                # Printed in a text layer the code is what the material says, not a misreading:
                # an invalid code on it is a defect of the material itself.
                findings.append(finding(
                    FindingCode.USCC_INVALID, doc=doc, field=name, expected="符合 GB 32100-2015 校验规则",
                    found=other, message=f"{doc_label(doc)}上的{zh_field(name)} {other} 未通过 GB 32100-2015 校验"
                                         "（第 18 位校验码不符），请核对原件"))
            findings.append(finding(
                FindingCode.USCC_MISMATCH, doc=doc, field=name, expected=code, found=other,
                message=f"{doc_label(doc)}的{zh_field(name)} {other} 与营业执照上的统一社会信用代码 {code} 不一致"))
    return findings


def _in_sellers_block(doc: DocumentReport, name: str) -> bool:
    """On an invoice the buyer's code sits by the buyer's name; one read nearer the seller's name
    came from the seller's block (a photo whose buyer code was not read)."""
    code, buyer, seller = (doc.fields.get(k) for k in (name, "buyer_name", "seller_name"))
    if doc.doc_type != DocType.invoice or not (code and buyer and seller and code.bbox and buyer.bbox
                                               and seller.bbox) or code.page != buyer.page:
        return False

    def gap(a, b) -> float:
        return abs((a[0] + a[2]) - (b[0] + b[2])) / 2 + abs((a[1] + a[3]) - (b[1] + b[3])) / 2

    return seller.page == code.page and gap(code.bbox, seller.bbox) < gap(code.bbox, buyer.bbox)


def _provider_side(ctx: CheckContext) -> list[tuple[DocumentReport, str, str]]:
    out = []
    for doc, name in named(ctx, PROVIDER_NAMES):
        got = ctx.field(doc, name)
        if got is not None:
            out.append((doc, name, values.normalise_name(str(got.value))))
    return out


def _reads_as(owner: str | None, name: str, rather_than: str) -> bool:
    """Whether a seal's (possibly garbled) arc reading names `name` and not `rather_than`:
    alike enough outright, or clearly closer to one than to the other."""
    this, other = values.seal_similarity(owner, name), values.seal_similarity(owner, rather_than)
    return clearly_names(this, other)


def related_party_findings(ctx: CheckContext) -> list[Finding]:
    """The applicant buying from itself: the provider named as the applicant (by name or code), or
    the applicant's name inside the seal stamped for the provider. Reported once, on the first
    document showing it, with every piece of evidence in the message."""
    if not ctx.checklist.eligibility.related_party_forbidden or not ctx.applicant.name:
        return []
    name, code = ctx.applicant.name, ctx.applicant.uscc
    evidence: list[tuple[DocumentReport, str, str]] = []
    for doc, field, provider in _provider_side(ctx):
        if provider == name:
            evidence.append((doc, field, f"{doc_label(doc)}的{zh_field(field)}为「{provider}」"))
    for doc in ctx.of(DocType.invoice):
        seller = ctx.field(doc, "seller_uscc")
        if code and seller is not None and str(seller.value).upper() == code:
            evidence.append((doc, "seller_uscc", f"{doc_label(doc)}的销售方税号即申报单位的 {code}"))
    for doc in ctx.of(DocType.contract):
        side = ctx.party_field(doc, PROVIDER)
        party_code = ctx.field(doc, PARTY_CODES[side])
        if code and party_code is not None and str(party_code.value).upper() == code:
            evidence.append((doc, side, f"{doc_label(doc)}中{zh_field(side)}的统一社会信用代码即申报单位的 {code}"))
    for doc in ctx.of(DocType.contract):
        provider = ctx.field(doc, ctx.party_field(doc, PROVIDER))
        owners = [seal.owner for seal in doc.seals if seal.owner]
        # The applicant's seal where the provider stamps, and no seal of the provider anywhere:
        # a provider that signs with the applicant's seal (parties on swapped sides are fine).
        if provider is None or any(values.seal_similarity(o, provider.value) >= SAME_OWNER for o in owners):
            continue
        for seal in contract_parties(ctx, doc)["provider_seal"]:
            if _reads_as(seal.owner, name, rather_than=str(provider.value)):
                evidence.append((doc, "party_b_seal", f"{doc_label(doc)}乙方盖章处的印章为「{seal.owner}」，即申报单位"))
    if not evidence:
        return []
    evidence.sort(key=lambda e: e[0].doc_type != DocType.contract)
    doc, field, _ = evidence[0]
    return [finding(
        FindingCode.RELATED_PARTY, doc=doc, field=field, expected="模型服务提供方与申报单位为非关联方", found=name,
        message="申报单位与模型服务提供方为同一主体或存在关联：" + "；".join(e[2] for e in evidence)
                + f"。政策要求申报单位与模型服务提供方为非关联方（条款 {ctx.checklist.eligibility.policy_ref}）")]

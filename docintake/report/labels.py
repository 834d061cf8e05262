"""Chinese names for what the report shows: verdicts, severities, finding codes, fields, seals."""

VERDICT_ZH = {"pass": "通过", "needs_review": "需人工复核", "fail": "不通过"}
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
SOURCE_ZH = {"text_layer": "电子文本", "ocr": "OCR 识别", "mixed": "电子文本+OCR", "none": "无法识别"}

CODE_ZH = {
    "MATERIAL_MISSING": "缺少材料",
    "SEAL_MISSING": "缺少印章",
    "SIGNATURE_MISSING": "缺少签字",
    "DATE_OUT_OF_WINDOW": "日期不在期限内",
    "AMOUNT_MISMATCH": "金额不一致",
    "AMOUNT_BELOW_MINIMUM": "金额低于下限",
    "NAME_MISMATCH": "名称不一致",
    "USCC_INVALID": "信用代码无效",
    "USCC_MISMATCH": "信用代码不一致",
    "RELATED_PARTY": "关联交易",
    "FILING_MISSING": "缺少备案",
    "INDUSTRY_INELIGIBLE": "行业不符",
    "LICENCE_EXPIRED": "执照过期",
    "DUPLICATE_SUBMISSION": "重复申报",
    "DOCUMENT_UNREADABLE": "文件无法读取",
    "FIELD_UNREADABLE": "字段无法识别",
}

FIELD_ZH = {
    "company_name": "企业名称", "uscc": "统一社会信用代码", "legal_rep": "法定代表人",
    "established_date": "成立日期", "valid_until": "营业期限至", "address": "住所",
    "invoice_number": "发票号码", "invoice_code": "发票代码", "issue_date": "开具日期",
    "buyer_name": "购买方名称", "buyer_uscc": "购买方信用代码", "seller_name": "销售方名称",
    "seller_uscc": "销售方信用代码", "amount_excl_tax": "金额（不含税）", "tax_amount": "税额",
    "total_amount": "合计金额", "total_amount_upper": "价税合计（大写）",
    "party_a": "甲方", "party_b": "乙方", "contract_amount": "合同金额", "sign_date": "签订日期",
    "service_start": "服务起始日", "service_end": "服务截止日", "model_name": "模型名称",
    "deployment_mode": "部署方式", "customer_name": "客户名称", "provider_name": "服务商名称",
    "period_start": "结算起始日", "period_end": "结算截止日", "payer_name": "付款方",
    "payee_name": "收款方", "amount": "金额", "payment_date": "付款日期",
    "taxpayer_name": "纳税人名称", "certificate_kind": "证明类型", "filing_number": "备案编号",
    "applicant_name": "申报单位", "programme_title": "申报项目", "requested_amount": "申请金额",
    "acceptance_date": "验收日期", "name": "姓名", "id_number": "身份证号码",
    "business_scope": "经营范围", "payable": "拨付金额", "legal_rep_signature": "法定代表人签字",
    "party_a_signature": "甲方签字", "party_b_signature": "乙方签字", "signature": "签字",
}

SEAL_ZH = {
    "company_seal": "公章", "contract_seal": "合同专用章", "invoice_seal": "发票专用章",
    "finance_seal": "财务专用章", "tax_authority_seal": "税务机关印章", "paging_seal": "骑缝章",
    "provider_seal": "服务方印章", "bank_seal": "银行回单专用章", "unknown_seal": "印章（未识读）",
}


def field_zh(name: str | None) -> str:
    if not name:
        return ""
    if name.startswith("qr_"):  # the invoice QR code's second reading
        return "二维码·" + FIELD_ZH.get(name[3:], name[3:])
    return FIELD_ZH.get(name, SEAL_ZH.get(name, name))

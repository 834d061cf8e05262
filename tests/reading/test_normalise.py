from docintake.extractors.normalise import compact, normalise_text


def test_normalise_folds_pdf_oddities():
    assert normalise_text("价税合计（大写）：￥１２３") == "价税合计(大写):¥123"
    assert normalise_text("Beijing\u2011YunQue\u201120230821") == "Beijing-YunQue-20230821"
    assert normalise_text("名\u00a0\u00a0称\u3000深圳") == "名 称 深圳"
    assert normalise_text("\u2f00\u4e8c") == "一二"  # Kangxi radical from a PDF font
    assert normalise_text("二〇二六年三月") == "二〇二六年三月"  # 〇 must survive for dates
    assert compact("名  称 :\t深圳") == "名称:深圳"

"""The notice's wording has one source (pwa/static/wording/notice.json): the tablet's preview (notice.js, run here
under node) and the PDF (server/domain/wording.py) word every kind of finding identically."""
import json

from server.domain.wording import finding_text, notice_wording
from tests.support import node_json

FINDINGS = [
    {"fact": "未组织接触噪声作业的12名劳动者进行在岗期间职业健康检查。", "violated_citation": "《中华人民共和国职业病防治法》第三十五条第一款",
     "penalty_citation": "《中华人民共和国职业病防治法》第七十一条第（四）项", "requirement": "立即组织体检；",
     "deadline": "2026-05-08"},
    {"fact": "未设置警示标识", "violated_citation": "《中华人民共和国职业病防治法》第二十四条第二款",
     "penalty_citation": None, "requirement": "设置警示标识", "deadline": None},       # advice, immediately
    {"fact": "现场发现问题", "violated_citation": None, "penalty_citation": "某条", "requirement": None,
     "deadline": "2026-12-31"},                                                           # no article broken
]


def test_the_preview_and_the_pdf_word_every_finding_the_same():
    tablet = node_json('import { findingText, INTRO } from "./pwa/static/js/notice.js";\n'
                       f"const findings = {json.dumps(FINDINGS, ensure_ascii=False)};\n"
                       "process.stdout.write(JSON.stringify({intro: INTRO, texts: findings.map(findingText)}));\n")
    assert tablet["texts"] == [finding_text(f) for f in FINDINGS]
    assert tablet["intro"] == notice_wording()["intro"] == "经查，你单位存在以下问题："
    assert tablet["texts"][0] == ("未组织接触噪声作业的12名劳动者进行在岗期间职业健康检查，违反了《中华人民共和国职业病防治法》第三十五条第一款的规定。"
                                  "依据《中华人民共和国职业病防治法》第七十一条第（四）项的规定，责令你单位于2026年5月8日前改正。"
                                  "改正要求：立即组织体检。")
    assert tablet["texts"][1].endswith("请你单位立即改正。改正要求：设置警示标识。")
    assert tablet["texts"][2] == "现场发现问题。依据某条的规定，责令你单位于2026年12月31日前改正。"

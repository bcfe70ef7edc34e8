"""Every document prints what the inspector, sampler and enterprise need to read on it."""
import pytest

from server.documents import DocumentRenderer

from . import demo
from .pdf_tools import squash

DOC_TYPES = list(demo.BUILDERS)
ENFORCEMENT = ["supervision_opinion", "rectification_notice", "onsite_record", "reinspection_opinion"]


@pytest.mark.parametrize("doc_type", DOC_TYPES)
def test_every_document_prints_agency_title_number_and_party(demo_documents, doc_type):
    doc = demo_documents[doc_type]
    text = doc.pdf.flat_text()
    context = doc.context
    for value in (context["agency"]["name"], context["agency"]["phone"], context["document"]["title_zh"],
                  context["document"]["number"], context["party"]["name"], context["party"]["credit_code"]):
        assert squash(value) in text
    assert "扫码核验文书真伪" in text


@pytest.mark.parametrize("doc_type", DOC_TYPES)
def test_every_page_says_which_page_of_how_many(demo_documents, doc_type):
    pdf = demo_documents[doc_type].pdf
    assert 1 <= pdf.pages <= 3
    for page in range(1, pdf.pages + 1):
        assert f"第{page}页共{pdf.pages}页" in pdf.flat_text(page)


@pytest.mark.parametrize("doc_type", ENFORCEMENT)
def test_enforcement_documents_name_both_officers_with_their_certificates(demo_documents, doc_type):
    text = demo_documents[doc_type].pdf.flat_text()
    for officer in demo.OFFICERS:
        assert officer["name"] in text
        assert officer["cert_no"] in text


def test_the_opinion_states_basis_deadline_and_requirement_for_each_finding(demo_documents):
    doc = demo_documents["supervision_opinion"]
    text = doc.pdf.flat_text()
    assert "经查，你单位存在以下问题：" in text
    for finding in doc.context["findings"]:
        assert f"违反了{finding['violated_citation']}的规定。" in text
        assert f"依据{finding['penalty_citation']}的规定，责令你单位" in text
        assert squash(finding["requirement"]) in text
    # The first demo finding has no deadline: it is to be corrected at once.
    assert "责令你单位立即改正。" in text
    assert "责令你单位于2026年4月17日前改正。" in text
    assert "并于整改期限届满后5日内将整改情况书面报告我局" in text
    assert "本意见书一式两联，第一联留存执法案卷，第二联交被监督人。" in text
    assert "检查日期：2026年4月1日" in text


def test_the_opinion_quotes_the_relief_wording_with_the_local_government_and_court(demo_documents):
    text = demo_documents["supervision_opinion"].pdf.flat_text()
    assert ("如不服本意见，可以在收到本意见书之日起六十日内向青川市临河区人民政府申请行政复议，"
            "或者在六个月内依法向青川市临河区人民法院提起行政诉讼。") in text


def test_the_notice_orders_correction_and_names_its_copies(demo_documents):
    text = demo_documents["rectification_notice"].pdf.flat_text()
    assert "临卫职改〔2026〕12号" in text
    assert "我局执法人员于2026年4月1日对你单位进行现场检查" in text
    assert "如不服本通知，可以在收到本通知书之日起六十日内" in text
    assert "本通知书一式两份，一份交当事人，一份留存执法案卷。" in text
    assert "当事人签名" in text


def test_the_opinion_carries_receipt_signature_and_seal_place(demo_documents):
    doc = demo_documents["supervision_opinion"]
    text = doc.pdf.flat_text()
    assert "被监督人签名" in text and "孙丽（安全环保部经理）" in text
    assert "签收日期：2026年4月1日" in text
    assert "青川市临河区卫生健康局（印章）" in text
    last = doc.pdf.pages
    # Two officers' and the party's strokes are drawn on the signing page.
    assert sum(1 for size in doc.pdf.images(last) if size == (360, 120)) >= 3


def test_the_onsite_record_shows_time_place_and_objective_observations(demo_documents):
    doc = demo_documents["onsite_record"]
    text = doc.pdf.flat_text()
    assert "检查时间2026年4月1日9时30分至11时05分" in text
    assert "检查地点青川宏达家具制造有限公司生产车间及办公楼" in text
    assert "记录人李娜" in text
    for observation in demo.OBSERVATIONS:
        assert squash(observation) in text
    assert "以上笔录我已看过，与事实相符。" in text


def test_the_party_signs_every_page_of_the_onsite_record(demo_documents):
    pdf = demo_documents["onsite_record"].pdf
    assert pdf.pages >= 2, "the demo record must run over a page to show the per-page signature"
    for page in range(1, pdf.pages + 1):
        assert "被检查人签名：孙丽" in pdf.flat_text(page)
        assert (360, 120) in pdf.images(page), f"no signature image on page {page}"


def test_a_refused_signature_is_recorded_with_the_witness_on_every_page(render):
    doc = render("onsite_record-refused", "onsite_record", demo.onsite_record(refused=True))
    for page in range(1, doc.pdf.pages + 1):
        text = doc.pdf.flat_text(page)
        assert "被检查人拒绝签名" in text
        assert "见证人：赵建平（园区管委会工作人员）" in text
        assert "被检查人签名：孙丽" not in text
    assert "被检查人拒绝签名，已由执法人员在文书上注明。" in doc.pdf.flat_text()


def test_the_assistance_sheet_lists_each_aspect_with_its_status(demo_documents):
    text = demo_documents["assistance_feedback"].pdf.flat_text()
    for title, status, _ in demo.ASPECTS:
        label = {"done": "已落实", "partly": "部分落实", "not_done": "未落实", "not_applicable": "不适用"}[status]
        assert f"{title}{label}" in text
    assert "跟踪回访日期：2026年5月15日" in text
    assert "发放的资料《职业病防治法》宣传册20份" in text and "整改建议" not in text
    assert "职业健康检查率83.3%" in text and "培训人数28人" in text


def test_the_sampling_record_is_landscape_with_every_sample_and_noise_reading(demo_documents):
    doc = demo_documents["sampling_record_sheet"]
    width, height = doc.pdf.page_size
    assert width > height
    text = doc.pdf.flat_text()
    for sample in doc.context["samples"]:
        assert sample["sample_code"] in text
    assert "气温18.5℃气压101.2kPa相对湿度56%" in text
    assert "GBZ159—2004；GBZ/T192.1—2007；GBZ/T300.66—2017" in text
    assert "91.2/90.8/91.5" in text and "89.9" in text
    assert "陪同人：孙丽" in text and "校核人：刘敏" in text


def test_the_sampling_feedback_lists_codes_and_next_steps(demo_documents):
    text = demo_documents["sampling_feedback"].pdf.flat_text()
    assert "LH2026-0401-003，LH2026-0401-004" in text
    assert "冷藏送检，气相色谱法分析" in text
    assert "检测报告预计于2026年4月30日前出具。" in text


def test_the_reinspection_opinion_gives_each_item_its_result(demo_documents):
    doc = demo_documents["reinspection_opinion"]
    text = doc.pdf.flat_text()
    assert "于2026年4月1日向你单位出具卫生监督意见书（2026—012）" in text
    for item in doc.context["items"]:
        assert item["result_zh"] in text
        assert squash(item["evidence"]) in text
    assert "立即改正" in text


def test_a_twelve_finding_opinion_with_three_photos_fits_on_two_pages(render):
    context = demo.supervision_opinion(finding_count=12)
    context["photos"] = demo.photos(3, size=(1600, 1200))
    doc = render("supervision_opinion-12-findings", "supervision_opinion", context)
    assert doc.pdf.pages == 2
    assert "12." in doc.pdf.flat_text()
    assert len(doc.pdf.data) < 1_200_000


def test_a_provinces_own_notice_template_replaces_the_packaged_one_and_still_escapes(tmp_path):
    (tmp_path / "rectification_notice.html").write_text(
        '{% extends "base.html" %}{% block body %}<p>本省格式：{{ party.name }}</p>{% endblock %}', encoding="utf-8")
    context = demo.rectification_notice()
    context["party"]["name"] = "<b>青川宏达</b>"
    html = DocumentRenderer(template_overrides=tmp_path).render_html("rectification_notice", context)
    assert "本省格式：&lt;b&gt;青川宏达&lt;/b&gt;" in html
    assert "发现你单位存在下列违法行为" not in html

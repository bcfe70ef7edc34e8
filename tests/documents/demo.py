"""Realistic contexts for every document: a furniture factory in 青川市临河区 inspected, sampled and assisted."""
import copy
import json
from functools import lru_cache
from pathlib import Path

from .images import photo_uri, signature_uri

ROOT = Path(__file__).resolve().parents[2]
AGENCY = {"name": "青川市临河区卫生健康局", "address": "青川市临河区人民路16号", "phone": "0533-7101000"}
CDC = {"name": "青川市临河区疾病预防控制中心", "address": "青川市临河区健康路8号", "phone": "0533-7101120"}
PARTY = {"name": "青川宏达家具制造有限公司", "credit_code": "91330106MA2B3C4D5D",
         "address": "青川市临河区工业园区纬三路18号", "legal_representative": "周国强",
         "contact_name": "孙丽", "contact_phone": "138 0533 2716"}
OFFICERS = [{"name": "张伟", "cert_no": "鲁卫执-3799-0107"}, {"name": "李娜", "cert_no": "鲁卫执-3799-0112"}]
RELIEF = {"government": "青川市临河区人民政府", "court": "青川市临河区人民法院"}
VERIFY_URL = "https://zyws.qingchuan.example.cn/v/3f9c2a7e-8b1d-4c6a-9e0f-2d5b7a1c4e88"


def signatures(officers=2, refused=False):
    """Two officers' strokes and the party's, or a recorded refusal with a witness."""
    return {"officers": [signature_uri(seed) for seed in range(officers)],
            "party": None if refused else signature_uri(7), "party_name": "孙丽", "party_title": "安全环保部经理",
            "party_refused": refused, "witness_name": "赵建平（园区管委会工作人员）" if refused else None,
            "witness_signature": signature_uri(9) if refused else None, "signed_at": "2026-04-01T11:20:00+08:00"}


def photos(count=2, size=(800, 600)):
    """Display copies of site photos with captions."""
    captions = ["喷漆车间调漆间未设置局部排风设施", "打磨岗位劳动者未佩戴防尘口罩", "公告栏未公布检测结果"]
    return [{"data_uri": photo_uri(index, size), "caption": captions[index % len(captions)],
             "taken_at": f"2026-04-01T10:{12 + index * 7:02d}:00+08:00"} for index in range(count)]


def common(doc_type, title, number, agency=AGENCY, officers=OFFICERS, **overrides):
    """The keys every document shares."""
    context = {
        "document": {"type": doc_type, "number": number, "title_zh": title, "issued_at": "2026-04-01T11:30:00+08:00",
                     "status": "issued", "amends_number": None, "amended_by_number": None},
        "agency": dict(agency), "party": dict(PARTY), "officers": copy.deepcopy(officers),
        "signatures": signatures(len(officers)), "verification": {"url": VERIFY_URL}, "photos": photos(),
    }
    context.update(overrides)
    return context


@lru_cache(maxsize=1)
def _checklist():
    items = json.loads((ROOT / "reference/checklist/items.json").read_text(encoding="utf-8"))["rows"]
    articles = json.loads((ROOT / "reference/law/articles.json").read_text(encoding="utf-8"))["rows"]
    citations = {row["key"]: row["citation_zh"] for row in articles}
    return [(item, citations) for item in items if item["obligation_article"] and item["penalty_article"]]


FACTS = {
    "warning_signs": "喷漆车间调漆间（使用含苯系物稀释剂）入口处未设置警示标识和中文警示说明",
    "ppe_dust": "打磨车间3名打磨工作业时佩戴普通棉纱口罩，未配备符合要求的防尘口罩",
    "periodic_testing": "未能提供2025年度工作场所职业病危害因素定期检测报告",
    "hazard_declaration": "职业病危害项目申报内容未包括2025年新增的喷漆工序（二甲苯、乙酸丁酯）",
    "training": "抽查的6名接触粉尘劳动者中有4人无上岗前职业卫生培训记录",
    "protective_facilities": "喷漆房局部排风装置风机停用，现场可闻到明显溶剂气味",
}


def findings(count=4):
    """Findings with verified citations (reference/law/articles.json); the first is to be corrected at once."""
    rows = _checklist()
    chosen = [entry for entry in rows if entry[0]["key"] in FACTS]
    chosen += [entry for entry in rows if entry[0]["key"] not in FACTS]
    result = []
    for number, (item, citations) in enumerate(chosen[:count], 1):
        fact = FACTS.get(item["key"], f"现场检查发现：{item['title_zh']}不符合要求")
        deadline = None if number == 1 else f"2026-04-{15 + number % 10:02d}"
        result.append({"number": number, "fact": fact, "violated_citation": citations[item["obligation_article"]],
                       "penalty_citation": citations[item["penalty_article"]],
                       "requirement": item["requirement_zh"], "deadline": deadline})
    return result


def supervision_opinion(finding_count=4):
    return common("supervision_opinion", "卫生监督意见书", "2026—012", findings=findings(finding_count),
                  inspection_date="2026-04-01", report_within_days=5, relief_notice=True, relief=dict(RELIEF))


def rectification_notice():
    return common("rectification_notice", "责令改正通知书", "临卫职改〔2026〕12号", findings=findings(3),
                  inspection_date="2026-04-01", report_within_days=5, relief_notice=True, relief=dict(RELIEF))


OBSERVATIONS = [
    "该单位主要从事实木家具生产，现场正常生产，生产线设开料、打磨、喷漆、组装四个车间，当班劳动者约86人。",
    "打磨车间设砂光机6台，其中2台除尘罩与风管连接处脱开；3名打磨工佩戴普通棉纱口罩作业。",
    "喷漆车间调漆间存放“天那水”稀释剂4桶（每桶18 L），容器标签注明含二甲苯、乙酸丁酯；调漆间入口未设置警示标识和中文警示说明。",
    "喷漆房局部排风装置风机处于停机状态，控制柜显示“停止”，现场可闻到明显溶剂气味。",
    "车间入口公告栏张贴有职业卫生管理制度和操作规程，未公布工作场所职业病危害因素检测结果。",
    "现场查阅职业健康监护档案1册，2025年度在岗期间职业健康检查报告1份（体检机构：青川市职业病防治院），涉及劳动者52人。",
    "执法人员现场拍摄照片3张（编号见附页），未采集样品。",
]


def onsite_record(observation_repeats=3, refused=False):
    """Long enough to run over two or three pages, so that the per-page signature shows."""
    observations = [f"{text}" for _ in range(observation_repeats) for text in OBSERVATIONS]
    context = common("onsite_record", "现场笔录", "2026—031", inspection={
        "start": "2026-04-01T09:30:00+08:00", "end": "2026-04-01T11:05:00+08:00",
        "place": "青川宏达家具制造有限公司生产车间及办公楼", "recorder": "李娜"},
        notification=("执法人员张伟、李娜向被检查人出示了执法证件，告知了执法人员身份、检查依据和内容，告知被检查人有申请回避的权利，"
                      "有如实回答询问、协助调查的义务。被检查人表示：听清楚了，不申请回避。"),
        observations=observations, party_statement="以上笔录我已看过，与事实相符。")
    context["signatures"] = signatures(2, refused=refused)
    if refused:
        context["party_statement"] = "被检查人对笔录内容未提出意见，拒绝签名。"
    return context


ASPECTS = [("危害因素识别", "done", "已按岗位梳理粉尘、苯系物、噪声，形成危害因素清单"),
           ("申报", "partly", "已申报，但未包括新增喷漆工序"), ("检测", "not_done", "2025年度未开展定期检测"),
           ("体检", "done", "52名接触劳动者均完成在岗体检，结果已书面告知"),
           ("培训", "partly", "负责人已培训；4名新员工无上岗前培训记录"),
           ("防护设施", "partly", "喷漆房排风机停用，已当场指导恢复运行"),
           ("个体防护", "not_done", "打磨岗位使用棉纱口罩，应更换为KN95及以上防尘口罩"),
           ("警示告知", "partly", "调漆间缺警示标识；合同告知条款齐全"), ("制度档案", "done", "制度齐全，档案分类清楚"),
           ("放射防护", "not_applicable", None)]


def assistance_feedback():
    staff = [{"name": "陈静", "cert_no": ""}, {"name": "王磊", "cert_no": ""}]
    return common("assistance_feedback", "帮扶现场反馈单", "2026—045", agency=CDC, officers=staff,
                  aspects=[{"title_zh": t, "status": s, "note": n} for t, s, n in ASPECTS],
                  problems="1. 2025年度未委托有资质的机构开展定期检测。\n2. 打磨岗位个体防护用品不符合要求。",
                  guidance="现场讲解了防尘口罩的选用和佩戴方法，指导企业恢复喷漆房局部排风装置运行并建立点检记录。",
                  materials="《职业病防治法》宣传册 20 份\n《工作场所职业病危害警示标识》挂图 4 张",
                  figures=[{"label": "接触职业病危害人数", "value": "36人"}, {"label": "应检人数", "value": "36人"},
                           {"label": "实检人数", "value": "30人"}, {"label": "职业健康检查率", "value": "83.3%"},
                           {"label": "培训人数", "value": "28人"}, {"label": "培训率", "value": "77.8%"}],
                  follow_up_date="2026-05-15", staff=["陈静", "王磊"])


# 1.99 L/min mean flow for 60 min; V0 = Vt × 293/(273 + 18.5) × 101.2/101.3 (reference.md §1.4).
MEASURED = {"flow_before": 2.0, "flow_after": 1.98, "start": "09:40", "end": "10:40", "minutes": 60,
            "volume_l": 119.4, "standard_volume_l": 119.9}


def sampling_record_sheet():
    samples = []
    for index, (post, hazard, mode, point) in enumerate([
            ("打磨工", "木粉尘（总粉尘）", "定点", "1号砂光机操作位"),
            ("打磨工", "木粉尘（总粉尘）", "个体", "打磨工 刘洋"),
            ("喷漆工", "二甲苯", "个体", "喷漆工 王芳"), ("喷漆工", "乙酸丁酯", "定点", "喷漆房操作位"),
            ("调漆工", "苯", "定点", "调漆间操作台"), ("调漆工", "苯", "定点", "空白样")]):
        blank = point == "空白样"
        samples.append({
            "sample_code": f"LH2026-0401-{index + 1:03d}", "sample_type_zh": "空白样" if blank else "现场样",
            "workshop": "打磨车间" if index < 2 else "喷漆车间", "post": post, "sampling_point": point,
            "hazard_zh": hazard, "sampling_mode_zh": mode, **({key: None for key in MEASURED} if blank else MEASURED),
            "notes": "现场空白" if blank else "正常生产，排风开启"})
    return common("sampling_record_sheet", "工作场所空气中有害物质采样记录", "LH-CY-2026-0401", agency=CDC,
                  officers=[{"name": "陈静", "cert_no": ""}, {"name": "王磊", "cert_no": ""}],
                  visit={"task_no": "QCLH-JC-2026-017", "sampling_date": "2026-04-01", "monitoring_category_zh": "定期检测",
                         "temperature_c": 18.5, "pressure_kpa": 101.2, "humidity_pct": 56,
                         "method_standards": ["GBZ 159—2004", "GBZ/T 192.1—2007", "GBZ/T 300.66—2017"],
                         "samplers": ["陈静", "王磊"], "checker": "刘敏", "escort_name": "孙丽"},
                  samples=samples, noise=[
                      {"post": "开料工", "point": "推台锯操作位", "laeq_readings": [91.2, 90.8, 91.5],
                       "exposure_hours": 6, "lex_8h": 89.9},
                      {"post": "打磨工", "point": "2号砂光机操作位", "laeq_readings": [88.4, 88.9, 88.1],
                       "exposure_hours": 7.5, "lex_8h": 88.2}],
                  photos=[])


def sampling_feedback():
    summary = [
        {"workshop": "打磨车间", "post": "打磨工", "hazard_zh": "木粉尘", "sample_codes": [
            "LH2026-0401-001", "LH2026-0401-002"], "next_step": "送实验室称重分析"},
        {"workshop": "喷漆车间", "post": "喷漆工", "hazard_zh": "二甲苯、乙酸丁酯", "sample_codes": [
            "LH2026-0401-003", "LH2026-0401-004"], "next_step": "冷藏送检，气相色谱法分析"},
        {"workshop": "喷漆车间", "post": "调漆工", "hazard_zh": "苯", "sample_codes": [
            "LH2026-0401-005", "LH2026-0401-006"], "next_step": "冷藏送检，7日内完成分析"},
        {"workshop": "开料车间", "post": "开料工", "hazard_zh": "噪声", "sample_codes": [],
         "next_step": "现场直读，LEX,8h 89.9 dB(A)，超过 85 dB(A)"}]
    return common("sampling_feedback", "检测现场反馈", "LH-FK-2026-0401", agency=CDC,
                  officers=[{"name": "陈静", "cert_no": ""}, {"name": "王磊", "cert_no": ""}],
                  visit={"task_no": "QCLH-JC-2026-017", "sampling_date": "2026-04-01",
                         "monitoring_category_zh": "定期检测", "samplers": ["陈静", "王磊"], "escort_name": "孙丽"},
                  summary=summary, next_steps="样品当日送青川市临河区疾病预防控制中心实验室分析。\n请企业保持现有生产工况记录，以备报告编制核对。",
                  report_due_date="2026-04-30", photos=[])


def reinspection_opinion():
    items = []
    for finding, (result, evidence) in zip(findings(4), [
            ("已整改", "调漆间入口已设置“当心中毒”警示标识和中文警示说明（见照片1）"),
            ("部分整改", "已采购KN95防尘口罩，但发放登记尚未建立"),
            ("未整改", "尚未委托检测机构，企业称已联系两家机构询价"),
            ("已整改", "已完成变更申报，回执号 SB-2026-0418")]):
        items.append({**{k: finding[k] for k in ("number", "fact", "requirement", "deadline")},
                      "result_zh": result, "evidence": evidence})
    return common("reinspection_opinion", "复查意见书", "2026—019", original={
        "number": "2026—012", "issued_at": "2026-04-01T11:30:00+08:00"}, inspection_date="2026-04-28",
        items=items, conclusion="你单位对第1、4项问题已完成整改，第2项部分整改，第3项未整改。请于2026年5月20日前完成第2、3项整改，逾期不改正的，将依法处理。",
        relief_notice=False)


def monitoring_report():
    limit = "PC-TWA 3 mg/m³（GBZ 2.1-2019，第1号修改单，自 2022-11-01 起施行）；PC-STEL 6 mg/m³（GBZ 2.1-2019，第1号修改单）"
    results = [{"workshop": "喷漆车间", "post": "调漆工", "hazard_zh": "苯", "measured": "C_TWA 1.82；C_STE 4.1 mg/m³",
                "limits": limit, "result_zh": "符合"},
               {"workshop": "打磨车间", "post": "打磨工", "hazard_zh": "木粉尘（总尘）", "measured": "C_TWA 3.6 mg/m³",
                "limits": "PC-TWA 3 mg/m³（GBZ 2.1-2019）", "result_zh": "不符合"}]
    return common("monitoring_report", "检测报告", "2026—004", agency=CDC, officers=[],
                  visit={"task_no": "QCLH-JC-2026-017", "sampling_date": "2026-04-01", "samplers": ["陈静", "王磊"]},
                  methods=["GBZ/T 300.66-2017", "GBZ/T 192.1-2007"], results=results,
                  noise=[{"workshop": "开料车间", "post": "开料工", "lex_8h": "90.4", "result_zh": "不符合"}],
                  mixtures=[{"post": "喷漆工", "label_zh": "苯系物（甲苯、二甲苯、乙苯、苯乙烯：中枢神经系统）",
                             "index": "1.2", "result_zh": "不符合"}],
                  below_lod_rule="低于检出限的结果以 1/2 检出限计入时间加权平均浓度（GBZ 未规定取值，参照 SL 219-2013、HJ/T 166-2004）",
                  conclusion="本次共检测 2 项化学有害因素/粉尘、1 个噪声岗位：符合 1 项，不符合 3 项，不判定 0 项。",
                  people={"analysts": ["韩雪梅"], "reviewer": "马骏", "approver": "马骏"}, photos=[])


BUILDERS = {
    "supervision_opinion": supervision_opinion, "rectification_notice": rectification_notice,
    "onsite_record": onsite_record, "assistance_feedback": assistance_feedback,
    "sampling_record_sheet": sampling_record_sheet, "sampling_feedback": sampling_feedback,
    "reinspection_opinion": reinspection_opinion, "monitoring_report": monitoring_report,
}

LABELS = [{"sample_code": f"LH2026-0401-{n:03d}", "record_id": f"6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e{n:02d}",
           "hazard_zh": hazard, "enterprise_name": PARTY["name"], "sampling_date": "2026-04-01",
           "sample_type_zh": "空白样" if n == 6 else "现场样"}
          for n, hazard in enumerate(["木粉尘", "木粉尘", "二甲苯", "乙酸丁酯", "苯", "苯"], 1)]

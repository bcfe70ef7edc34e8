"""An inspection as two inspectors complete it on a tablet: checklist, findings with photos, three signatures."""
import hashlib

from tests.support import enterprise_in, user
from tests.sync.tablets import Tablet

PNG_1PX = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                        "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


def fake_sha(label):
    """A stable stand-in hash for an image whose bytes the test does not upload."""
    return hashlib.sha256(label.encode()).hexdigest()


def inspection_fields(enterprise_id, officers=("lh_inspector", "lh_inspector2"), **extra):
    first, second = user(officers[0]), user(officers[1])
    return {"enterprise_id": enterprise_id, "inspection_date": "2026-04-08", "start_time": "09:30",
            "end_time": "11:10", "place": "生产车间及职业卫生档案室", "officer_1_id": str(first.id),
            "officer_1_name": first.display_name, "officer_2_id": str(second.id),
            "officer_2_name": second.display_name, "party_rep_name": "马晓东", "party_rep_title": "安全环保部经理",
            "refused_to_sign": False, "witness_name": "李四", **extra}


FINDINGS = [
    {"item_key": "health_exam_noise", "fact": "未组织接触噪声作业的12名劳动者进行在岗期间职业健康检查",
     "violated_article": "《中华人民共和国职业病防治法》第三十五条第一款",
     "penalty_article": "《中华人民共和国职业病防治法》第七十一条第（四）项",
     "requirement": "立即组织接触噪声作业的劳动者进行在岗期间职业健康检查，并将检查结果书面告知劳动者",
     "deadline_days": 30},
    {"item_key": "warning_signs", "fact": "喷漆车间入口未设置警示标识和中文警示说明",
     "violated_article": "《中华人民共和国职业病防治法》第二十四条第二款",
     "penalty_article": "《中华人民共和国职业病防治法》第七十二条第（八）项",
     "requirement": "在喷漆车间入口设置警示标识和中文警示说明", "deadline_days": 15},
]


def complete_inspection(client, caller, signatures=None, findings=FINDINGS, photo_sha=None, tablet=None,
                        district="临河区", officers=("lh_inspector", "lh_inspector2"), inspection_date="2026-04-08",
                        enterprise_id=None):
    """Push a complete inspection (of some enterprise of the district, or this one) from the inspector's tablet;
    returns (tablet, inspection id, finding ids)."""
    tablet = tablet or Tablet(caller)
    inspection = tablet.create("inspection", inspection_fields(enterprise_id or enterprise_in(district).id, officers,
                                                               inspection_date=inspection_date))
    tablet.create("checklist_result", {"item_key": "org_management", "result": "conform"}, parent=inspection)
    finding_ids = []
    for index, finding in enumerate(findings):
        tablet.create("checklist_result", {"item_key": finding["item_key"], "result": "nonconform",
                                           "note": finding["fact"]}, parent=inspection)
        finding_id = tablet.create("finding", dict(finding), parent=inspection)
        tablet.create("attachment", {"field": "photos", "sha256": photo_sha or fake_sha(f"photo-{index}"),
                                     "mime": "image/jpeg", "kind": "photo", "caption": "现场照片"},
                      parent=finding_id)
        finding_ids.append(finding_id)
    for field in ("officer_1_signature", "officer_2_signature", "party_signature"):
        sha = (signatures or {}).get(field) or fake_sha(field)
        tablet.create("attachment", {"field": field, "sha256": sha, "mime": "image/png", "kind": "signature"},
                      parent=inspection)
    body = tablet.push()
    assert {r["status"] for r in body["results"]} == {"applied"}, body
    return tablet, inspection, finding_ids

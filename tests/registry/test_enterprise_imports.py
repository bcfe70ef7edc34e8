"""Importing the registry, as the domain does it: a preview that changes nothing and says what each row would do,
field by field in words; the import of exactly what was previewed; declared hazards mapped to the reference keys
the checklist is derived from; the audit entry with the diff."""
import csv
import io

import pytest
import sqlalchemy as sa

from server.domain.actors import Actor
from server.domain.enterprise_imports import import_enterprises, preview_import
from server.domain.errors import Conflict, Invalid
from server.domain.inspection_plans import enterprise_checklist
from server.domain.regions import region_subtree_ids
from server.extensions import db
from server.models import Agency, AuditEntry, Enterprise, User

HEADER = ["统一社会信用代码", "单位名称", "所属区县", "企业规模", "职业病危害因素"]
NEW_CODE = "91350100M000100Y43"  # the worked example of GB 32100


def _actor(username="admin"):
    user = db.session.scalar(sa.select(User).where(User.username == username))
    agency = db.session.get(Agency, user.agency_id)
    return Actor(user_id=user.id, username=username, roles=frozenset(user.roles), agency_id=agency.id,
                 region_id=agency.region_id, region_ids=region_subtree_ids(db.session, agency.region_id),
                 agency_kind=agency.kind)


def _csv(*rows, header=HEADER):
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    return out.getvalue().encode("utf-8")


def _enterprise(name_part):
    return db.session.scalar(sa.select(Enterprise).where(Enterprise.name.contains(name_part)))


def _checklist_keys(enterprise_id):
    body = enterprise_checklist(db.session, _actor(), enterprise_id)
    return {item["key"] for group in body["groups"] for item in group["items"]}


def _import(content, filename="名录.csv"):
    """Preview, then import what was previewed (as a person who confirms)."""
    preview = preview_import(db.session, _actor(), filename, content)
    report = import_enterprises(db.session, _actor(), filename, content, preview["digest"])
    db.session.commit()
    return preview, report


def test_chinese_hazard_names_are_stored_as_the_reference_keys(app):
    content = _csv([NEW_CODE, "青川新材料有限公司", "临河区", "小", "苯、甲苯，噪声；矽尘, 二甲苯（全部异构体）"])
    preview, _ = _import(content)
    assert [r["status"] for r in preview["rows"]] == ["new"]
    created = db.session.scalar(sa.select(Enterprise).where(Enterprise.credit_code == NEW_CODE))
    assert created.declared_hazards == ["benzene", "toluene", "noise", "silica_dust", "xylene"]
    assert {"chemical", "dust", "noise"} <= set(enterprise_checklist(db.session, _actor(), created.id)["conditions"])


def test_an_unknown_hazard_is_refused_with_its_row_and_column_and_nothing_is_written(app):
    mine = _enterprise("鑫源")
    content = _csv([NEW_CODE, "青川新材料有限公司", "临河区", "小", "苯"],
                   [mine.credit_code, "青川鑫源化工股份有限公司", "临河区", "中", "甲苯、香蕉水"])
    with pytest.raises(Invalid) as refused:
        preview_import(db.session, _actor(), "名录.csv", content)
    assert [(d["row"], d["field"], d["column"], d["code"]) for d in refused.value.details] == [
        (3, "declared_hazards", "职业病危害因素", "unknown_hazard")]
    assert "香蕉水" in refused.value.details[0]["message"]
    assert "未导入任何数据" in refused.value.message
    with pytest.raises(Invalid):
        import_enterprises(db.session, _actor(), "名录.csv", content, "0" * 64)
    assert db.session.scalar(sa.select(Enterprise).where(Enterprise.credit_code == NEW_CODE)) is None
    assert _enterprise("鑫源").name == "青川鑫源化工有限公司"


def test_an_existing_enterprise_is_shown_as_a_diff_and_stays_unchanged_until_confirmed(app):
    mine = _enterprise("鑫源")  # 中型, benzene, toluene, xylene, noise
    content = _csv([mine.credit_code, "青川鑫源化工股份有限公司", "临河区", "大型", "甲苯、噪声"])
    preview = preview_import(db.session, _actor(), "名录.csv", content)
    row = preview["rows"][0]
    assert (row["status"], row["enterprise_id"], preview["counts"]) == (
        "update", mine.id, {"new": 0, "update": 1, "unchanged": 0})
    assert [(c["label"], c["old"], c["new"]) for c in row["changes"]] == [
        ("单位名称", "青川鑫源化工有限公司", "青川鑫源化工股份有限公司"),
        ("企业规模", "中型", "大型"),
        ("申报危害因素", "苯、甲苯、二甲苯（全部异构体）、噪声", "甲苯、噪声")]
    db.session.commit()
    db.session.expire_all()
    unchanged = _enterprise("鑫源")
    assert (unchanged.name, unchanged.size, unchanged.change_no) == ("青川鑫源化工有限公司", "medium", mine.change_no)

    import_enterprises(db.session, _actor(), "名录.csv", content, preview["digest"])
    db.session.commit()
    db.session.expire_all()
    changed = db.session.get(Enterprise, mine.id)
    assert (changed.name, changed.size, changed.declared_hazards) == (
        "青川鑫源化工股份有限公司", "large", ["toluene", "noise"])


def test_a_file_changed_after_the_preview_is_refused(app):
    mine = _enterprise("鑫源")
    seen = _csv([mine.credit_code, "青川鑫源化工股份有限公司", "临河区", "中", ""])
    edited = _csv([mine.credit_code, "冒名顶替有限公司", "临河区", "中", ""])
    preview = preview_import(db.session, _actor(), "名录.csv", seen)
    with pytest.raises(Conflict) as refused:
        import_enterprises(db.session, _actor(), "名录.csv", edited, preview["digest"])
    assert refused.value.code == "PREVIEW_OUTDATED" and "重新预览" in refused.value.message
    db.session.rollback()
    assert _enterprise("鑫源").name == "青川鑫源化工有限公司"


def test_an_enterprise_changed_by_someone_else_after_the_preview_needs_a_new_preview(app):
    mine = _enterprise("鑫源")
    content = _csv([mine.credit_code, "青川鑫源化工有限公司", "临河区", "大", ""])
    preview = preview_import(db.session, _actor(), "名录.csv", content)  # 企业规模 中型 → 大型
    mine.size = "small"  # a colleague corrects the size meanwhile: the preview no longer says what would happen
    db.session.commit()
    with pytest.raises(Conflict):
        import_enterprises(db.session, _actor(), "名录.csv", content, preview["digest"])
    db.session.rollback()
    again = preview_import(db.session, _actor(), "名录.csv", content)
    assert [(c["old"], c["new"]) for c in again["rows"][0]["changes"]] == [("小型", "大型")]


def test_rows_that_change_nothing_are_marked_unchanged_and_are_not_written(app):
    mine = _enterprise("鑫源")
    # The same hazards in another order and written as names: no change.
    content = _csv([mine.credit_code, mine.name, "临河区", "中", "噪声、二甲苯、甲苯、苯"])
    preview, report = _import(content)
    assert [r["status"] for r in preview["rows"]] == ["unchanged"]
    assert preview["rows"][0]["changes"] == []
    assert report["counts"] == {"new": 0, "update": 0, "unchanged": 1}
    db.session.expire_all()
    after = _enterprise("鑫源")
    assert (after.change_no, after.declared_hazards) == (mine.change_no, ["benzene", "toluene", "xylene", "noise"])


def test_the_checklist_keeps_its_items_after_an_import_that_maps_hazards(app):
    mine = _enterprise("鑫源")
    before = _checklist_keys(mine.id)
    assert len(before) > 10
    content = _csv([mine.credit_code, "青川鑫源化工股份有限公司", "临河区", "中", "苯，甲苯，二甲苯，噪音"])
    _import(content)
    assert _enterprise("鑫源化工股份").declared_hazards == ["benzene", "toluene", "xylene", "noise"]
    assert _checklist_keys(mine.id) == before


def test_an_enterprise_whose_hazards_were_stored_as_words_gets_its_checklist_back(app):
    mine = _enterprise("鑫源")
    full = _checklist_keys(mine.id)
    mine.declared_hazards = ["苯 甲苯 二甲苯 噪声"]  # what an import used to store
    db.session.commit()
    assert len(_checklist_keys(mine.id)) < len(full)
    preview, _ = _import(_csv([mine.credit_code, mine.name, "临河区", "中", "苯 甲苯 二甲苯 噪声"]))
    assert [(c["old"], c["new"]) for c in preview["rows"][0]["changes"]] == [
        ("苯 甲苯 二甲苯 噪声", "苯、甲苯、二甲苯（全部异构体）、噪声")]
    assert _checklist_keys(mine.id) == full


def test_the_diff_reads_districts_dates_schemes_and_numbers_in_words(app):
    mine = _enterprise("鑫源")  # 临河区, 丙 under the 2023 pilot, classified 2025-03-15
    header = ["统一社会信用代码", "单位名称", "区县", "分类方案", "分类日期", "纬度", "接害人数"]
    content = _csv([mine.credit_code, mine.name, "东港区", "grading_guide_2019", "2026-01-08", "36.8125", "120"],
                   header=header)
    changes = preview_import(db.session, _actor(), "名录.csv", content)["rows"][0]["changes"]
    assert {c["label"]: (c["old"], c["new"]) for c in changes} == {
        "所属区县": ("临河区", "东港区"),
        "分类方案": ("职业卫生分类监督执法试点（国家疾控局、国家卫生健康委）", "《职业卫生分类分级监督执法工作指南(试行)》"),
        "分类日期": ("2025年3月15日", "2026年1月8日"),
        "纬度": ("36.812", "36.8125"),
        "接害人数": ("118", "120")}


def test_the_audit_entry_of_an_import_keeps_the_diff(app):
    mine = _enterprise("鑫源")
    content = _csv([NEW_CODE, "青川新材料有限公司", "临河区", "小", "苯"],
                   [mine.credit_code, "青川鑫源化工股份有限公司", "临河区", "中", ""],
                   [_enterprise("润泽").credit_code, _enterprise("润泽").name, "临河区", "小", ""])
    _, report = _import(content)
    assert report["counts"] == {"new": 1, "update": 1, "unchanged": 1}
    created_id = report["rows"][0]["enterprise_id"]
    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "enterprise.import")).one()
    assert entry.target == "名录.csv"
    assert (entry.details["created"], entry.details["updated"], entry.details["unchanged"]) == (1, 1, 1)
    created, updated = entry.details["enterprises"]
    assert (created["action"], created["enterprise_id"], created["credit_code"]) == ("created", created_id, NEW_CODE)
    assert (updated["action"], updated["enterprise_id"]) == ("updated", mine.id)
    assert updated["changes"] == {"name": {"old": "青川鑫源化工有限公司", "new": "青川鑫源化工股份有限公司"}}

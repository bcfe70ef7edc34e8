"""The KPI catalogue (reference/kpis/catalogue.json, domain/kpi_catalogue.py): every figure the work plans report is
defined once — its formula over the computed figures, its target, the records it comes from — and reads as people
read it: 62家, 95.2%, 51天, 未采集 when the system holds none of its records, never a float's repr or a made-up 0."""
import json
from pathlib import Path

import pytest

from server.domain.kpi_catalogue import change_text, check_formula, evaluate, figure_text, lookup
from server.form_registry.registry import load_registry

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = json.loads((ROOT / "reference/kpis/catalogue.json").read_text(encoding="utf-8"))["rows"]
TARGETS = {row["key"] for row in json.loads((ROOT / "reference/kpis/targets.json").read_text(encoding="utf-8"))["rows"]}

FIGURES = {
    "sampling": {"enterprises_monitored": 62, "posts_evaluated": 240, "posts_nonconform": 31,
                 "first_day": "2025-04-08", "last_day": "2025-05-28"},
    "teams": [{"sampling": {"visits": 20}}, {"sampling": {"visits": 0}}, {"sampling": {"visits": 3}}],
    "ledgers": [{"kind": "radiology", "tiles": [{"key": "stability_on_time", "value": 90.2, "part": 46, "whole": 51}]}],
}


def test_formulas_read_paths_ratios_teams_and_the_days_of_a_campaign():
    assert evaluate({"value": "sampling.enterprises_monitored"}, FIGURES) == 62
    assert evaluate({"ratio": ["sampling.posts_nonconform", "sampling.posts_evaluated"]}, FIGURES) == 12.9
    assert evaluate({"count_where": ["teams", "sampling.visits"]}, FIGURES) == 2  # teams that sampled
    # 8 April to 28 May, both days counted: the seed's "一个半月"
    assert evaluate({"days_between": ["sampling.first_day", "sampling.last_day"]}, FIGURES) == 51
    assert evaluate({"value": "ledgers.radiology.stability_on_time"}, FIGURES) == 90.2
    assert lookup(FIGURES, "ledgers.radiology.stability_on_time.whole") == 51


def test_nothing_to_divide_by_or_a_missing_figure_is_no_value_not_zero():
    empty = {"sampling": {"posts_evaluated": 0, "posts_nonconform": 0}}
    assert evaluate({"ratio": ["sampling.posts_nonconform", "sampling.posts_evaluated"]}, empty) is None
    assert evaluate({"value": "ledgers.radiology.stability_on_time"}, empty) is None
    assert evaluate({"days_between": ["sampling.first_day", "sampling.last_day"]}, empty) is None
    assert figure_text(None, "%") == "无数据"


def test_figures_read_as_people_write_them():
    assert figure_text(62, "家") == "62家"
    assert figure_text(2 / 3 * 100, "%") == "66.7%"  # never 66.66666666666667
    assert figure_text(12.5, "天") == "12.5天"
    assert change_text(62, 50, "家") == "+12家（+24.0%）"
    assert change_text(90.0, 85.5, "%") == "+4.5个百分点"
    assert change_text(3, None, "家") == "—"


def test_the_shipped_catalogue_is_complete_and_consistent():
    keys = [row["key"] for row in CATALOGUE]
    assert len(keys) == len(set(keys))
    forms = load_registry()
    for row in CATALOGUE:
        assert check_formula(row["formula"]), row["key"]
        assert row["title_zh"] and row["section_zh"] and row["unit"], row["key"]
        assert row.get("target") is None or row["target"] in TARGETS, row["key"]
        assert row["entities"], row["key"]
        for kind in row["entities"]:
            assert forms.form_for_entity(kind), (row["key"], kind)  # UnknownForm for a kind no form records
        assert row["as_of"] in ("period", "today"), row["key"]
        # A figure computed per team reads only what each team's own records give.
        if row["by_team"] and row["formula"]:
            paths = [p for part in row["formula"].values() for p in ([part] if isinstance(part, str) else part)]
            assert all(p.split(".")[0] in ("sampling", "enforcement", "followup", "assistance") for p in paths), row["key"]
    # The seeds' headline figures are all there, named as the plans name them.
    titles = {row["title_zh"] for row in CATALOGUE}
    for expected in ("监测用人单位数", "1个月内录入国家系统比例", "随访患者数", "尘肺病患者随访率", "监督覆盖率",
                     "双随机抽取单位检查完成率", "放射诊疗机构数", "完成专项治理用人单位数", "帮扶企业数"):
        assert expected in titles


@pytest.mark.parametrize("formula", [{"sum": ["a", "b"]}, {"value": "a", "ratio": ["a", "b"]}, "sampling.visits"])
def test_an_unknown_formula_is_refused(formula):
    assert not check_formula(formula)

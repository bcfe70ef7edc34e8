"""Journey: 职业健康素养监测 at one enterprise with no signal. The assistant opens a survey at 青川鑫源化工, ticks the
interventions, and enters 30 workers' questionnaires one question a screen — a tap answers and moves on; the tablet
is restarted half-way through a worker and resumes at the next question. Each finished worker shows a score; the
survey lists them all with the 具备率 so far. Back online the survey is handed in: the server holds the 30
questionnaires with the same scores, and the CDC's figures give the same 具备率."""
import datetime as dt
import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from server.domain.literacy import TABLE, load_questionnaire, score_respondent
from server.domain.reference_store import table_data
from server.extensions import db
from server.models import Record

from .tablet import FieldTablet, wait_until

pytestmark = pytest.mark.browser

WORKERS = 30
RIGHT = {"q01": "a", "q02": "b", "q03": "b", "q04": ["a", "b", "c", "d"], "q05": "b", "q06": "a", "q07": "a",
         "q08": "b", "q09": ["a", "b", "c", "d"], "q10": "a", "q11": "a", "q12": "b", "q13": "b", "q14": ["a", "b", "c"],
         "q15": "b", "q16": "a", "q17": "a", "q18": ["a", "b", "c"], "q19": "b", "q20": "a"}
ONE_POINT = ["q01", "q02", "q03", "q05", "q06", "q07"]  # true/false and single-choice questions: one point each
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
KEYS = re.compile(r"(?<![A-Za-z_])(male|female|handbook|lecture|literacy_survey|literacy_respondent|legal_knowledge|"
                  r"q\d\d|junior_high|None|null|undefined|NaN)(?![A-Za-z_])")


def sheet(i):
    """Worker i's answers: the first i % 6 one-point questions wrong, and every fifth worker ticks only two of the four
    right options of q09 (no point for a multiple-choice question half right). Returns (answers, expected points)."""
    answers = dict(RIGHT)
    for key in ONE_POINT[:i % 6]:
        answers[key] = "a" if RIGHT[key] != "a" else "b"
    if i % 5 == 0:
        answers["q09"] = ["a", "b"]
    return answers, 24 - i % 6 - (2 if i % 5 == 0 else 0)


def enter_worker(page, i, answers, restart_after=None, tablet=None):
    """One worker's questionnaire as the assistant taps it: sex, age, then one tap per question (a multiple-choice
    question: its options, then 下一题)."""
    entry = page.locator("[data-testid=literacy-entry]")
    expect(entry).to_have_attribute("data-step", "header")
    page.click(f".lit-choice[data-value={'male' if i % 2 else 'female'}]")
    page.fill("input[data-field=age]", str(20 + i))
    page.click("[data-testid=literacy-start]")
    for number, (key, answer) in enumerate(answers.items(), start=1):
        expect(entry).to_have_attribute("data-step", f"q{number}")
        if isinstance(answer, list):
            for option in answer:
                page.click(f"[data-question={key}] .lit-option[data-value={option}]")
            page.click("[data-testid=literacy-next-question]")
        else:
            page.click(f"[data-question={key}] .lit-option[data-value={answer}]")
        if number == restart_after:
            page.evaluate("import('/static/js/db.js').then((db) => db.idle())")  # the last tap's write is done
            page.reload()  # the tablet restarts (offline, from its service worker)
            expect(entry).to_have_attribute("data-step", f"q{number + 1}")
            assert page.locator(".lit-bar").evaluate("(el) => el.style.width") == f"{round(number / 20 * 100)}%"
    expect(entry).to_have_attribute("data-step", "done")
    return page.locator("[data-testid=literacy-score]").get_attribute("data-points")


# The same taps dispatched in the page (the screen's own buttons and input): workers after the first few go at the
# speed of the screen instead of one DevTools round trip per tap.
TAP_WORKER = """async ([sex, age, answers]) => {
    const entry = () => document.querySelector('[data-testid=literacy-entry]');
    const until = async (step) => {
        for (let i = 0; i < 600 && entry()?.dataset.step !== step; i += 1) await new Promise((r) => setTimeout(r, 5));
        if (entry()?.dataset.step !== step) throw new Error(`not at ${step} but ${entry()?.dataset.step}`);
    };
    const tap = (selector) => document.querySelector(selector).click();
    await until('header');
    tap(`.lit-choice[data-value=${sex}]`);
    const box = document.querySelector('input[data-field=age]');
    box.value = String(age);
    box.dispatchEvent(new Event('input', { bubbles: true }));
    tap('[data-testid=literacy-start]');
    for (const [n, [key, answer]] of answers.entries()) {
        await until(`q${n + 1}`);
        for (const option of [answer].flat()) tap(`[data-question=${key}] .lit-option[data-value=${option}]`);
        if (Array.isArray(answer)) tap('[data-testid=literacy-next-question]');
    }
    await until('done');
    return document.querySelector('[data-testid=literacy-score]').dataset.points;
}"""


def shown_text(page):
    return page.locator("#app").inner_text()


def test_thirty_workers_entered_offline_are_scored_and_counted_once_handed_in(context, live_server):
    tablet = FieldTablet(context, live_server).login("lh_assistant")
    page = tablet.page
    context.set_offline(True)
    page.reload()
    tablet.wait_home()
    wait_until(page, "document.querySelector('[data-testid=sync-state]').textContent.includes('离线')")
    page.click("[data-flow=literacy]")
    page.fill("[data-testid=enterprise-search]", "鑫源化工")
    page.locator("[data-enterprise]").first.click()
    page.wait_for_selector("[data-testid=literacy-add]")
    survey = page.evaluate("location.hash.split('/')[2]")
    tablet.toggle("interventions", "handbook")
    tablet.toggle("interventions", "lecture")
    tablet.fill("materials_count", "60")
    page.click("[data-testid=literacy-add]")

    expected = {}
    for i in range(WORKERS):
        answers, points = sheet(i)
        expected[i + 1] = points
        if i < 3:  # tapped one by one, the tablet restarted in the middle of the third
            shown = enter_worker(page, i, answers, restart_after=7 if i == 2 else None)
        else:
            shown = page.evaluate(TAP_WORKER, ["male" if i % 2 else "female", 20 + i, list(answers.items())])
        assert shown == str(points), f"worker {i + 1}"
        if i == 0:
            expect(page.locator("[data-testid=literacy-done]")).to_contain_text("得分 22/24（91.7%）")
            assert not UUID.search(shown_text(page)) and not KEYS.search(shown_text(page)), shown_text(page)
        if i < WORKERS - 1:
            page.click("[data-testid=literacy-next]")

    literate = sum(points >= 20 for points in expected.values())  # 80 % of 24 points is 19.2
    page.click("text=返回本次调查")
    workers = page.locator("[data-testid=literacy-workers] [data-worker]")
    expect(workers).to_have_count(WORKERS)
    expect(page.locator("[data-testid=literacy-workers] [data-finished='1']")).to_have_count(WORKERS)
    rate = f"{literate / WORKERS * 100:.1f}%"
    expect(page.locator("[data-testid=literacy-rates]")).to_contain_text(f"具备率 {rate}")
    expect(workers.nth(1)).to_contain_text("23/24 分")
    assert not UUID.search(shown_text(page)) and not KEYS.search(shown_text(page)), shown_text(page)
    assert "待同步" in tablet.sync_text()

    page.click("[data-testid=submit-button]")
    context.set_offline(False)
    tablet.sync()

    with live_server.app.app_context():
        root = db.session.get(Record, survey)
        assert root.review_status == "submitted" and root.data["interventions"] == ["handbook", "lecture"]
        rows = db.session.scalars(sa.select(Record).where(Record.parent_id == survey, Record.deleted.is_(False))).all()
        today = live_server.clock.today()
        questionnaire = load_questionnaire(table_data(db.session, TABLE), today)
        scored = {r.data["respondent_no"]: score_respondent(questionnaire, r.data)["points"] for r in rows}
    assert scored == expected
    month = f"from={today.replace(day=1).isoformat()}&to={(today + dt.timedelta(days=1)).isoformat()}"
    figures = live_server.api("lh_cdc_supervisor").get(f"/api/literacy/figures?{month}").get_json()
    assert (figures["surveys"], figures["respondents"], figures["literate"]) == (1, WORKERS, literate)
    assert figures["literacy_pct"] == round(literate / WORKERS * 100, 1)
    assert tablet.errors == []

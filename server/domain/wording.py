"""The wording of enforcement documents (reference.md §5.2), read from the one file the tablet's preview reads
too (pwa/static/wording/notice.json): what the party reads on the tablet is what the PDF prints."""
import json
from functools import lru_cache
from pathlib import Path

WORDING_FILE = Path(__file__).resolve().parents[2] / "pwa" / "static" / "wording" / "notice.json"
TRAILING_PUNCTUATION = "。；;，,.、 \n\t"


@lru_cache(maxsize=1)
def notice_wording():
    """The phrases (intro, violated, order, advice, requirement, by_date, immediately, statements, results)."""
    return json.loads(WORDING_FILE.read_text(encoding="utf-8"))


def sentence(text):
    """Text without its closing punctuation (the wording adds its own 。)."""
    return str(text or "").rstrip(TRAILING_PUNCTUATION)


def date_zh(iso):
    """2026-04-08 (or an ISO date-time, read as written) → 2026年4月8日; "" for nothing."""
    text = str(iso or "")
    if len(text) < 10:
        return ""
    year, month, day = text[:10].split("-")
    return f"{int(year)}年{int(month)}月{int(day)}日"


def deadline_phrase(deadline):
    """于2026年5月8日前, or 立即 when there is no deadline."""
    words = notice_wording()
    return words["by_date"].format(date=date_zh(deadline)) if deadline else words["immediately"]


def finding_text(finding):
    """One finding's paragraph in a 卫生监督意见书 / 责令改正通知书: fact, the article it breaks, the order (or advice
    where no penalty article applies) with its deadline, and the requirement."""
    words = notice_wording()
    text = sentence(finding.get("fact"))
    violated = finding.get("violated_citation")
    text += words["violated"].format(citation=violated) if violated else words["no_violated"]
    when = deadline_phrase(finding.get("deadline"))
    penalty = finding.get("penalty_citation")
    text += words["order"].format(citation=penalty, when=when) if penalty else words["advice"].format(when=when)
    if finding.get("requirement"):
        text += words["requirement"].format(requirement=sentence(finding["requirement"]))
    return text

#!/usr/bin/env python3
"""Recompute a published 双随机 draw from its public page, without the server (Python 3.11, standard library only).

    python3 tools/recompute_draw.py https://example.gov.cn/public/draws/<id>
    python3 tools/recompute_draw.py saved-page.html        # the page saved from a browser
    python3 tools/recompute_draw.py publication.json       # or /api/public/draws/<id> saved as JSON

It reads the candidates (name, unified social credit code) per class, the ratios and the seed, draws again with the
published procedure "sha256-rank-v2", prints the enterprises drawn, and compares them with the ones the page says
were drawn (exit status 0: the same; 1: they differ; 2: the input could not be read).

The procedure:
1. Classes in the order of their labels' Unicode code points.
2. A class of n candidates at r % (a whole number) gives q = round-half-even(n·r/100) on whole numbers:
   q, rest = divmod(n·r, 100); q += 1 when rest > 50, or rest == 50 and q is odd. (10 % of 1 draws none.)
3. Each candidate's rank is the SHA-256 hex digest of the UTF-8 text "<seed>|<credit code>"; sorted by
   (rank, credit code), the first q are drawn.
"""
import argparse
import hashlib
import json
import sys
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

ALGORITHM = "sha256-rank-v2"
SCRIPT_ID = "draw-publication"


class _PublicationScript(HTMLParser):
    """Collects the text of <script type="application/json" id="draw-publication">."""

    def __init__(self):
        super().__init__()
        self.inside, self.parts = False, []

    def handle_starttag(self, tag, attrs):
        if tag == "script" and dict(attrs).get("id") == SCRIPT_ID:
            self.inside = True

    def handle_endtag(self, tag):
        if tag == "script":
            self.inside = False

    def handle_data(self, data):
        if self.inside:
            self.parts.append(data)


def publication_from_text(text):
    """The publication from the page's HTML or from its JSON."""
    stripped = text.lstrip()
    if stripped.startswith("{"):
        return json.loads(stripped)
    parser = _PublicationScript()
    parser.feed(text)
    if not parser.parts:
        raise ValueError("the page holds no draw publication (script#draw-publication)")
    return json.loads("".join(parser.parts))


def read_source(source):
    """The text of a URL or a file."""
    if source.startswith(("http://", "https://")):
        with urllib.request.urlopen(source, timeout=30) as response:  # noqa: S310 (a URL the user gives)
            return response.read().decode(response.headers.get_content_charset() or "utf-8")
    return Path(source).read_text(encoding="utf-8")


def quota(n, ratio_pct):
    """round-half-even(n·r/100) in whole-number arithmetic."""
    whole, rest = divmod(n * int(ratio_pct), 100)
    return whole + 1 if rest > 50 or (rest == 50 and whole % 2 == 1) else whole


def rank(seed, credit_code):
    """SHA-256 hex of "<seed>|<credit code>"."""
    return hashlib.sha256(f"{seed}|{credit_code}".encode("utf-8")).hexdigest()


def recompute(publication):
    """[(class label, name, credit code)] of the enterprises the procedure draws, in the order drawn."""
    if publication.get("algorithm") != ALGORITHM:
        raise ValueError(f"this draw used {publication.get('algorithm')!r}; only {ALGORITHM} can be recomputed here")
    seed = str(publication["seed"])
    drawn = []
    for cls in sorted(publication["classes"], key=lambda c: c["label"]):
        pool = cls["candidate_list"]
        count = quota(len(pool), cls["ratio_pct"])
        ranked = sorted(pool, key=lambda c: (rank(seed, c["credit_code"]), c["credit_code"]))
        drawn += [(cls["label"], c["name"], c["credit_code"]) for c in ranked[:count]]
    return drawn


def main(argv=None):
    parser = argparse.ArgumentParser(description="Recompute a published 双随机 draw from its public page.")
    parser.add_argument("source", help="the public page's URL, a saved copy of it (.html) or its JSON")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    try:
        publication = publication_from_text(read_source(args.source))
        drawn = recompute(publication)
    except (OSError, ValueError, KeyError) as error:
        print(f"无法复算 / cannot recompute: {error}", file=sys.stderr)
        return 2
    published = [a.get("credit_code") for a in publication.get("assignments", [])]
    same = sorted(code for _, _, code in drawn) == sorted(published)
    if args.json:
        print(json.dumps({"seed": publication["seed"], "same_as_published": same,
                          "drawn": [{"class": label, "name": name, "credit_code": code} for label, name, code in drawn]},
                         ensure_ascii=False, indent=2))
    else:
        print(f"{publication.get('title', '')}  种子 seed {publication['seed']}")
        for cls in sorted(publication["classes"], key=lambda c: c["label"]):
            print(f"  {cls['label']}: {len(cls['candidate_list'])} 家候选 × {cls['ratio_pct']}% → "
                  f"抽取 {quota(len(cls['candidate_list']), cls['ratio_pct'])} 家")
        for label, name, code in drawn:
            print(f"{label}\t{code}\t{name}")
        print("与公开结果一致 / matches the published result" if same
              else "与公开结果不一致 / DIFFERS from the published result")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())

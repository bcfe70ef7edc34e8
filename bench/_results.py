"""Benchmark figures as printed lines and as sections of bench/RESULTS.md: each benchmark replaces its own
section ("Sync", "Load", "Exports", …) and keeps the others."""
import datetime as dt
import os
import platform
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
HEADING = "## Sync (issue: offline sync)"
TITLES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


@dataclass
class Figure:
    name: str
    value: str
    target: str
    passed: bool | None  # None: reported without a target

    @property
    def verdict(self):
        return "" if self.passed is None else ("PASS" if self.passed else "MISS")

    def line(self):
        """One printed line: name, value, target and verdict."""
        target = f" [target {self.target}: {self.verdict}]" if self.target else ""
        return f"{self.name}: {self.value}{target}"


def _table(figures):
    rows = ["| figure | result | target | |", "|---|---|---|---|"]
    rows += [f"| {f.name} | {f.value} | {f.target or '—'} | {f.verdict or '—'} |" for f in figures]
    return rows


def _opening(heading, command, notes):
    lines = [heading, "", f"Date: {dt.date.today().isoformat()} · Command: `{command}` (`make bench` runs it with "
             "no arguments)", ""]
    return lines + [f"- {note}" for note in notes] + [""]


def section(results, skipped, profiles, notes, command):
    """The Markdown of the sync section."""
    lines = _opening(HEADING, command, notes)
    for kind, title in TITLES.items():
        lines.append(f"### {title}")
        lines.append("")
        lines += _table(results[kind]) if kind in results else [f"Not run: {skipped.get(kind, 'skipped')}."]
        lines.append("")
    if profiles:
        lines += ["### Where the server spends the time (a target was missed)", "", "```", *profiles, "```", ""]
    return "\n".join(lines)


def write_section(results, skipped, profiles, notes, command):
    """Replace (or add) the sync section of bench/RESULTS.md; every other section stays as it is."""
    replace_section(HEADING, section(results, skipped, profiles, notes, command))


def figures_section(heading, command, notes, tables, tail=()):
    """A section of its own: date, command, notes (machine, load, method), then per title a table of figures
    with target and PASS/MISS, then `tail` (Markdown lines: a profile of a missed target, a breakdown)."""
    lines = _opening(heading, command, notes)
    for title, figures in tables.items():
        lines += ([f"### {title}", ""] if title else []) + _table(figures) + [""]
    return "\n".join(lines + list(tail))


def replace_section(heading, markdown):
    """Replace (or add) the section that starts with `heading` in bench/RESULTS.md; the others stay as they are."""
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n\n"
    start = text.find(heading + "\n")
    if start == -1:
        text = text.rstrip("\n") + "\n\n" + markdown
    else:
        end = text.find("\n## ", start + len(heading))
        text = text[:start] + markdown.rstrip("\n") + "\n" + ("\n" + text[end + 1:] if end != -1 else "")
    RESULTS.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


def print_figures(title, figures):
    """The figures one per line, as every benchmark prints them."""
    print(f"\n{title}:")
    for figure in figures:
        print("  " + figure.line())


def load_average():
    """The 1, 5 and 15 minute load averages as text."""
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


def code_state():
    """The commit measured, and whether server code or migrations had uncommitted changes."""
    def git(*args):
        done = subprocess.run(["git", *args], cwd=RESULTS.parent.parent, capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else "?"
    dirty = git("status", "--porcelain", "--", "server", "migrations")
    return f"commit {git('rev-parse', '--short', 'HEAD')}" + (
        " plus uncommitted changes under server/ or migrations/" if dirty else "")


def machine_note(load_at_start, code_at_start):
    """CPU count, load and the code measured, so the figures can be read against a busy machine or old code."""
    return (f"Machine: {os.cpu_count()} cores, shared with other work; load average (1, 5, 15 min) "
            f"{load_at_start} at the start, {load_average()} at the end. Server code at the start: {code_at_start}. "
            f"Python {platform.python_version()} ({os.path.realpath(getattr(sys, '_base_executable', sys.executable))}).")

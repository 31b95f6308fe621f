"""Validation reports: every problem in every file, grouped by file and by rule.

`validate_files` reads, parses and checks files without touching a database; `render` turns the
report into text for the terminal, a Markdown document to hand on, or JSON for scripts; `exit_code`
says whether it should fail a build.

Exit codes of ``esfparse validate``:
  0  no problem at or above the --fail-on severity (or --fail-on never);
  1  at least one problem at or above it (a file that cannot be read is an error);
  2  bad usage (unknown option, no PATH), from click.
"""

from __future__ import annotations

import bisect
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .checks import find_conflicting_duplicates, problem
from .errors import PROBLEM_CODES, EsfparseError
from .models import Problem, Record
from .names import shown

EXIT_OK, EXIT_PROBLEMS = 0, 1
SEVERITIES = ("error", "warning", "info")
_RANK = {"info": 0, "warning": 1, "error": 2}
_SHOWN_PER_RULE = 10  # per file and rule in text and Markdown; JSON has them all


@dataclass(frozen=True)
class Finding:
    """One problem in one file, with the 1-based line its evidence starts on."""

    path: str
    problem: Problem
    line: int | None = None


@dataclass
class Report:
    """Every file checked (in order) and every finding."""

    files: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def by_file(self) -> dict[str, list[Finding]]:
        """Findings per file, most severe first, then by line."""
        groups: dict[str, list[Finding]] = {path: [] for path in self.files}
        for f in self.findings:
            groups.setdefault(f.path, []).append(f)
        return {path: sorted(fs, key=_order) for path, fs in groups.items()}

    def by_rule(self) -> list[tuple[str, str, int, int]]:
        """(code, severity, problems, files) per rule: most severe, then most frequent first."""
        problems = Counter(f.problem.code for f in self.findings)
        files = Counter(code for code, _ in {(f.problem.code, f.path) for f in self.findings})
        severity = {f.problem.code: f.problem.severity for f in self.findings}
        rows = [(code, severity[code], n, files[code]) for code, n in problems.items()]
        return sorted(rows, key=lambda r: (-_RANK[r[1]], -r[2], r[0]))

    def totals(self) -> dict[str, int]:
        """Files checked, files with problems and problems per severity."""
        counts: Counter[str] = Counter(f.problem.severity for f in self.findings)
        return {
            "files": len(self.files),
            "files_with_problems": len({f.path for f in self.findings}),
            **{s: counts.get(s, 0) for s in SEVERITIES},
        }


def _order(f: Finding) -> tuple[int, int, str]:
    return -_RANK[f.problem.severity], f.line or 0, f.problem.code


# ---------------------------------------------------------------- building


def validate_files(files: Iterable[tuple[Path, str | None]], debug: bool = False) -> Report:
    """Read, parse and check every file; then the cross-document rule. Never raises unless debug."""
    report = Report()
    projects: list[tuple[str, Record]] = []
    line_starts: dict[str, list[int]] = {}
    for path, error in files:
        name = shown(path)  # a name that is not UTF-8 shows its odd bytes as \xNN
        report.files.append(name)
        if error:
            report.findings.append(Finding(name, problem("read.unreadable", error)))
            continue
        result = _extract(str(path), debug)
        if isinstance(result, Problem):
            report.findings.append(Finding(name, result))
            continue
        ex, doc = result
        report.findings += [Finding(name, p, _line(doc.line_starts, p)) for p in ex.problems]
        if ex.record.kind == "project_page":
            projects.append((name, ex.record))
            line_starts[name] = doc.line_starts
    for name, p in find_conflicting_duplicates(projects):
        report.findings.append(Finding(name, p, _line(line_starts.get(name), p)))
    return report


def _extract(path: str, debug: bool) -> Any:
    """(Extraction, Document), or the Problem that stopped the file."""
    from .pipeline import failure, process

    try:
        return process(path)
    except Exception as exc:
        if debug and not isinstance(exc, EsfparseError):
            raise
        return problem(*failure(exc))


def _line(starts: list[int] | None, p: Problem) -> int | None:
    if not starts or p.evidence is None:
        return None
    return bisect.bisect_right(starts, p.evidence.start)


# ---------------------------------------------------------------- rendering


def render(report: Report, fmt: str = "text") -> str:
    """The report as `text`, `markdown` or `json`."""
    renderers = {"text": render_text, "markdown": render_markdown, "json": render_json}
    if fmt not in renderers:
        raise ValueError(f"unknown report format {fmt!r}; use one of {', '.join(renderers)}")
    return renderers[fmt](report)


def _summary(report: Report) -> str:
    t = report.totals()
    return (
        f"{t['files']} files checked, {t['files_with_problems']} with problems: "
        f"{_count(t['error'], 'error')}, {_count(t['warning'], 'warning')}, {t['info']} info."
    )


def _count(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _where(f: Finding) -> str:
    page = f.problem.evidence.page if f.problem.evidence else None
    if f.line is None:
        return "-"
    return f"p{page}:L{f.line}" if page else f"L{f.line}"


def _capped(findings: list[Finding]) -> tuple[list[Finding], Counter[str]]:
    """At most _SHOWN_PER_RULE findings of each rule, and how many of each were left out."""
    seen: Counter[str] = Counter()
    shown = []
    for f in findings:
        seen[f.problem.code] += 1
        if seen[f.problem.code] <= _SHOWN_PER_RULE:
            shown.append(f)
    return shown, Counter({c: n - _SHOWN_PER_RULE for c, n in seen.items() if n > _SHOWN_PER_RULE})


def _file_heading(findings: list[Finding]) -> str:
    counts: Counter[str] = Counter(f.problem.severity for f in findings)
    return ", ".join(
        _count(counts[s], s) if s != "info" else f"{counts[s]} info"
        for s in SEVERITIES
        if counts[s]
    )


def render_text(report: Report) -> str:
    """Plain text for the terminal: per file, then per rule, then the totals."""
    out: list[str] = []
    for path, findings in report.by_file().items():
        if not findings:
            continue
        out.append(f"{path}  ({_file_heading(findings)})")
        shown, left_out = _capped(findings)
        for f in shown:
            field = f" [{f.problem.field}]" if f.problem.field else ""
            out.append(
                f"  {_where(f):<9} {f.problem.severity:<7}  {f.problem.code}{field}: {f.problem.message}"
            )
        out += [f"  … and {n} more {code}" for code, n in sorted(left_out.items())]
        out.append("")
    rules = report.by_rule()
    if rules:
        out.append("By rule:")
        out += [
            f"  {code:<34} {sev:<7}  {_count(n, 'problem'):>12} in {_count(nf, 'file')}"
            for code, sev, n, nf in rules
        ]
        out.append("")
    out.append(_summary(report))
    return "\n".join(out)


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ") if value is not None else ""


def render_markdown(report: Report) -> str:
    """A Markdown document: totals, a table by rule, one table per file with problems."""
    out = ["# esfparse validation report", "", _summary(report), ""]
    rules = report.by_rule()
    if rules:
        out += [
            "## By rule",
            "",
            "| Rule | Severity | Problems | Files | Meaning |",
            "|---|---|---:|---:|---|",
        ]
        out += [
            f"| `{code}` | {sev} | {n} | {nf} | {_cell(PROBLEM_CODES.get(code, ('', ''))[1])} |"
            for code, sev, n, nf in rules
        ]
        out += ["", "## By file", ""]
    for path, findings in report.by_file().items():
        if findings:
            out += _markdown_file(path, findings)
    return "\n".join(out).rstrip() + "\n"


def _markdown_file(path: str, findings: list[Finding]) -> list[str]:
    out = [
        f"### `{path}`",
        "",
        _file_heading(findings),
        "",
        "| Where | Severity | Rule | Field | Message |",
        "|---|---|---|---|---|",
    ]
    shown, left_out = _capped(findings)
    out += [
        f"| {_where(f)} | {f.problem.severity} | `{f.problem.code}` | {_cell(f.problem.field)} | "
        f"{_cell(f.problem.message)} |"
        for f in shown
    ]
    out += [f"| | | `{code}` | | … and {n} more |" for code, n in sorted(left_out.items())]
    return [*out, ""]


def render_json(report: Report) -> str:
    """JSON for scripts: totals, rules and every problem of every file (none left out)."""
    data = {
        "summary": report.totals(),
        "rules": [
            {
                "code": c,
                "severity": s,
                "problems": n,
                "files": nf,
                "description": PROBLEM_CODES.get(c, ("", ""))[1],
            }
            for c, s, n, nf in report.by_rule()
        ],
        "files": [
            {"path": path, "problems": [_finding_json(f) for f in findings]}
            for path, findings in report.by_file().items()
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


def _finding_json(f: Finding) -> dict[str, Any]:
    ev = f.problem.evidence
    return {
        **f.problem.model_dump(exclude={"evidence"}),
        "line": f.line,
        "start": ev.start if ev else None,
        "end": ev.end if ev else None,
        "page": ev.page if ev else None,
    }


def exit_code(report: Report, fail_on: str = "error") -> int:
    """1 when a problem is at or above the `fail_on` severity (`error`, `warning`), else 0; `never` gives 0."""
    if fail_on == "never":
        return EXIT_OK
    threshold = _RANK[fail_on]
    failing = any(_RANK[f.problem.severity] >= threshold for f in report.findings)
    return EXIT_PROBLEMS if failing else EXIT_OK

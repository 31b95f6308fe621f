"""Quantified goals: targets, planned outputs and reported results, as `Goal` models.

A number becomes a goal by Swedish (and Kohesio English) genre rules, never by knowing a document:
1. its *form* is a quantity: not a list marker, label (`Steg 1`), year, date, duration
   (`26-30 veckor`), amount of money, age range or company size class;
2. it *counts* something countable (``counted.py``): a participant group or occupation, an
   activity or output, an organisation reached, a `st.` count or a rate (`per termin`); the object
   of a producing verb (`ta fram sju ...`); people reaching an outcome (`Av dem har 40 gått vidare
   till arbete`); staff, teams and taking-part organisations are set-up;
3. something *makes it a goal*: a goal verb or noun in the sentence (`ska`, `kommer att`, `målet
   är`, `se till att`, `will`, `the goal is`), a planned intake or output in the present tense
   (`Varje termin tas 25 nya deltagare in`, `Vi anordnar 15 frukostmöten`), or a goal section or
   list intro (`Målsättning`, `Kvantifierade mål:`) without signs of a context statistic;
   presentations report results, so there a counted noun, or an outcome for a share (`50 procent
   till jobb`), is enough, and a target beside a result (`(mål: 250)`) is kept as a target.
Numbers that qualify a goal (`... från minst fem arbetsgivare`), asides, relative differences
(`10 procent högre`), financing shares, gender splits, context statistics (`unemployment is 9 %`)
and composition shares, also forecast ones (`Andelen kvinnor bland deltagarna beräknas bli 40 %`,
with the count glossing them), are not goals; a share glossing a count (`756 (14% av
målgrupperna)`) and subgroups after `varav` are. Vocabulary: `esfparse/data`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import accumulate

from ..document import Table
from ..models import Evidence, Goal, GoalKind, Unit
from ..nlp import Cues, find_text_tables, split_sentences
from .breakdowns import attach_breakdowns
from .counted import (
    COUNTED,
    Counted,
    modal_re,
    noun_class,
    project_subject_re,
    rate_before,
    read_counted,
    read_terms,
    read_verb,
    verb_before,
    whom_re,
    words,
)
from .numbers import NumberMention, find_numbers

__all__ = ["GENRES", "attach_breakdowns", "explain_numbers", "find_goals"]

GENRES = ("project_page", "presentation")
# a rejected share that can be the baseline of a goal about the same group
_BASELINE_REASONS = ("context statistic", "past fact", "no goal cue")
_CLAUSE_BREAK_RE = re.compile(
    r"""; | \b(?:och|samt)\ att\b        # `... och att minst 80% ...` starts a new goal clause
      | \.\s                             # a full stop inside a long sentence span
    """,
    re.VERBOSE,
)
# `öka från 20 till 35 procent`: a baseline and a target, not a range
_FROM_RE = re.compile(r"\bfrån\s*$", re.IGNORECASE)
_UNDECIDED = "undecided"
# in a goal section, these cues show a statement that is not a goal
_VETOES = (
    ("CONTEXT", "context statistic"),
    ("PAST", "past fact"),
    ("COMPOSITION", "composition share"),
)
_ANDELEN_RE = re.compile(r"^\s*andelen\s+|\s+(?:ska|skall)\b.*$", re.IGNORECASE)
# `210 unga har deltagit (mål: 250)`, `..., målet är 250`
_TARGET_GLOSS_RE = re.compile(
    r"[(,;–]\s*(?:[^\W\d_]+\s+){0,4}?([^\W\d_]+)(?:\s+(?:är|var|på|is|was|of))?\s*[:=]?\s*$"
)  # also `, mot målet 110`, `, och målet är 70`, `, vilket är fler än målet på 30`
_GLOSS_OPENERS = frozenset("(,;–")
# `Andelen medarbetare över 55 år är 34 %`: a share stated as a fact (no modal before the number)
_STATED_SHARE_RE = re.compile(
    r"\b(?:andel(?:en)?|the\s+share\s+of)\b(?P<mid>[^,;.]{1,80}?)\s"
    r"(?:är|var|uppgår\s+till|uppgick\s+till|ligger\s+på|låg\s+på|is|was)\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)
_MODAL_IN_RE = re.compile(r"\b(?:ska|skall|bör|kommer\s+att|beräknas|will|should)\b", re.IGNORECASE)
# `minskade antalet industrijobb i Värmland med 4 200`: the size of a past change, a fact
_PAST_CHANGE_RE = re.compile(
    r"\b(?:ökade|minskade|ökat|minskat|sjönk|sjunkit|steg|stigit|växte|vuxit|rose|fell|increased|"
    r"decreased)\b[^.;:]{0,60}\b(?:med|by)\s*$",
    re.IGNORECASE,
)
_AGE_TAIL_RE = re.compile(r"\s+\d+\s*[-–]\s*\d+\s+år\b")  # `ungdomar 16-24 år`


@dataclass
class _Reading:
    """One number in its sentence: what it counts, and the verdict."""

    m: NumberMention
    c: Counted
    unit: Unit = "count"  # final unit (a bare number may inherit `percent`)
    what: str | None = None  # inherited `what` for glosses and subgroups
    kind: GoalKind | None = None  # `target` for a target glossing a result: `(mål: 250)`


@dataclass
class _Context:
    genre: str
    section: str | None
    goal_section: bool
    intro: bool = False
    rejected: list[tuple[float, str | None, int]] = field(default_factory=list)
    trace: list[tuple[NumberMention, str]] = field(default_factory=list)


def _word_before(text: str, pos: int, s: int) -> str:
    m = re.search(r"([^\W\d_][\w.]*)\W*$", text[max(s, pos - 40) : pos])
    return m.group(1).lower() if m else ""


_YEAR_PREP_RE = re.compile(r"\b(?:under|sedan|år|året|in|since|during)\s+$", re.IGNORECASE)


def _is_year(r: _Reading, text: str) -> bool:
    m = r.m
    if m.unit is not None or m.word or not m.value.is_integer() or not 1900 <= m.value <= 2099:
        return False
    if re.search(r"\d\s\d", text[m.start : m.end]):
        return False
    if r.c.cls not in COUNTED:
        return True
    # `Under 2018 arbetade fyra handledare`: a year after its preposition, with no noun right after it
    return bool(_YEAR_PREP_RE.search(text, max(0, m.start - 8), m.start)) and (
        noun_class(_next_word(text, m.end)) is None
    )


def _is_year_range(m: NumberMention, text: str) -> bool:
    """Both ends of a range are years (1900–2099, a few years apart) and no noun follows at once."""
    if (
        m.value_max is None
        or m.unit is not None
        or m.word
        or re.search(r"\d\s\d", text[m.start : m.end])
    ):
        return False
    years = all(v.is_integer() and 1900 <= v <= 2099 for v in (m.value, m.value_max))
    return years and 0 < m.value_max - m.value <= 30 and noun_class(_next_word(text, m.end)) is None


def _next_word(text: str, pos: int) -> str:
    found = words(text, pos, min(len(text), pos + 40), 1)
    return found[0][0] if found else ""


def _org_before(text: str, s: int, pos: int) -> bool:
    return any(noun_class(w) == "org" for w, _, _ in words(text, max(s, pos - 40), pos))


def _form_reason(r: _Reading, text: str, s: int) -> str | None:
    """Why a number is not a quantity at all (checked before any cue)."""
    m, begin = r.m, r.m.qualifier_start or r.m.start
    after, before = text[m.end : m.end + 1], text[s:begin].rstrip()
    window = max(s, begin - 40)
    gloss = (
        _TARGET_GLOSS_RE.search(text, window, begin)
        if _GLOSS_OPENERS & set(text[window:begin])
        else None
    )
    if gloss and gloss.group(1).lower() in read_terms()["goal_heading"]:
        r.kind = "target"
    elif (not before and after in ".)") or (after == ")" and not before.endswith("(")):
        return "list marker"
    if _word_before(text, begin, s) in read_terms()["id_label"]:
        return "label"
    if r.c.next_word and noun_class(r.c.next_word) == "month":
        return "date"
    if _is_year_range(m, text):
        return "year range"  # `mellan 2010 och 2012`, `2018–2019`, even after `ett antal individer`
    if _is_year(r, text):
        return "year"
    if (
        r.c.cls == "time"
        and m.value_max is not None
        and noun_class(_word_before(text, begin, s)) == "person"
    ):
        return "age"  # `unga 16–29 år`
    if r.c.cls in ("time", "money", "age", "month") and not (
        m.unit == "percent" and r.c.cls == "time"
    ):
        return {"time": "duration", "money": "money", "age": "age", "month": "date"}[r.c.cls]
    if m.value_max is not None and m.value == 0:
        return "size class"  # `0-9 anställda`
    if r.c.noun and r.c.noun.lower().endswith("anställda") and _org_before(text, s, m.start):
        return "size class"  # `företag över 50 anställda`
    if m.unit == "percent" and r.c.next_word in read_terms()["gender_word"]:
        return "gender split"  # `40 % kvinnor`, `about 70% women`
    return None


def _goal_reason(
    r: _Reading, text: str, s: int, cues: Cues, ctx: _Context, last: _Reading | None, subsets: bool
) -> str | None:
    """Why a quantity is not a goal here, or None when it is one (may set r.unit / r.what)."""
    r.unit = "percent" if r.m.unit == "percent" else "count"
    if r.kind == "target":
        if last is not None and last.unit == "percent" and r.c.cls is None:
            r.unit = "percent"  # `62 % i arbete (mål: 50)`
        r.what = r.c.noun or (last.what or last.c.noun if last else None)
        return None
    reason = _sequence_reason(r, text, s, cues, last, subsets)
    if reason != _UNDECIDED:
        return reason
    if _PAST_CHANGE_RE.search(text, max(s, r.m.start - 90), r.m.qualifier_start or r.m.start):
        return "relative difference"
    if (
        ctx.genre == "presentation"
        and r.c.cls in ("org", "place")
        and last is None
        and not (cues.has("GOAL") or cues.has("OUTCOME"))
    ):
        return "set-up"  # `Each of the eight regions has ...`; reach after a result stays (`i 200 kommuner`)
    if r.unit == "percent":
        reason = _percent_reason(cues, r, s)
    else:
        if r.c.cls is None and (outcome := read_verb(r.c, text, s, r.m, cues)):
            r.what = outcome  # `Av dem har 40 gått vidare till arbete`
        reason = _count_reason(r, text, s, cues, ctx)
    return reason or _support_reason(r, text, s, cues, ctx)


def _sequence_reason(
    r: _Reading, text: str, s: int, cues: Cues, last: _Reading | None, subsets: bool
) -> str | None:
    """Rules that depend on the goal before it: glosses, inherited units, conditions, subgroups."""
    m, after = r.m, r.m.end - s
    gap = text[last.m.end if last else s : m.qualifier_start or m.start]
    if r.unit == "percent" and text[s : m.start].rstrip().endswith("("):
        # `756 (14% av målgrupperna) deltagare`: a share glossing the count before it
        if last is not None and last.unit == "count" and gap.strip() == "(":
            r.what = last.c.noun
            return None
        return "aside"
    if r.unit == "percent" or last is None or _CLAUSE_BREAK_RE.search(gap):
        return _UNDECIDED
    if last.unit == "percent" and r.c.cls is None and not r.c.marked:
        r.unit = "percent"  # `50 procent till jobb, ytterligare 20 till studier`
        return None
    if last.unit == "percent":
        # `95% ... ska ha fått feedback från minst fem arbetsgivare`, unless a new modal follows
        return _UNDECIDED if cues.has("GOAL", after) else "condition of a goal"
    outcome = r.c.cls is None and cues.has("OUTCOME", after, after + 15)
    if (subsets or outcome) and r.c.cls != "staff":
        # `135 deltagare ... varav c:a 50 utrikes födda`, `Av de 120 deltagarna har 45 fått jobb`
        r.what = r.c.noun or last.c.noun
        return None
    return _UNDECIDED


def _percent_reason(cues: Cues, r: _Reading, s: int) -> str | None:
    rel = (r.m.qualifier_start or r.m.start) - s
    if cues.has("COMPARATIVE", r.m.end - s, r.m.end - s + 12):
        return "relative difference"
    if cues.has("RESOURCE"):
        return "financing or staffing share"
    if any(c.id == "group_share" for c in cues.found) and not cues.has("OUTCOME"):
        return "composition share"  # `Andelen kvinnor bland deltagarna beräknas bli 40 %`
    stated = _STATED_SHARE_RE.search(cues.sentence, max(0, rel - 120), rel)
    if stated and not _MODAL_IN_RE.search(stated.group("mid")) and not cues.has("OUTCOME"):
        return "context statistic"  # `Andelen medarbetare över 55 år är 34 %`
    stat = next((c for c in reversed(cues.found) if c.id == "statistic" and c.end <= rel), None)
    if (
        stat is not None
        and rel - stat.end < 60
        and not cues.has("GOAL", stat.end, rel)
        and not _CLAUSE_BREAK_RE.search(cues.sentence, stat.end, rel)
    ):
        return "context statistic"  # `... where unemployment is 9 %`
    return None


def _count_reason(r: _Reading, text: str, s: int, cues: Cues, ctx: _Context) -> str | None:
    rel = r.m.start - s
    if r.c.cls in ("staff", "population"):
        return "staff" if r.c.cls == "staff" else "context statistic"
    if r.c.cls not in COUNTED and not (r.c.marked or r.c.per):
        return "nothing counted"
    if r.c.cls in ("org", "place") and cues.has("SETUP"):
        return "set-up"
    if r.c.noun and set(r.c.noun.lower().split()) & read_terms()["structure_adjective"]:
        return "project structure"  # `Två huvudsakliga insatser`, `three main strands`
    if (
        r.c.cls == "person"
        and r.c.noun
        and r.c.noun.lower() in read_terms()["employee_noun"]
        and _word_before(text, r.m.qualifier_start or r.m.start, s)
        in read_terms()["possessive_verb"]
        and not cues.has("GOAL")
    ):
        return "staff"  # `The Swedish ESF Council has 120 employees`
    if r.c.noun and " " in r.c.noun and cues.has("COMPARATIVE", r.m.end - s, r.c.noun_end - s):
        return "relative difference"  # `tre gånger fler kvinnor`
    locative = (
        _word_before(text, r.m.qualifier_start or r.m.start, s) in read_terms()["place_preposition"]
    )
    if r.c.cls == "place" and ctx.genre == "project_page" and locative:
        return "set-up"  # `i sju kommuner`: where the project works
    vague = r.c.noun and r.c.noun.lower() in read_terms()["vague_person"]
    if ctx.genre == "presentation" and vague and not (cues.has("GOAL") or cues.has("OUTCOME")):
        return "no result cue"  # `I panelen satt tre personer`
    if r.c.cls == "person" and (_team_before(cues, rel) or cues.has("TEAM", rel - 5, rel + 1)):
        return "set-up"
    return None


def _team_before(cues: Cues, rel: int) -> bool:
    """`Projektgruppen består av tre personer` (not `Projektgruppen ska se till att 300 ...`)."""
    team = next((c for c in reversed(cues.found) if c.label == "TEAM" and c.start < rel), None)
    if team is None:
        return False
    return not any(
        team.end <= c.start < rel and (c.id == "ensure" or c.label in ("PRODUCE", "INTAKE"))
        for c in cues.found
    )


def _support_reason(r: _Reading, text: str, s: int, cues: Cues, ctx: _Context) -> str | None:
    """Does the sentence (or its section) make the number a goal or a reported result?"""
    goal = cues.has("GOAL")
    if ctx.genre == "presentation":
        if cues.has("CONTEXT") and not goal:
            return "context statistic"
        if r.unit == "percent" and (cues.has("COMPOSITION") or not (goal or cues.has("OUTCOME"))):
            return "composition share"
        return None
    if goal or _delivered(r, text, s, cues):
        return None
    if not (ctx.goal_section or ctx.intro):
        return "no goal cue"
    return next((reason for label, reason in _VETOES if cues.has(label)), None)


def _delivered(r: _Reading, text: str, s: int, cues: Cues) -> bool:
    """A planned count without a modal: a passive (`Varje termin tas 25 nya deltagare in`,
    `anordnas 8 jobbmässor`) or the project as subject (`Vi anordnar 15 frukostmöten`)."""
    if r.unit != "count" or r.c.cls not in ("person", "output") or cues.has("PAST"):
        return False
    verbs = [c.id for c in cues.found if c.label in ("INTAKE", "PRODUCE") and c.id != "infinitive"]
    if "passive" in verbs:
        return True
    active = bool(verbs) or verb_before(text, s, r.m.qualifier_start or r.m.start)
    return active and bool(project_subject_re().search(cues.sentence))


def _whom(r: _Reading, text: str, s: int, e: int) -> str | None:
    if r.m.unit == "percent":
        m = whom_re().match(text, r.m.end, e)
        before = re.search(r"\bandelen\s+([^\W\d_]+)", text[s : r.m.start], re.IGNORECASE)
        return m.group(1) if m else before.group(1) if before else None
    if r.c.cls == "person" and r.c.noun and r.c.noun.lower() not in read_terms()["generic_person"]:
        tail = _AGE_TAIL_RE.match(text, r.c.noun_end, e) if r.c.noun_end else None
        return r.c.noun + (tail.group() if tail else "")
    return None


def _what(r: _Reading, whom: str | None, text: str, s: int, stop: int) -> str | None:
    if r.unit != "percent" or r.what:
        return r.what or r.c.noun
    after = whom_re().match(text, r.m.end, stop) if whom else None
    clause = _CLAUSE_BREAK_RE.split(text[after.end() if after else r.m.end : stop])[0]
    what = modal_re().sub("", clause).strip(" ,.:")
    if len(what) < 4:
        what = _ANDELEN_RE.sub("", text[s : r.m.start]).strip(" ,.:")
    return what[:160] or None


def _owned(cues: Cues, label: str, text: str, s: int, lo: int, hi: int) -> str | None:
    """Text of the first cue belonging to the goal at [lo, hi) (offsets within the sentence)."""
    cue = cues.has(label, lo, hi)
    return text[s + cue.start : s + cue.end] if cue else None


def _kind(r: _Reading, cues: Cues, ctx: _Context) -> GoalKind:
    if r.kind:
        return r.kind
    if ctx.genre == "presentation":
        return "reported_result"
    goal_noun = any(c.id == "goal_noun" for c in cues.found)
    return "target" if r.unit == "percent" or goal_noun else "planned_output"


def _goal(
    r: _Reading, text: str, s: int, e: int, cues: Cues, ctx: _Context, zone: tuple[int, int]
) -> Goal:
    m, whom = r.m, _whom(r, text, s, e)
    value, value_max, baseline = m.value, m.value_max, None
    if m.separator == "till" and _FROM_RE.search(text, s, m.qualifier_start or m.start):
        value, value_max, baseline = m.value_max or m.value, None, m.value
    return Goal(
        value=value,
        value_max=value_max,
        unit=r.unit,
        comparator=m.qualifier,
        per=r.c.per or rate_before(text, s, m.qualifier_start or m.start),
        what=_what(r, whom, text, s, s + zone[1]),
        whom=whom,
        kind=_kind(r, cues, ctx),
        baseline=baseline,
        section=ctx.section,
        quote=text[s:e],
        time_condition=_owned(cues, "TIME_CONDITION", text, s, *zone),
        gender_split=_owned(cues, "GENDER_SPLIT", text, s, *zone),
        evidence=Evidence(start=s, end=e),
        value_evidence=Evidence(start=m.start, end=m.end),
    )


def _sentence_goals(
    text: str, s: int, e: int, numbers: list[NumberMention], ctx: _Context
) -> list[Goal]:
    readings, accepted, last, subsets, prev = [], [], None, False, None
    for r in (_Reading(m, read_counted(text, m, s, e)) for m in numbers):
        if reason := _form_reason(r, text, s):
            ctx.trace.append((r.m, reason))
        else:
            readings.append(r)
    cues = Cues(text[s:e])
    for r in readings:
        gap = set(text[prev[0].m.end : r.m.start].lower().split()) if prev else set()
        subsets = subsets or bool(last and read_terms()["subset_marker"] & gap)
        if prev and prev[1] and r.m.unit is None and read_terms()["gloss_marker"] & gap:
            reason = f"gloss of a {prev[1]}"  # `beräknas bli 40 %, vilket motsvarar 60 personer`
        else:
            reason = _goal_reason(r, text, s, cues, ctx, last, subsets)
        ctx.trace.append((r.m, reason or "goal"))
        prev = (r, reason)
        if reason is None:
            accepted.append(r)
            last = r
        elif r.m.unit == "percent" and reason in _BASELINE_REASONS:
            ctx.rejected.append((r.m.value, _whom(r, text, s, e), r.m.start))
    # a cue phrase belongs to the nearest goal before it (or to the first goal)
    starts = [r.m.start - s for r in accepted] + [e - s]
    return [
        _goal(r, text, s, e, cues, ctx, (0 if i == 0 else starts[i], starts[i + 1]))
        for i, r in enumerate(accepted)
    ]


def _table_test(text: str, tables: list[Table]) -> Callable[[int, int], bool]:
    """A test whether the sentence at (s, e) lies in one of the tables or holds a tab."""
    spans = sorted((t.start, t.end or 0) for t in tables if t.start is not None)
    starts, reach = [a for a, _ in spans], list(accumulate((b for _, b in spans), max))

    def in_table(s: int, e: int) -> bool:
        k = bisect_right(starts, s)  # the tables starting at or before s: does one reach past it?
        return (k > 0 and s < reach[k - 1]) or text.find("\t", s, e) != -1

    return in_table


# The densest sentence of the corpus holds 44 numbers. One with hundreds is a table of figures run
# together (`12%12%12%...`): like a table, no goal statement, and skipped before its numbers are read.
_MAX_NUMBERS = 200
_DIGITS_RE = re.compile(r"\d+")


def _dense(text: str, s: int, e: int) -> bool:
    return len(_DIGITS_RE.findall(text, s, e)) > _MAX_NUMBERS


def _between(start: int, end: int, skipped: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of [start, end) outside the skipped spans (sorted, not overlapping)."""
    parts, pos = [], start
    for s, e in skipped:
        parts.append((pos, s))
        pos = e
    return [(a, b) for a, b in (*parts, (pos, end)) if b > a]


def _is_goal_heading(words: str | None) -> bool:
    return bool(words and set(re.findall(r"\w+", words.lower())) & read_terms()["goal_heading"])


def _add_baselines(goals: list[Goal], rejected: list[tuple[float, str | None, int]]) -> None:
    """A rejected share of the same group (`22,8% av målgruppen har ...`) is the baseline."""
    for goal in goals:
        if goal.unit == "percent" and goal.whom and goal.baseline is None:
            same = [
                (abs(pos - goal.evidence.start), v)
                for v, whom, pos in rejected
                if whom and whom.lower() == goal.whom.lower() and v != goal.value
            ]
            goal.baseline = min(same)[1] if same else None


def find_goals(
    text: str,
    start: int = 0,
    end: int | None = None,
    section: str | None = None,
    genre: str = "project_page",
) -> list[Goal]:
    """Quantified goals in ``text[start:end]`` (offsets absolute into ``text``).

    >>> [(g.value, g.unit, g.kind) for g in find_goals("Målet är att 300 deltagare ska få arbete.")]
    [(300.0, 'count', 'target')]
    >>> text = "Minst 80% av deltagarna skall ha arbete 90 dagar efter avslutat deltagande."
    >>> g = find_goals(text)[0]
    >>> g.value, g.whom, g.time_condition
    (80.0, 'av deltagarna', '90 dagar efter avslutat deltagande')
    >>> find_goals("Personalstyrkan består av fyra coacher. Arbetslösheten var 6,5% i mars 2011.")
    []
    """
    return _run(text, start, end, section, genre)[0]


def explain_numbers(
    text: str,
    start: int = 0,
    end: int | None = None,
    section: str | None = None,
    genre: str = "project_page",
) -> list[tuple[NumberMention, str]]:
    """Every number in the span with why it is (`goal`) or is not a goal (`duration`, `staff`, ...).

    >>> [(n.value, why) for n, why in explain_numbers("Personalstyrkan består av fyra coacher.")]
    [(4.0, 'staff')]
    """
    return _run(text, start, end, section, genre)[1].trace


def _run(
    text: str, start: int, end: int | None, section: str | None, genre: str
) -> tuple[list[Goal], _Context]:
    if genre not in GENRES:
        raise ValueError(f"unknown genre {genre!r}; expected one of {GENRES}")
    end = len(text) if end is None else min(end, len(text))
    tables = find_text_tables(text, start, end)
    in_table = _table_test(text, tables)
    ctx, goals = _Context(genre, section, _is_goal_heading(section)), []
    sentences = split_sentences(text, start, end)
    dense = [(s, e) for s, e in sentences if _dense(text, s, e)]
    numbers, i = [n for a, b in _between(start, end, dense) for n in find_numbers(text, a, b)], 0
    for s, e in sentences:
        while i < len(numbers) and numbers[i].start < s:
            i += 1
        j = i
        while j < len(numbers) and numbers[j].end <= e:
            j += 1
        if j > i and not in_table(s, e):
            goals.extend(_sentence_goals(text, s, e, numbers[i:j], ctx))
        if text[e - 1] == ":":
            ctx.intro = _is_goal_heading(text[s:e])
    _add_baselines(goals, ctx.rejected)
    return attach_breakdowns(goals, tables, text), ctx

"""pydantic models: the contract between parsers, checks, storage and users.

Values stay plain (int SEK, ``date``, official SCB codes). Every extracted
value keeps the character span it came from: list items and goals carry their
own ``evidence``; scalar header fields keep theirs in ``Record.evidence`` keyed
by field name. Field descriptions here are the single source for the JSON
Schemas in ``schemas/`` and the Datasette metadata.
"""

from __future__ import annotations

from datetime import date
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

from .fields import FIELDS

Kind = Literal["project_page", "presentation", "report", "call", "unknown"]
Layout = Literal[
    "esf2007", "esf2014", "label_colon", "esfplus", "prose", "kohesio", "talk", "report", "call"
]
Severity = Literal["error", "warning", "info"]
DocFormat = Literal["text", "html", "pdf"]
ListSource = Literal["list", "text"]  # an explicit list on the page, or found in prose
OrgRole = Literal[
    "owner", "co_financier", "partner", "funder", "target_authority", "venue", "mentioned"
]
Unit = Literal["percent", "count"]
Comparator = Literal["at_least", "at_most", "approx", "more_than", "less_than"]
GoalKind = Literal["target", "planned_output", "reported_result"]


class Evidence(BaseModel):
    """Where a value came from: a character span of the normalised text (and page for PDFs)."""

    model_config = ConfigDict(frozen=True)

    start: int = Field(description="Start offset (inclusive) in the document's normalised text.")
    end: int = Field(description="End offset (exclusive) in the document's normalised text.")
    page: int | None = Field(default=None, description="1-based page number (PDF sources only).")


class MunicipalityRef(BaseModel):
    """A municipality named by the document, resolved to its official SCB code."""

    as_written: str = Field(description="The name as written in the source, e.g. `Bergs`.")
    code: str | None = Field(
        default=None,
        description="Four-digit SCB municipality code (kommunkod); null if unresolved.",
    )
    name: str | None = Field(default=None, description="Official SCB short name.")
    county_code: str | None = Field(default=None, description="Two-digit SCB county code.")
    county_name: str | None = Field(default=None, description="County (län) name.")
    nuts2_code: str | None = Field(
        default=None, description="NUTS-2 area of the county, e.g. SE11."
    )
    source: ListSource = Field(
        description="`list`: from an explicit Kommun list; `text`: found in prose."
    )
    evidence: Evidence


class OrganisationRef(BaseModel):
    """An organisation named in a role for the project."""

    name: str = Field(description="Organisation name as written in the source.")
    role: OrgRole = Field(
        description="Role in the project: owner (projektägare), co_financier (medfinansiär), "
        "partner (samarbetspartner), funder, target_authority (the body the participants are registered "
        "with) or venue, the last three read from prose, or mentioned (named in a presentation)."
    )
    source: Literal["header", "list", "text"] = Field(
        description="`header` field, explicit `list`, or found in prose (`text`)."
    )
    evidence: Evidence


class Relation(BaseModel):
    """An organisation in a role to the project, read from a sentence with a cue phrase."""

    name: str = Field(description="Organisation as written in the sentence.")
    role: Literal[
        "owner", "partner", "co_financier", "funder", "target_authority", "venue", "mentioned"
    ] = Field(
        description="Role the sentence gives it: owner, partner, co_financier, funder (the money behind the "
        "project), target_authority (the body the participants are registered with), venue, or mentioned "
        "(named after a cue without a role: a counted kind, a service, a unit of another body)."
    )
    cue: str = Field(description="Id of the cue phrase (data/patterns/relation_cues.jsonl).")
    reason: str = Field(default="", description="Why this role (or why only mentioned).")
    evidence: Evidence = Field(description="Span of the name.")
    sentence: Evidence = Field(description="Span of the sentence: the evidence for the relation.")


class Person(BaseModel):
    """A person named in a presentation (speaker, author) with role and organisation."""

    name: str = Field(description="Full name as written.")
    role: str | None = Field(default=None, description="Role or title as written.")
    organisation: str | None = Field(
        default=None, description="Organisation the person represents."
    )
    email: str | None = Field(default=None, description="E-mail address matched to the person.")
    evidence: Evidence


class Breakdown(BaseModel):
    """One cell of a table that splits a goal (e.g. per year and office)."""

    label: str = Field(description="Row/column labels of the cell, e.g. `2011 / Östersund`.")
    value: float = Field(description="The cell's number.")
    evidence: Evidence | None = None


class Goal(BaseModel):
    """A quantified goal: a target, planned output or reported result (cf. IATI indicator)."""

    value: float = Field(description="The number (lower bound for a range).")
    value_max: float | None = Field(default=None, description="Upper bound of a range (`300–400`).")
    unit: Unit = Field(description="`percent` or `count`.")
    comparator: Comparator | None = Field(
        default=None,
        description="How the value bounds the goal: at_least (`minst`), at_most, approx (`c:a`), "
        "more_than, less_than; null when stated exactly.",
    )
    per: str | None = Field(
        default=None,
        description="Rate period when the count is per period (`månad`, `år`, `vecka`).",
    )
    what: str | None = Field(
        default=None, description="What is counted (`deltagare`, `arbetstillfällen`)."
    )
    whom: str | None = Field(
        default=None,
        description="Of whom (`av deltagarna`, `av målgruppen`, `kvinnor`, `ungdomar 16-24 år`).",
    )
    kind: GoalKind = Field(
        default="target",
        description="target (mål, ska), planned_output (planned counts and activities) or reported_result "
        "(achieved: what a report or write-up says the project reached).",
    )
    baseline: float | None = Field(
        default=None, description="Baseline value when the text states one."
    )
    time_condition: str | None = Field(
        default=None,
        description="When it is measured (`90 dagar efter avslutat deltagande`, `per år`).",
    )
    gender_split: str | None = Field(
        default=None, description="Gender split when stated (`50% i respektive kön`)."
    )
    section: str | None = Field(
        default=None, description="Heading of the section the goal came from."
    )
    source: Literal["text", "header"] = Field(
        default="text",
        description="`text` for prose, `header` for a header field such as planned participants.",
    )
    quote: str = Field(description="The sentence or header lines the goal came from.")
    evidence: Evidence = Field(description="Span of the quote.")
    value_evidence: Evidence | None = Field(default=None, description="Span of the number itself.")
    breakdowns: list[Breakdown] = Field(
        default_factory=list, description="Table cells that split this goal."
    )


class Section(BaseModel):
    """A titled section of a project page (Sammanfattning, Bakgrund, Syfte, Målsättning, ...)."""

    heading: str = Field(description="Section heading as written.")
    text: str = Field(description="Section body text.")
    truncated: bool = Field(
        default=False, description="True when the document is cut off inside this section."
    )
    evidence: Evidence = Field(description="Span of the section body.")


class Link(BaseModel):
    """An e-mail or web address found anywhere in the document."""

    value: str
    evidence: Evidence


class Problem(BaseModel):
    """A data-quality finding about one document: never raised, always reported."""

    code: str = Field(description="Stable dotted code, e.g. `money.grant_exceeds_budget`.")
    severity: Severity = Field(description="error, warning or info.")
    message: str = Field(description="Human-readable explanation.")
    field: str | None = Field(default=None, description="Field the problem concerns.")
    evidence: Evidence | None = None


class Record(BaseModel):
    """Everything extracted from one document."""

    kind: Kind = Field(
        description="Document genre: project_page, presentation (talks and write-ups), report "
        "(final reports, evaluations), call (calls for proposals) or unknown (nothing ESF-related)."
    )
    kind_confidence: float | None = Field(
        default=None,
        ge=0,
        le=1,
        description="How sure the classification is (0-1): the winning "
        "kind's share of the genre evidence.",
    )
    kind_reason: str | None = Field(
        default=None, description="The genre cues that decided the kind, with weights."
    )
    layout: Layout | None = Field(
        default=None, description="Which project-bank layout the page uses."
    )
    title: str | None = Field(default=None, description="Project or presentation title.")
    owner: str | None = Field(default=None, description="Project owner (projektägare) as written.")
    contact_person: str | None = Field(default=None, description="Contact person (kontaktperson).")
    email: str | None = Field(default=None, description="Contact e-mail from the header.")
    phone: str | None = Field(default=None, description="Contact phone number as written.")
    # Bounds keep absurd values out as validation problems instead of failing at storage (SQLite INTEGER).
    esf_grant_sek: int | None = Field(
        default=None, ge=0, le=10**13, description="Granted ESF support (beviljat ESF-stöd), SEK."
    )
    total_budget_sek: int | None = Field(
        default=None, ge=0, le=10**13, description="Total project budget, SEK."
    )
    esf_grant_eur: float | None = Field(
        default=None, ge=0, le=10**12, description="EU contribution in EUR (Kohesio pages)."
    )
    total_budget_eur: float | None = Field(
        default=None, ge=0, le=10**12, description="Total budget in EUR (Kohesio pages)."
    )
    period_start: date | None = Field(default=None, description="Project start date.")
    period_end: date | None = Field(default=None, description="Project end date.")
    region: str | None = Field(
        default=None, description="ESF region as written (`Mellersta Norrland`)."
    )
    region_nuts2: str | None = Field(
        default=None, description="NUTS-2 code of the region (SE11 ... SE33)."
    )
    national: bool = Field(
        default=False, description="True for `ESF Nationellt` (national) projects."
    )
    programme_area: str | None = Field(default=None, description="Programme area as written.")
    programme_area_code: str | None = Field(
        default=None, description="Programme area code (`2`, `1.1`, `A`)."
    )
    programme_area_name: str | None = Field(
        default=None, description="Programme area name, when given."
    )
    phase: str | None = Field(
        default=None, description="Project phase (Förprojektering, Genomförande)."
    )
    diarienummer: str | None = Field(default=None, description="ESF+ case number (`23-101-S05`).")
    project_number: str | None = Field(default=None, description="Project number (`2015/00963`).")
    utlysning: str | None = Field(default=None, description="Call (utlysning) number.")
    fund: str | None = Field(default=None, description="Fund (`ESF+`).")
    specific_goal: str | None = Field(default=None, description="Specific goal (specifikt mål).")
    programme_period: str | None = Field(
        default=None, description="Programme period (`2021-2027`)."
    )
    owner_org_nr: str | None = Field(
        default=None, description="Owner's organisation number (10 digits)."
    )
    nuts2: str | None = Field(default=None, description="NUTS-2 code stated on the page.")
    intervention_type: str | None = Field(default=None, description="Intervention type code.")
    union_cofinancing_rate: float | None = Field(
        default=None, description="Stated Union co-financing rate as a fraction (0.4 for 40%)."
    )
    cofinancing_rate_derived: float | None = Field(
        default=None, description="ESF grant / total budget, derived (fraction)."
    )
    planned_participants: int | None = Field(
        default=None, ge=0, le=10**9, description="Planned number of participants."
    )
    participants: int | None = Field(
        default=None,
        ge=0,
        le=10**9,
        description="Number of participants (`Antal deltagare`), when not stated as planned.",
    )
    document_title: str | None = Field(
        default=None,
        description="A report's or call's own heading, when `title` names the project or call.",
    )
    call_opens: date | None = Field(default=None, description="Call: the day applications open.")
    call_closes: date | None = Field(default=None, description="Call: the day applications close.")
    call_budget_sek: int | None = Field(
        default=None,
        ge=0,
        le=10**13,
        description="Call: the money available (`Utlyst belopp`), SEK.",
    )
    call_cofinancing_rate: float | None = Field(
        default=None,
        ge=0,
        le=1,
        description="Call: required co-financing as a fraction (0.25 for 25%).",
    )
    extra: dict[str, str] = Field(
        default_factory=dict, description="Other header fields as label → value."
    )
    co_financiers: list[OrganisationRef] = Field(default_factory=list)
    partners: list[OrganisationRef] = Field(default_factory=list)
    organisations: list[OrganisationRef] = Field(
        default_factory=list, description="Organisations named in a presentation."
    )
    municipalities: list[MunicipalityRef] = Field(default_factory=list)
    relations: list[Relation] = Field(
        default_factory=list,
        description="Organisations in a role to the project, read from prose sentences.",
    )
    list_source: dict[str, Literal["list", "text"]] = Field(
        default_factory=dict,
        description="Per list (`partners`, `municipalities`): explicit list or prose.",
    )
    sections: list[Section] = Field(default_factory=list)
    goals: list[Goal] = Field(default_factory=list)
    people: list[Person] = Field(default_factory=list)
    emails: list[Link] = Field(default_factory=list)
    urls: list[Link] = Field(default_factory=list)
    dates: list[Link] = Field(default_factory=list, description="Dated events in presentations.")
    tables: list[list[list[str]]] = Field(
        default_factory=list, description="Tables as rows of cells."
    )
    truncated: bool = Field(
        default=False, description="True when the document is cut off mid-text."
    )
    truncated_sections: list[str] = Field(
        default_factory=list,
        description="Expected sections the document is cut off before or inside.",
    )
    evidence: dict[str, Evidence] = Field(
        default_factory=dict, description="Span of each scalar header field, keyed by field name."
    )


# The header fields' uses beyond this model (store columns, reconciled, evaluated, compared …) are
# listed once in `fields.FIELDS`; every row must name a field of Record.
assert not {f.name for f in FIELDS} - set(Record.model_fields), (
    "fields.FIELDS names no Record field"
)


def column_type(name: str) -> type:
    """The SQLite column type (int, float or str) of a Record field, from its annotation."""
    ann = Record.model_fields[name].annotation
    kinds = set(get_args(ann)) or {ann}
    if kinds & {bool, int}:
        return int
    return float if float in kinds else str


class DocumentInfo(BaseModel):
    """A source file as read: path, format, hash and size."""

    path: str
    format: DocFormat
    sha256: str
    encoding: str | None = None
    chars: int
    pages: int = 1


class Extraction(BaseModel):
    """The result of processing one file: the document info, its record and its problems."""

    document: DocumentInfo
    record: Record
    problems: list[Problem] = Field(default_factory=list)


MODELS: dict[str, type[BaseModel]] = {
    "record": Record,
    "extraction": Extraction,
    "problem": Problem,
    "goal": Goal,
}

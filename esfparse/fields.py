"""Where each header field of `models.Record` goes: the one table to extend with a new field.

Kept apart from the pydantic models so that modules needing only the names (the ingest driver the
command line imports at start-up) stay cheap to import.
"""

from __future__ import annotations

from dataclasses import dataclass

# The one list to extend when Record gains a header field: every other list of header fields is
# derived from it — the `project_pages` columns and their order (store), the fields reconciled into
# `projects` (identity), the fields `esfparse eval` scores and the gold file's shape (evaluate,
# gold), the header check and the cross-document comparison (checks), the values a project-page
# header copies as written (parsers). Column types come from the annotation (`models.column_type`).
# Flags: P = a `project_pages` column; R = reconciled across a project's sources; E = evaluated, at
# the top level of a gold file; H = a header value (a page with none came out empty); S = copied as
# written from its header label; C = compared between snapshots of one project.


@dataclass(frozen=True)
class FieldUse:
    """The uses of one Record header field (see the table `FIELDS`)."""

    name: str
    flags: str = ""  # letters of the uses, see above
    column: str | None = None  # the column name when not the field's (`_pct` for rates)
    gold_extra: str | None = None  # its key under the gold file's `extra`
    compared_with: str | None = None  # one value under alternative fields: the first field's name

    @property
    def column_name(self) -> str:
        return self.column or self.name


FIELDS: tuple[FieldUse, ...] = (
    FieldUse("title", "PREC"),
    FieldUse("layout", "PR"),
    FieldUse("owner", "PREHSC"),
    FieldUse("contact_person", "PREHS"),
    FieldUse("email", "PREHS"),
    FieldUse("phone", "PRES"),
    FieldUse("esf_grant_sek", "PREHC"),
    FieldUse("total_budget_sek", "PREHC"),
    FieldUse("esf_grant_eur", "PRHC", gold_extra="eu_contribution_eur"),
    FieldUse("total_budget_eur", "PRHC", gold_extra="total_budget_eur"),
    FieldUse("cofinancing_rate_derived", "PR", column="cofinancing_rate_derived_pct"),
    FieldUse("union_cofinancing_rate", "PRC", column="union_cofinancing_rate_pct"),
    FieldUse("period_start", "PREHC"),
    FieldUse("period_end", "PREHC"),
    FieldUse("region", "PREH"),
    FieldUse("region_nuts2", "PRC"),
    FieldUse("national", "PR"),
    FieldUse("programme_area", "PREH"),
    FieldUse("programme_area_code", "PRC"),
    FieldUse("programme_area_name", "PR"),
    FieldUse("phase", "PREHS"),
    FieldUse("diarienummer", "PRHS", gold_extra="diarienummer"),
    FieldUse("project_number", "PRHS", gold_extra="project_number"),
    FieldUse("utlysning", "PRS", gold_extra="utlysning"),
    FieldUse("fund", "PRHS", gold_extra="fund"),
    FieldUse("specific_goal", "PRS", gold_extra="specific_goal"),
    FieldUse(
        "programme_period", "PHS", gold_extra="programme_period"
    ),  # `projects` derives its own
    FieldUse("owner_org_nr", "PR", gold_extra="owner_org_nr"),
    FieldUse("nuts2", "PRS", gold_extra="nuts2"),
    FieldUse("intervention_type", "PRS", gold_extra="intervention_type"),
    FieldUse("planned_participants", "PRHC", gold_extra="planned_participants"),
    FieldUse(
        "participants",
        "PRHC",
        gold_extra="participants",
        compared_with="planned_participants",  # `Planerat antal deltagare` or `Antal deltagare`
    ),
    FieldUse("document_title", gold_extra="document_title"),
    FieldUse("call_budget_sek", gold_extra="call_budget_sek"),
)
assert len({f.name for f in FIELDS}) == len(FIELDS), "a field listed twice in fields.FIELDS"


def fields_with(flag: str) -> tuple[str, ...]:
    """Names of the FIELDS rows with a use, in table order: `fields_with("E")` the evaluated ones."""
    return tuple(f.name for f in FIELDS if flag in f.flags)

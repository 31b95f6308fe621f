"""Named exceptions and the table of stable problem codes."""

from __future__ import annotations


class EsfparseError(Exception):
    """Base class for errors esfparse reports to the user as one line."""


class DatabaseError(EsfparseError):
    """The database cannot be opened or written (documents already committed are kept)."""


class UnreadableDocument(EsfparseError):
    """A file that cannot be turned into a Document (empty, binary, corrupt, encrypted...)."""

    def __init__(self, path: str, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{path}: {reason}")


# Stable problem codes, like spaCy's E/W tables: code -> (severity, short description).
PROBLEM_CODES: dict[str, tuple[str, str]] = {
    "read.unreadable": ("error", "The file could not be read."),
    "read.encoding_fallback": ("info", "The file was not UTF-8; its encoding was detected."),
    "read.partial": (
        "warning",
        "Part of the file could not be read (a page or its tables were skipped).",
    ),
    "read.misnamed": ("info", "The file's name does not match its content (e.g. HTML named .pdf)."),
    "read.incomplete_end": (
        "warning",
        "The file ends inside a character: the incomplete bytes were dropped.",
    ),
    "read.duplicate": (
        "info",
        "The same bytes as a file stored under another path: stored once, under that path.",
    ),
    "decode.mixed_encoding": (
        "warning",
        "Some lines were not UTF-8 and were read as Windows-1252.",
    ),
    "decode.mojibake_repaired": (
        "warning",
        "UTF-8 once read as a single-byte encoding (Ã¶ for ö) was repaired.",
    ),
    "classify.not_esf": (
        "warning",
        "No sign of ESF material: stored as unknown, nothing extracted.",
    ),
    "parse.unknown_genre": (
        "warning",
        "Nothing ESF-related: no genre cue and no ESF word; entities are kept.",
    ),
    "parse.invalid_field": ("error", "A field failed validation and was dropped."),
    "parse.time_budget": (
        "error",
        "Parsing took longer than the per-document time budget; the file was skipped.",
    ),
    "parse.internal_error": (
        "error",
        "A bug in esfparse stopped this file; rerun with --debug and report it.",
    ),
    "doc.truncated": ("warning", "The document is cut off mid-text."),
    "header.missing_field": (
        "warning",
        "A header field the layout always has is missing (project pages only).",
    ),
    "header.empty": (
        "warning",
        "A project page whose header came out empty: no header field was read.",
    ),
    "money.grant_exceeds_budget": ("error", "ESF grant is larger than the total budget."),
    "money.cofinancing_out_of_range": ("error", "Co-financing rate outside (0, 1]."),
    "money.cofinancing_mismatch": (
        "warning",
        "Grant/budget is over the stated Union rate (beyond rounding) or "
        "more than 10 points under it.",
    ),
    "period.end_before_start": ("error", "Project end date is before its start date."),
    "period.outside_programme": ("warning", "Period does not fit the layout's programme period."),
    "place.unknown_municipality": ("warning", "A listed municipality name resolves to nothing."),
    "place.region_mismatch": ("warning", "Listed municipalities lie outside the stated region."),
    "place.unknown_region": ("warning", "The region label resolves to no NUTS-2 area."),
    "contact.malformed_email": ("warning", "An e-mail address is malformed."),
    "project.conflicting_duplicate": (
        "warning",
        "The same project appears in two files with different values.",
    ),
}

"""The esfparse command line: a thin client of the library.

Heavy imports (spaCy, pdfplumber, sqlite-utils, the parsers) are deferred into
the commands so that `esfparse --help` answers at once.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import click

from .files import SUFFIXES, iter_files  # noqa: F401  (re-exported: esfparse.cli.iter_files)
from .ingest import TIME_BUDGET

MAX_WORKERS = 256


def _shown(path: Any) -> str:
    from .names import shown

    return shown(path)


class FilePath(click.Path):
    """A click.Path that also takes a name as esfparse shows it (``\\xNN`` for a byte that is not UTF-8)."""

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        from .names import existing

        return super().convert(existing(value) if isinstance(value, str) else value, param, ctx)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="esfparse")
@click.option("--debug", is_flag=True, help="Show full tracebacks instead of one-line errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Turn Swedish ESF project pages and presentations into data.

    \b
    Typical session:
      esfparse ingest corpus/ --db esf.db        # build or update a database
      esfparse serve esf.db                      # browse it in Datasette
      esfparse extract corpus/raw/dev04.txt      # one document as JSON
      esfparse eval --gold corpus/gold corpus/raw   # accuracy against gold files
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=FilePath(readable=False))
@click.option(
    "--db",
    "db_path",
    default="esfparse.db",
    show_default=True,
    help="SQLite database to create or update.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, MAX_WORKERS),
    default=None,
    help=f"Parser processes, 1 to {MAX_WORKERS} (default: number of CPU cores).",
)
@click.option(
    "--force", is_flag=True, help="Re-extract documents even when their content is unchanged."
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON on stdout.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option(
    "--time-budget",
    type=click.FloatRange(min=0),
    default=TIME_BUDGET,
    show_default=True,
    metavar="SECONDS",
    help="CPU seconds one document may take; a document over it is reported and skipped (0: no limit).",
)
@click.pass_context
def ingest(
    ctx: click.Context,
    paths: tuple[str, ...],
    db_path: str,
    workers: int | None,
    force: bool,
    as_json: bool,
    quiet: bool,
    time_budget: float,
) -> None:
    """Extract every document under PATHS into the SQLite database --db.

    Folders are read recursively (.txt, .html, .pdf). Each document is stored in
    one transaction keyed by its content hash, so running again is harmless and a
    changed file replaces its old rows. A file that cannot be read, or that takes
    more than --time-budget CPU seconds to parse, costs one line on stderr and a
    row in `problems`; the run goes on.

    Without a terminal (a log file, a pipe) progress is a line every tenth of the
    files or 30 seconds. `--json` lists the files that failed, each with its error.

    \b
    Ctrl-C or SIGTERM commits what is already parsed and stops; running the same
    command again continues where it stopped.

    \b
    Exit codes: 0 all files stored; 1 some files could not be read; 2 bad usage
    (a PATH that does not exist: nothing is written); 130 interrupted (Ctrl-C);
    143 terminated (SIGTERM).
    """
    import signal

    from .errors import EsfparseError
    from .ingest import Interrupted, on_sigterm, run_ingest

    missing = [p for p in paths if not Path(p).exists()]
    if missing:  # checked before any work: nothing is read and no database is created or changed
        raise click.BadParameter(f"{missing[0]}: no such file or directory", param_hint="PATHS")
    notices: list[str] = []
    files = list(iter_files(paths, notices))
    for note in notices:
        click.echo(f"notice: {note}", err=True)
    started = time.time()
    previous = signal.signal(signal.SIGTERM, on_sigterm)
    try:
        summary = run_ingest(
            files,
            db_path,
            workers=workers,
            force=force,
            progress=not quiet and not as_json,
            debug=ctx.obj["debug"],
            paths=[_shown(p) for p in paths],
            time_budget=time_budget or None,
            progressbar=click.progressbar,
        )
    except EsfparseError as exc:  # the database cannot be opened or written: one `Error:` line
        raise click.ClickException(str(exc)) from exc
    except Interrupted as stop:
        click.echo(f"\n{stop}", err=True)
        sys.exit(stop.exit_code)
    finally:
        signal.signal(signal.SIGTERM, previous)
    summary["seconds"] = round(time.time() - started, 2)
    if as_json:
        click.echo(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        click.echo(
            f"{summary['files']} files: {summary['ingested']} stored, {summary['unchanged']} unchanged, "
            f"{summary['failed']} failed ({summary['seconds']} s). "
            f"{summary['projects']} projects, {summary['presentations']} presentations, "
            f"{summary['goals']} goals, {summary['problems']} problems in {db_path}.",
            err=True,
        )
        click.echo(f"Browse it:  esfparse serve {db_path}   (or: datasette {db_path})", err=True)
    sys.exit(1 if summary["failed"] else 0)


@cli.command()
@click.argument("file", type=FilePath(exists=True, dir_okay=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "gold"]),
    default="json",
    show_default=True,
    help="json: the full record with evidence spans; gold: exactly the shape of the gold files.",
)
@click.pass_context
def extract(ctx: click.Context, file: str, fmt: str) -> None:
    """Print one document's extraction as JSON.

    `--format gold` emits the shape of corpus/gold/*.json, so any extraction can
    be compared with a gold file. Exit code 1 when the file cannot be read.
    """
    from .errors import EsfparseError
    from .gold import to_gold
    from .pipeline import extract_file

    try:
        ex = extract_file(file)
    except EsfparseError as exc:
        if ctx.obj["debug"]:
            raise
        raise click.ClickException(str(exc)) from exc
    data = to_gold(ex.record) if fmt == "gold" else ex.model_dump(mode="json")
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@cli.command(name="eval")
@click.option(
    "--gold",
    "gold_dir",
    required=True,
    type=click.Path(exists=True, file_okay=False),
    help="Folder of gold files named after the documents (<stem>.json).",
)
@click.argument("docs", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--json", "as_json", is_flag=True, help="Print scores as JSON.")
@click.option(
    "--misses/--no-misses",
    default=True,
    show_default=True,
    help="List every miss and false positive, grouped by field, with its sentence.",
)
def evaluate_cmd(gold_dir: str, docs: tuple[str, ...], as_json: bool, misses: bool) -> None:
    """Per-field precision, recall and F1 of extractions of DOCS against --gold.

    Every document in DOCS (files or folders) that has a gold file of the same
    stem is extracted and compared; header fields are also micro-averaged.
    """
    from .evaluate import evaluate, format_errors, format_table, gold_for, load_gold
    from .gold import to_gold
    from .pipeline import extract_path

    pairs = []
    for path, error in iter_files(docs):
        gold_path = gold_for(path, Path(gold_dir))
        if error or gold_path is None:
            continue
        extraction, doc = extract_path(path)
        pairs.append((path.name, load_gold(gold_path), to_gold(extraction.record), doc.text))
    if not pairs:
        raise click.ClickException(
            f"no document under {', '.join(docs)} has a gold file in {gold_dir}"
        )
    report = evaluate(pairs)
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(f"{report.documents} documents\n{format_table(report)}")
    if misses:
        errors = format_errors(report)
        click.echo(f"\nerrors by field:\n{errors}" if errors else "\nno misses")


@cli.command()
@click.option(
    "--out",
    "out_dir",
    default="schemas",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder to write the JSON Schemas to.",
)
@click.option("--check", is_flag=True, help="Do not write; exit 1 if the committed schemas differ.")
def schema(out_dir: str, check: bool) -> None:
    """Write JSON Schemas generated from the pydantic models."""
    from .schemas import schema_files

    stale = []
    for name, text in schema_files().items():
        target = Path(out_dir) / name
        if check:
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                stale.append(str(target))
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        click.echo(f"wrote {target}")
    if stale:
        raise click.ClickException(
            f"schemas out of date: {', '.join(stale)} (run `esfparse schema`)"
        )


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=FilePath(readable=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="text for the terminal, markdown to hand on, json for scripts.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "never"]),
    default="error",
    show_default=True,
    help="Lowest severity that makes the exit code non-zero.",
)
@click.pass_context
def validate(ctx: click.Context, paths: tuple[str, ...], fmt: str, fail_on: str) -> None:
    """Check every document under PATHS and report problems per file and per rule.

    Rules have stable codes (e.g. money.grant_exceeds_budget, period.end_before_start,
    place.unknown_municipality, doc.truncated, project.conflicting_duplicate) and a
    severity: error, warning or info. Nothing is written to a database.

    \b
    Exit codes:
      0  no problem at or above --fail-on
      1  at least one problem at or above --fail-on (files that cannot be read are errors)
      2  bad usage
    """
    from .report import exit_code, render, validate_files

    notices: list[str] = []
    report = validate_files(list(iter_files(paths, notices)), debug=ctx.obj["debug"])
    for note in notices:
        click.echo(f"notice: {note}", err=True)
    click.echo(render(report, fmt))
    sys.exit(exit_code(report, fail_on))


@cli.command()
@click.argument("db_path", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Interface to bind (local only by default).",
)
@click.option("--port", default=8001, show_default=True, type=int, help="Port to listen on.")
@click.option("--mutable", is_flag=True, help="Serve the database writable instead of immutable.")
@click.option(
    "--metadata-out",
    type=click.Path(dir_okay=False),
    help="Only write the generated Datasette metadata to this file and exit.",
)
def serve(db_path: str, host: str, port: int, mutable: bool, metadata_out: str | None) -> None:
    """Browse DB_PATH in Datasette: described tables, facets, search, queries and a map.

    The database is served immutable (read-only) on 127.0.0.1 unless asked
    otherwise. Metadata (titles, descriptions, units, facets, canned queries) is
    generated from the models' field descriptions.
    """
    from .serve import run_server, write_metadata

    if metadata_out:
        write_metadata(db_path, metadata_out)
        click.echo(f"wrote {metadata_out}")
        return
    run_server(db_path, host=host, port=port, immutable=not mutable)


@cli.command()
@click.option(
    "--db",
    "db_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False),
    help="An esfparse database made by `esfparse ingest`.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "jsonl", "kohesio-csv", "iati-json"]),
    default="jsonl",
    show_default=True,
    help="csv/jsonl: one row per project; kohesio-csv: the Kohesio portal's project "
    "columns; iati-json: IATI-style activities with organisations, budgets, locations and results.",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="Write to this file instead of stdout."
)
@click.option(
    "--bom/--no-bom",
    default=True,
    show_default=True,
    help="Start CSV with a UTF-8 byte order mark, so that a spreadsheet reads å/ä/ö right.",
)
@click.option(
    "--dialect",
    type=click.Choice(["standard", "swedish"]),
    default="standard",
    show_default=True,
    help="CSV only. standard: comma-separated, decimal point; swedish: semicolon-separated, decimal "
    "comma (what a spreadsheet set to Swedish splits into columns and reads as numbers).",
)
def export(db_path: str, fmt: str, output: str | None, bom: bool, dialect: str) -> None:
    """Export the projects of a database for other tools (Kohesio, IATI, spreadsheets).

    One row per project, however many documents describe it; IDs are the stable projects.id.
    Amounts are plain numbers (no digit grouping; whole numbers without decimals), dates ISO 8601.
    """
    from .export import export_db

    text = export_db(db_path, fmt, bom=bom, dialect=dialect)
    if output:
        Path(output).write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, nl=False)


@cli.command()
@click.argument("file", type=FilePath(exists=True, dir_okay=False))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="HTML file to write (default: FILE.review.html).",
)
@click.pass_context
def review(ctx: click.Context, file: str, output: str | None) -> None:
    """Write one self-contained HTML page showing FILE with every extracted value highlighted.

    Each highlight is labelled with its field; the list of fields beside the text
    links to each span, and problems are shown where they point. The page works
    offline and runs nothing from the document.
    """
    from .errors import EsfparseError
    from .review import write_review

    target = output or f"{file}.review.html"
    try:
        write_review(file, target)
    except EsfparseError as exc:
        if ctx.obj["debug"]:
            raise
        raise click.ClickException(str(exc)) from exc
    click.echo(f"wrote {_shown(target)}")


def main() -> None:
    """Entry point for `python -m esfparse`."""
    cli(obj={})

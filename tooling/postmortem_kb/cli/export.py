"""`postmortem export`: every postmortem normalised, for other tools."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import click

from postmortem_kb.cli.options import format_option, project_from, warn_left_out
from postmortem_kb.errors import UsageError
from postmortem_kb.reports import formats, renderer


@click.command("export")
@format_option(*formats("export"), help="one JSON document, one JSON object a line, or CSV.")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to FILE (atomically) instead of standard output.",
)
@click.option("--schema", is_flag=True, help="Print the export's JSON Schema instead.")
@click.pass_context
def export_command(
    ctx: click.Context, output_format: str, output: Path | None, schema: bool
) -> None:
    """Export every postmortem, normalised, as JSON, NDJSON or CSV.

    Taxonomy terms are canonical (an alias becomes its term), each time is given
    in UTC with the precision it was written in (day, minute, second), and
    durations from the start are in seconds; a value the postmortem does not give
    is null (an empty cell in CSV), never guessed. The site serves the same JSON at
    /api/postmortems.json, and each service's incidents and open action items at
    /api/services/<service>.json. --schema prints the JSON Schema of the export.
    Files with errors are left out.

    \b
    Examples:
      postmortem export > postmortems.json
      postmortem export --format ndjson | jq -c 'select(.severity == "SEV1")'
      postmortem export --format csv --output postmortems.csv
      postmortem export --schema > export.schema.json
    """
    from postmortem_kb.writing import write_atomic

    project = project_from(ctx)
    if schema:
        from postmortem_kb.model.export_shape import export_schema

        text = json.dumps(export_schema(project.schema), indent=2) + "\n"
    else:
        from postmortem_kb.analysis.export import export_document
        from postmortem_kb.collection.load import load_knowledge_base

        kb = load_knowledge_base(project)
        warn_left_out(kb.files_with_errors, " of the export")
        document = export_document(kb.collection, project.root, datetime.now(UTC).date())
        text = renderer("export", output_format)(document)
    if output is None:
        click.echo(text, nl=False)
        return
    if not output.parent.is_dir():
        raise UsageError(f"{output.parent}: no such folder")
    write_atomic(output, text)

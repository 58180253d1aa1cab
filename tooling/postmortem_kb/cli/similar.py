"""`postmortem similar`: past incidents most like one postmortem, to link in `related`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from postmortem_kb.analysis.similarity import SimilarityTarget, similar_incidents
from postmortem_kb.cli.options import project_from, text_or_json_format
from postmortem_kb.collection.index import Collection
from postmortem_kb.errors import UsageError
from postmortem_kb.loading.files import LoadError, load_file
from postmortem_kb.project.repository import Project
from postmortem_kb.validation.checker import Checker


def target_for(project: Project, collection: Collection, what: str) -> SimilarityTarget:
    """A postmortem id, or the path of a file (committed or not, valid or not yet)."""
    path = Path(what)
    if what in collection.by_id and not (path.suffix == ".md" and path.is_file()):
        return SimilarityTarget.from_record(collection.by_id[what])
    if not path.is_file():
        in_folder = project.postmortems_dir / f"{what}.md"
        if what.endswith(".md") or "/" in what or not in_folder.is_file():
            raise UsageError(f"{what}: no postmortem with this id and no such file")
        path = in_folder  # an id whose file has errors: compare what can be read
    loaded = load_file(path, project.root, project.config.max_file_bytes)
    if isinstance(loaded, LoadError):
        # Not even parseable front matter: its words can still find similar incidents.
        try:
            text = path.read_bytes().decode("utf-8", errors="replace")
        except OSError as exc:
            raise UsageError(f"{what}: cannot read: {exc.strerror or exc}") from None
        return SimilarityTarget.from_text(path.stem, text)
    return SimilarityTarget.from_loaded(loaded, project.taxonomy)


@click.command("similar")
@click.argument("target", metavar="ID|FILE")
@click.option(
    "--limit", type=click.IntRange(min=1), default=5, show_default=True, help="Show at most."
)
@text_or_json_format
@click.pass_context
def similar_command(ctx: click.Context, target: str, limit: int, output_format: str) -> None:
    """Find past incidents most similar to a postmortem, to link in its `related`.

    ID|FILE is a postmortem id or a file, which may be uncommitted and may not
    pass `postmortem check` yet: what can be read from it is used. Similarity
    counts shared causes, services and lucky breaks, and how alike the title,
    summary and text are (TF-IDF cosine, shown as "text"). The incident itself
    is never listed.

    \b
    Examples:
      postmortem similar 2019-07-02-cloudflare-waf-regex-cpu-exhaustion
      postmortem similar postmortems/2025-03-14-payments-502.md --limit 10
      postmortem similar draft.md --format json | jq -r '.[].id'
    """
    project = project_from(ctx)
    collection = Collection(Checker(project).check().records, project.taxonomy)
    wanted = target_for(project, collection, target)
    found = similar_incidents(collection, wanted, limit)
    if output_format == "json":
        payload = [
            {
                "id": s.record.id,
                "path": project.display_path(s.record.path),
                "date": s.record.date.isoformat(),
                "severity": s.record.severity,
                "title": s.record.title,
                "score": s.score,
                "text_similarity": s.text_similarity,
                "shared_causes": s.shared_causes,
                "shared_services": s.shared_services,
                "shared_lucky_breaks": s.shared_lucky_breaks,
                "reason": s.reason,
            }
            for s in found
        ]
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    if not found:
        click.echo(f"nothing similar to {wanted.id} among {len(collection)} postmortems")
        return
    for rank, s in enumerate(found, start=1):
        click.echo(f"{rank}. {s.record.id}  {s.record.severity}  score {s.score:.2f}")
        click.echo(f"   {s.record.title}")
        click.echo(f"   {s.reason}")
    click.echo(f"link the ones that are related in the `related:` list of {wanted.id}")

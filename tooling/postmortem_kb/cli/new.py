"""`postmortem new`: start a postmortem from schema/template.md (optionally on its own branch)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import click

from postmortem_kb.analysis.similarity import SimilarityTarget, similar_incidents
from postmortem_kb.authoring import branch as branching
from postmortem_kb.authoring.new import (
    NewPostmortem,
    check_authors,
    check_services,
    check_severity,
    check_started,
    check_title,
    create_postmortem,
    planned_id,
)
from postmortem_kb.cli.options import project_from
from postmortem_kb.collection.load import load_knowledge_base
from postmortem_kb.errors import UsageError
from postmortem_kb.model.kinds import Kind
from postmortem_kb.project.repository import Project

T = TypeVar("T")
SIMILAR_LIMIT = 5


def _asking(check: Callable[[str], T]) -> Callable[[str], T]:
    """Turn a domain check into a prompt check: click shows the message and asks again."""

    def proc(value: str) -> T:
        try:
            return check(value)
        except UsageError as exc:
            raise click.BadParameter(str(exc)) from None

    return proc


@click.command("new")
@click.option("--title", help="What users saw, in one line.")
@click.option("--severity", help="SEV1 (worst) .. SEV4, as the schema lists them.")
@click.option(
    "--started", help="When impact began: ISO 8601 with an offset, e.g. 2025-03-14T09:12:00Z."
)
@click.option(
    "--service",
    "services",
    multiple=True,
    help="An affected service (repeat, or separate with commas).",
)
@click.option(
    "--author", "authors", multiple=True, help="An author, person or team (repeat, or commas)."
)
@click.option(
    "--unique", is_flag=True, help="If the id is taken, add -2, -3, ... instead of failing."
)
@click.option(
    "--branch",
    is_flag=True,
    help="Create and check out branch postmortem/<id> and commit the new file there.",
)
@click.pass_context
def new_command(
    ctx: click.Context,
    title: str | None,
    severity: str | None,
    started: str | None,
    services: tuple[str, ...],
    authors: tuple[str, ...],
    unique: bool,
    branch: bool,
) -> None:
    """Start a postmortem: postmortems/YYYY-MM-DD-slug.md from schema/template.md.

    Asks for the title, severity, start time, services and authors unless given as
    options. The id is the UTC date of the start time and a slug of the title; an
    existing file is never overwritten. Prints the new file and the most similar
    past incidents, to link in `related`.

    \b
    Examples:
      postmortem new
      postmortem new --title "Payments API returns 502 after LB config push" \\
          --severity SEV2 --started 2025-03-14T09:12:00Z \\
          --service payments-api --service edge-lb --author ana --branch
      postmortem new --unique ...     a second incident with the same title and day
    """
    project = project_from(ctx)
    levels = project.shape.severities
    spec = NewPostmortem(
        title=check_title(title)
        if title
        else click.prompt("Title (what users saw)", value_proc=_asking(check_title)),
        severity=(
            check_severity(severity, levels)
            if severity
            else click.prompt(
                f"Severity ({', '.join(levels)})",
                value_proc=_asking(lambda v: check_severity(v, levels)),
            )
        ),
        started=(
            check_started(started)
            if started
            else click.prompt(
                "Started (impact began, with offset, e.g. 2025-03-14T09:12:00Z)",
                value_proc=_asking(check_started),
            )
        ),
        services=(
            check_services(services)
            if services
            else click.prompt("Services (comma-separated)", value_proc=_asking(check_services))
        ),
        authors=(
            check_authors(authors)
            if authors
            else click.prompt("Authors (comma-separated)", value_proc=_asking(check_authors))
        ),
    )
    repo = None
    postmortem_id = None
    if branch:
        repo = branching.open_clean_repo(project.root)
        postmortem_id = planned_id(project, spec, unique)
        branching.ensure_branch_free(repo, branching.branch_name(postmortem_id))
    created = create_postmortem(project, spec, unique=unique, postmortem_id=postmortem_id)
    shown = project.display_path(created.path)
    click.echo(f"created {shown}")
    if repo is not None:
        name = branching.branch_name(created.id)
        sha = branching.commit_on_new_branch(
            repo, name, created.path, f"Add postmortem {created.id}\n\n{spec.title}\n"
        )
        click.echo(f"on new branch {name}, commit {sha[:7]}")
    _show_similar(project, created.id, spec)
    click.echo(
        f"\nNext: fill in {shown}, run 'postmortem check {shown}', "
        + ("push the branch" if branch else "commit it on a branch")
        + " and open a pull request."
    )
    ctx.exit(0)


def _show_similar(project: Project, postmortem_id: str, spec: NewPostmortem) -> None:
    """Past incidents like this one by title and services; the body is still the template."""
    taxonomy = project.taxonomy
    target = SimilarityTarget(
        id=postmortem_id,
        title=spec.title,
        summary="",
        body="",
        services=tuple(taxonomy.canonical_id(Kind.SERVICE, s) for s in spec.services),
    )
    collection = load_knowledge_base(project).collection
    similar = similar_incidents(collection, target, SIMILAR_LIMIT)
    if not similar:
        return
    click.echo("\nSimilar past incidents (name the ones about the same failure in `related`):")
    for incident in similar:
        click.echo(f"  {incident.record.id}  {incident.record.title}")
        click.echo(f"      {incident.reason}")

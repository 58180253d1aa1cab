"""`postmortem new`: start a postmortem from schema/template.md (optionally on its own branch)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from postmortem_kb.analysis.similarity import SimilarityTarget, similar_incidents
from postmortem_kb.authoring import branch as branching
from postmortem_kb.authoring import taxonomy_edit
from postmortem_kb.authoring.new import (
    NewPostmortem,
    UnknownName,
    check_authors,
    check_services,
    check_severity,
    check_started,
    check_terms,
    check_title,
    create_postmortem,
    default_title,
    now_started,
    planned_id,
    resolve_names,
)
from postmortem_kb.cli.options import project_from
from postmortem_kb.collection.load import load_knowledge_base
from postmortem_kb.errors import UsageError
from postmortem_kb.model.kinds import KINDS, Kind
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
    "--started",
    help="When impact began: ISO 8601 with an offset, e.g. 2025-03-14T09:12:00Z "
    "(default: now, with your local offset).",
)
@click.option(
    "--service",
    "services",
    multiple=True,
    help="An affected service (repeat, or separate with commas).",
)
@click.option(
    "--author",
    "authors",
    multiple=True,
    help="An author, person or team (repeat, or separate with commas).",
)
@click.option(
    "--cause", "causes", multiple=True, help="A contributing factor's term (repeat, or commas)."
)
@click.option("--detection", help="How it was found: a detection term, e.g. automated-alert.")
@click.option("--lucky-break", "lucky_breaks", multiple=True, help="A lucky break's term.")
@click.option("--went-well", "went_well", multiple=True, help="A went-well term.")
@click.option(
    "--add-terms",
    is_flag=True,
    help="Add services and terms the taxonomy lacks to schema/taxonomy.yml (for scripts).",
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
    causes: tuple[str, ...],
    detection: str | None,
    lucky_breaks: tuple[str, ...],
    went_well: tuple[str, ...],
    add_terms: bool,
    unique: bool,
    branch: bool,
) -> None:
    """Start a postmortem: postmortems/YYYY-MM-DD-slug.md from schema/template.md.

    Asks for the title, severity, start time, services, authors and causes unless
    given as options (in a script, give them all). The file passes `postmortem check`
    as a draft: times not given are left out, and the template's placeholders
    (<<like this>>) are warnings until the status becomes review. A service or term
    the taxonomy lacks gets a did-you-mean; when asked interactively, `new` offers
    to add it to schema/taxonomy.yml, and --add-terms adds it in scripts. The id is
    the UTC date of the start time and a slug of the title; an existing file is never
    overwritten. Prints the new file and the most similar past incidents.

    \b
    Examples:
      postmortem new
      postmortem new --title "Payments API returns 502 after LB config push" \\
          --severity SEV2 --started 2025-03-14T09:12:00Z --cause config-change \\
          --service payments-api --service edge-lb --author "Ana Lima" --branch
      postmortem new --unique ...     a second incident with the same title and day
    """
    project = project_from(ctx)
    levels = project.shape.severities
    repo = branching.open_clean_repo(project.root) if branch else None
    names = _Names(project, add_terms)
    spec = NewPostmortem(
        title=check_title(title)
        if title
        else _ask("--title", "Title (what users saw)", value_proc=_asking(check_title)),
        severity=(
            check_severity(severity, levels)
            if severity
            else _ask(
                "--severity",
                f"Severity ({', '.join(levels)})",
                value_proc=_asking(lambda v: check_severity(v, levels)),
            )
        ),
        started=(
            check_started(started)
            if started
            else (
                _ask(
                    "--started",
                    "Started (impact began, with offset)",
                    default=now_started(),
                    value_proc=_asking(check_started),
                )
                if _interactive(title, severity, services, authors, causes)
                else now_started()
            )
        ),
        services=names.given_or_asked(
            Kind.SERVICE, services, "Services (comma-separated)", check_services
        ),
        authors=(
            check_authors(authors)
            if authors
            else _ask("--author", "Authors (comma-separated)", value_proc=_asking(check_authors))
        ),
        causes=names.given_or_asked(
            Kind.CAUSE,
            causes,
            "Causes (comma-separated taxonomy ids, e.g. config-change)",
            lambda v: _at_least_one(check_terms(v, "causes"), "cause"),
        ),
        detection=names.given(Kind.DETECTION, (detection,))[0] if detection else None,
        lucky_breaks=names.given(Kind.LUCKY_BREAK, check_terms(lucky_breaks, "lucky breaks")),
        went_well=names.given(Kind.WENT_WELL, check_terms(went_well, "went-well terms")),
    )
    postmortem_id = None
    if repo is not None:
        postmortem_id = planned_id(project, spec, unique)
        branching.ensure_branch_free(repo, branching.branch_name(postmortem_id))
    taxonomy_before = names.taxonomy_bytes() if repo is not None else None
    names.write_additions()
    created = create_postmortem(project, spec, unique=unique, postmortem_id=postmortem_id)
    shown = project.display_path(created.path)
    click.echo(f"created {shown}")
    if repo is not None:
        name = branching.branch_name(created.id)
        sha = branching.commit_on_new_branch(
            repo,
            name,
            [created.path, *names.added_files],
            f"Add postmortem {created.id}\n\n{spec.title}\n",
            before={
                created.path: None,
                **({names.taxonomy_path: taxonomy_before} if names.added_files else {}),
            },
        )
        click.echo(f"on new branch {name}, commit {sha[:7]}")
    _show_similar(project, created.id, spec)
    click.echo(
        f"\nNext: fill in {shown} (replace each <<placeholder>>), run 'postmortem check {shown}', "
        + ("push the branch" if branch else "commit it on a branch")
        + " and open a pull request."
    )
    ctx.exit(0)


def _ask(option: str, text: str, *, confirm: bool = False, **options: Any) -> Any:
    """Ask on the terminal; when standard input ends unanswered (a script, a pipe, CI),
    a usage error that names the option to give instead of click's bare "Aborted!"."""
    try:
        if confirm:
            return click.confirm(text, default=False)
        return click.prompt(text, **options)
    except click.Abort:
        if sys.stdin is not None and sys.stdin.isatty():
            raise  # Ctrl-C at the terminal: the person chose to stop
        raise UsageError(
            f"standard input ended before '{text.strip()}' was answered; in a script, give {option}"
        ) from None


def _interactive(*given: object) -> bool:
    """Whether `new` is asking for anything: then it asks for the start time too."""
    return not all(given)


def _at_least_one(values: tuple[str, ...], what: str) -> tuple[str, ...]:
    if not values:
        raise UsageError(f"name at least one {what} (the schema requires one)")
    return values


class _Names:
    """Services and terms from the command line or a prompt, checked against the taxonomy;
    the ones it lacks are added (asked, or with --add-terms) once the whole spec is known."""

    def __init__(self, project: Project, add_terms: bool) -> None:
        self.project = project
        self.add_terms = add_terms
        self.additions: list[tuple[Kind, str, str, str]] = []
        self.added_files: list[Path] = []

    def _known_later(self, kind: Kind, name: str) -> bool:
        return any(k is kind and n == name for k, n, _, _ in self.additions)

    def given(self, kind: Kind, values: tuple[str, ...]) -> tuple[str, ...]:
        """Names from options: unknown ones are an error with a did-you-mean, or added."""
        canonical, unknown = resolve_names(self.project.taxonomy, kind, values)
        for missing in unknown:
            if self._known_later(kind, missing.name):
                continue
            if not self.add_terms:
                raise UsageError(
                    f"{missing.message()} (schema/taxonomy.yml); pass --add-terms to add it, "
                    f"or add it first: postmortem taxonomy add {kind.value} {missing.name} "
                    "--title ... --description ..."
                )
            self.additions.append(
                (kind, missing.name, default_title(missing.name), _ADDED_DESCRIPTION)
            )
        return canonical

    def given_or_asked(
        self,
        kind: Kind,
        values: tuple[str, ...],
        prompt: str,
        check: Callable[[str | tuple[str, ...]], tuple[str, ...]],
    ) -> tuple[str, ...]:
        """From options if given, else asked, offering to add each unknown name."""
        if values:
            return self.given(kind, check(values))
        while True:
            answer = _ask(KINDS[kind].cli_option or "", prompt, value_proc=_asking(check))
            canonical, unknown = resolve_names(self.project.taxonomy, kind, answer)
            if all(self._offer(kind, missing) for missing in unknown):
                return canonical

    def _offer(self, kind: Kind, missing: UnknownName) -> bool:
        if self._known_later(kind, missing.name):
            return True
        click.echo(missing.message())
        if self.add_terms or _ask(
            "--add-terms",
            f"Add the {KINDS[kind].singular} '{missing.name}' to schema/taxonomy.yml?",
            confirm=True,
        ):
            title = _ask("--add-terms", "  Title", default=default_title(missing.name))
            description = _ask("--add-terms", "  Description (one sentence: when to pick it)")
            self.additions.append((kind, missing.name, title, description))
            return True
        return False

    @property
    def taxonomy_path(self) -> Path:
        """schema/taxonomy.yml, where the additions go."""
        return self.project.schema_dir / "taxonomy.yml"

    def taxonomy_bytes(self) -> bytes:
        """schema/taxonomy.yml as it is before any addition (to put back if a commit fails)."""
        return self.taxonomy_path.read_bytes()

    def write_additions(self) -> None:
        """Add the collected names to schema/taxonomy.yml (one atomic write each)."""
        for kind, name, title, description in self.additions:
            planned = taxonomy_edit.add_term(self.project, kind, name, title, description)
            taxonomy_edit.apply_edit(planned)
            self.project = Project(self.project.root)  # read the taxonomy again
            click.echo(f"{planned.summary} to schema/taxonomy.yml")
            self.added_files = [f.path for f in planned.files]


_ADDED_DESCRIPTION = "Added by postmortem new; say in one sentence when to pick it."


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

"""`postmortem taxonomy list|add|rename|merge|deprecate|lint`: the team's vocabulary.

Each editing command plans the whole edit (authoring.taxonomy_edit), prints it as a
unified diff with --dry-run, and otherwise writes each file atomically. They refuse
on a dirty git working tree unless --allow-dirty, so the edit is one reviewable commit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from postmortem_kb.authoring import taxonomy_edit as edit
from postmortem_kb.authoring.branch import refuse_uncommitted
from postmortem_kb.cli.options import EXIT_FINDINGS, project_from
from postmortem_kb.errors import PostmortemKbError
from postmortem_kb.model.kinds import KINDS, Kind
from postmortem_kb.project.repository import Project

F = TypeVar("F", bound=Callable[..., Any])


def _editing(command: F) -> F:
    command = click.option("--dry-run", is_flag=True, help="Print the diff; change nothing.")(
        command
    )
    return click.option(
        "--allow-dirty", is_flag=True, help="Edit even with uncommitted changes in git."
    )(command)


# The kinds a taxonomy group can hold, from the kind table: a new kind is listed in --help.
_KIND_NAMES = ", ".join(spec.field for spec in KINDS.values() if spec.in_taxonomy)


@click.group("taxonomy")
def taxonomy_command() -> None:
    """The controlled vocabulary in schema/taxonomy.yml: list, add, rename, merge,
    deprecate and lint its terms.

    KIND is one of {kinds} (a singular such as `cause` or `lucky-break` works too).
    rename and merge rewrite every postmortem that names the term; only the changed
    values change in each file.

    \b
    Examples:
      postmortem taxonomy list causes
      postmortem taxonomy add services payments-api --title "Payments API" \\
          --description "Takes card payments." --alias payments
      postmortem taxonomy rename causes config-push config-change --dry-run
      postmortem taxonomy merge causes bad-config config-change
      postmortem taxonomy deprecate causes human-error --replaced-by unsafe-tooling
      postmortem taxonomy lint
    """


taxonomy_command.help = (taxonomy_command.help or "").replace("{kinds}", _KIND_NAMES)


@taxonomy_command.command("list")
@click.argument("kind", required=False)
@click.pass_context
def list_command(ctx: click.Context, kind: str | None) -> None:
    """List the terms of KIND (default: every kind) with their titles and aliases."""
    project = project_from(ctx)
    taxonomy = project.taxonomy
    kinds = [edit.kind_named(kind)] if kind else list(edit.TAXONOMY_KINDS)
    for one in kinds:
        terms = taxonomy.terms.get(one, {})
        click.echo(f"{one.value} ({len(terms)})")
        for term in terms.values():
            aliases = f"  aliases: {', '.join(term.aliases)}" if term.aliases else ""
            deprecated = ""
            if term.deprecated:
                deprecated = "  DEPRECATED" + (
                    f", use {term.replaced_by}" if term.replaced_by else ""
                )
            click.echo(f"  {term.id}  {term.title}{aliases}{deprecated}")
    ctx.exit(0)


@taxonomy_command.command("add")
@click.argument("kind")
@click.argument("term")
@click.option("--title", required=True, help="The term's name for people.")
@click.option("--description", required=True, help="One or two sentences: when to pick it.")
@click.option("--alias", "aliases", multiple=True, help="Another name for it (repeat).")
@_editing
@click.pass_context
def add_command(
    ctx: click.Context,
    kind: str,
    term: str,
    title: str,
    description: str,
    aliases: tuple[str, ...],
    dry_run: bool,
    allow_dirty: bool,
) -> None:
    """Add TERM to KIND's group in schema/taxonomy.yml."""
    project = project_from(ctx)
    planned = edit.add_term(project, edit.kind_named(kind), term, title, description, aliases)
    _finish(ctx, project, planned, dry_run, allow_dirty)


@taxonomy_command.command("rename")
@click.argument("kind")
@click.argument("old")
@click.argument("new")
@_editing
@click.pass_context
def rename_command(
    ctx: click.Context, kind: str, old: str, new: str, dry_run: bool, allow_dirty: bool
) -> None:
    """Rename OLD to NEW; OLD becomes an alias, and every postmortem naming it says NEW."""
    project = project_from(ctx)
    planned = edit.rename_term(project, edit.kind_named(kind), old, new)
    _finish(ctx, project, planned, dry_run, allow_dirty)


@taxonomy_command.command("merge")
@click.argument("kind")
@click.argument("source")
@click.argument("into")
@_editing
@click.pass_context
def merge_command(
    ctx: click.Context, kind: str, source: str, into: str, dry_run: bool, allow_dirty: bool
) -> None:
    """Fold SOURCE into INTO: SOURCE and its aliases become INTO's aliases, and every
    postmortem naming SOURCE says INTO."""
    project = project_from(ctx)
    planned = edit.merge_terms(project, edit.kind_named(kind), source, into)
    _finish(ctx, project, planned, dry_run, allow_dirty)


@taxonomy_command.command("deprecate")
@click.argument("kind")
@click.argument("term")
@click.option("--replaced-by", metavar="TERM", help="The term to use instead.")
@_editing
@click.pass_context
def deprecate_command(
    ctx: click.Context,
    kind: str,
    term: str,
    replaced_by: str | None,
    dry_run: bool,
    allow_dirty: bool,
) -> None:
    """Mark TERM deprecated: postmortems naming it still resolve, with a warning."""
    project = project_from(ctx)
    planned = edit.deprecate_term(project, edit.kind_named(kind), term, replaced_by)
    _finish(ctx, project, planned, dry_run, allow_dirty)


@taxonomy_command.command("lint")
@click.option("--strict", is_flag=True, help="Fail (exit 1) on unused terms too.")
@click.pass_context
def lint_command(ctx: click.Context, strict: bool) -> None:
    """Terms no postmortem uses, terms spelled almost alike, alias collisions and aliases
    that are terms. Exit 1 when there is any but unused terms (a starter list is mostly
    unused at first); with --strict, unused terms fail too."""
    project = project_from(ctx)
    used: dict[Kind, set[str]] | None
    try:
        from postmortem_kb.collection.load import load_knowledge_base

        collection = load_knowledge_base(project).collection
        used = {kind: set(collection.terms_used(kind)) for kind in edit.TAXONOMY_KINDS}
    except PostmortemKbError:
        used = None  # the taxonomy itself does not load: lint says why, term by term
    findings = edit.lint_taxonomy(project, used)
    for finding in findings:
        click.echo(f"schema/taxonomy.yml: {finding.kind.value}.{finding.term}: {finding.message}")
    unused = sum(1 for finding in findings if finding.code == "unused")
    failing = len(findings) if strict else len(findings) - unused
    summary = f"{len(findings)} finding{'s' if len(findings) != 1 else ''}"
    if unused:
        summary += f" ({unused} unused term{'s' if unused != 1 else ''})"
    click.echo(summary)
    ctx.exit(EXIT_FINDINGS if failing else 0)


def _finish(
    ctx: click.Context,
    project: Project,
    planned: edit.TaxonomyEdit,
    dry_run: bool,
    allow_dirty: bool,
) -> None:
    if dry_run:
        click.echo(planned.diff(), nl=False)
        click.echo(f"would have {planned.summary}; {_files(planned)}")
        ctx.exit(0)
    if not allow_dirty:
        refuse_uncommitted(
            project.root,
            "taxonomy edits",
            "commit or stash them first so the taxonomy edit is a commit of its own, or pass "
            "--allow-dirty (also to finish an edit that was interrupted: the files it wrote "
            "are uncommitted)",
        )
    edit.apply_edit(planned)
    click.echo(f"{planned.summary}; {_files(planned)}")
    ctx.exit(0)


def _files(planned: edit.TaxonomyEdit) -> str:
    count = len(planned.postmortems)
    taxonomy = len(planned.files) - count
    parts = ["schema/taxonomy.yml"] if taxonomy else []
    if planned.rewrites_postmortems:
        parts.append(f"{count} postmortem{'s' if count != 1 else ''} rewritten")
    return ", ".join(parts)

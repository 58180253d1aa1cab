"""`postmortem init [DIR]`: start a knowledge base; `--upgrade`: bring the tool's files up to date."""

from __future__ import annotations

from pathlib import Path

import click

from postmortem_kb import __version__
from postmortem_kb.authoring.starter import (
    LOCK_FILE,
    apply_upgrade,
    init_knowledge_base,
    plan_upgrade,
)
from postmortem_kb.errors import UsageError


@click.command("init")
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--example", is_flag=True, help="Add one sample postmortem (and its service).")
@click.option(
    "--upgrade",
    is_flag=True,
    help="Update the schema, template and workflow to this version's (shows the diff).",
)
@click.option("--dry-run", is_flag=True, help="With --upgrade: show the diff, change nothing.")
@click.option(
    "--force", is_flag=True, help="With --upgrade: replace files you edited since init, too."
)
@click.pass_context
def init_command(
    ctx: click.Context,
    folder: Path | None,
    example: bool,
    upgrade: bool,
    dry_run: bool,
    force: bool,
) -> None:
    """Create a postmortem knowledge base in FOLDER (default: here).

    Writes postmortems/, schema/ (the JSON Schema, a starter taxonomy, config.yml,
    template.md, blameless.yml), mkdocs.yml, site/index.md, the CI workflow, a pull
    request template, a pre-commit config, .gitignore and a README. Runs `git init`
    when FOLDER is not in a repository. An existing file is never overwritten: it is
    listed and left alone.

    With --upgrade, updates only the tool's own files (the JSON Schema, the template
    and the workflow) to this version's, printing the difference; the taxonomy,
    config.yml and the postmortems are never touched.

    \b
    Examples:
      postmortem init our-postmortems
      postmortem init --example
      postmortem init --upgrade --dry-run
    """
    root = (folder or Path.cwd()).absolute()
    if not upgrade:
        if dry_run or force:
            raise UsageError("--dry-run and --force only apply with --upgrade")
        _init(root, example)
    else:
        if example:
            raise UsageError("--example does not apply with --upgrade")
        _upgrade(root, dry_run, force)
    ctx.exit(0)


def _init(root: Path, example: bool) -> None:
    result = init_knowledge_base(root, example=example)
    shown = _shown(root)
    if result.git_initialized:
        click.echo(f"initialized an empty git repository in {shown}")
    for name in result.written:
        click.echo(f"created {name}")
    if result.kept:
        click.echo("left alone (they exist already): " + ", ".join(result.kept))
    cd = f"cd {shown} && " if shown != "." else ""
    click.echo(
        f"\nA knowledge base for postmortem-kb {__version__}. Next:\n"
        f"  {cd}postmortem taxonomy add services YOUR-SERVICE --title ... --description ...\n"
        '  postmortem new --title "..." --severity SEV3 --service YOUR-SERVICE\n'
        "  postmortem check && mkdocs build --strict\n"
        'then commit, push to GitHub and set Pages\' source to "GitHub Actions".'
    )


def _upgrade(root: Path, dry_run: bool, force: bool) -> None:
    plan = plan_upgrade(root)
    if plan is None:
        raise UsageError(
            f"{root / LOCK_FILE} does not exist: this knowledge base was not made by "
            "'postmortem init', so there is nothing to compare with; compare schema/ with a "
            "fresh 'postmortem init' in an empty folder"
        )
    if not plan.pending:
        click.echo(f"up to date with postmortem-kb {__version__} (made with {plan.made_with})")
        return
    for upgrade in plan.files:
        click.echo(upgrade.diff(), nl=False)
    if dry_run:
        click.echo(f"\n{len(plan.files)} file(s) would change; run without --dry-run to apply")
        return
    result = apply_upgrade(plan, force=force)
    for name in result.updated:
        click.echo(f"updated {name}")
    for name in result.left_edited:
        click.echo(
            f"left {name} as it is: it was edited since init; apply the diff above by hand "
            "or rerun with --force"
        )
    for note in result.notes:
        click.echo(f"note: {note}")


def _shown(root: Path) -> str:
    try:
        return root.relative_to(Path.cwd().absolute()).as_posix() or "."
    except ValueError:
        return str(root)

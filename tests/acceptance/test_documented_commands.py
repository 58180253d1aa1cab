"""Every `postmortem` command the README and the site's guide show, run as a reader would.

Each command is read out of the documents' fenced code blocks (postmortem_testkit.docs)
and run as a real subprocess of the installed console script, in a temporary
knowledge base that `postmortem init` made. SCENARIOS says, for each documented
command, what the knowledge base holds when it runs, the exit code the documents
give it and where the documents' own example output cannot be reproduced literally.
A documented command with no step here fails the test (add one); so does a step
whose command the documents no longer show.

What is substituted, and why (nothing else is):

- This repository's examples: where the README says its output is "real, from this
  repository" (search, patterns, similar, the pull request walk-through), the
  knowledge base also holds this repository's postmortems/ and its
  schema/taxonomy.yml (the starter taxonomy plus the services and the two causes
  those examples use), so the ids the README names exist as they are.
- Answers on standard input: the guide's `postmortem new --title ...` asks for the
  rest; the step types the answers a reader would.
- Files the example output is about: the README's `check` examples show findings
  on files of its own (a broken postmortem, hostile files); the steps write them.
- Between two documented commands, what the document says happens in prose or with
  another program: "the author fills in the file", `zensical build`.
- Shown lines that differ on every run (a commit's sha, the merge base) are named
  in the step and not compared; every other line the documents show after a
  command must be in what it prints.
- A command piped into another program (`| jq ...`) runs without the pipe: its exit
  code and the absence of a traceback are checked, not the lines shown, which are
  the other program's (jq need not be installed where the tests run).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from postmortem_testkit import REPO_ROOT, fill_placeholders
from postmortem_testkit.docs import DocumentedCommand, documented_commands
from postmortem_testkit.git import git

DOCUMENTS = [
    "README.md",
    # The README `postmortem init` writes into every knowledge base.
    "tooling/postmortem_kb/starter/README.md",
    *sorted(p.relative_to(REPO_ROOT).as_posix() for p in (REPO_ROOT / "site/guide").glob("*.md")),
]
ZENSICAL = Path(sys.executable).with_name("zensical")
KB = "kb"  # the knowledge base's folder inside a scenario's temporary folder


def key(command: DocumentedCommand) -> str:
    """The command as documented, without its trailing `# comment`."""
    return re.sub(r"\s+#\s.*$", "", command.text)


Prepare = Callable[[Path], None]


@dataclass(frozen=True)
class Step:
    """One documented command: how it is run and what it must do."""

    command: str  # as the document shows it (key()), `postmortem ...`
    exit_code: int  # the one the document gives it
    cwd: str = KB  # relative to the scenario's folder
    stdin: str | None = None
    before: Prepare | None = None  # what happens in between, run in the knowledge base
    unchecked: tuple[str, ...] = ()  # starts of shown lines that differ on every run
    # A file the command writes, which the document then shows with `$ cat FILE`.
    writes: str | None = None


@dataclass(frozen=True)
class Scenario:
    """Commands that run one after the other in one knowledge base."""

    setup: Prepare  # gets the scenario's folder; makes kb/ in it (or not)
    steps: tuple[Step, ...] = field(default_factory=tuple)


# --- knowledge bases ---------------------------------------------------------------------


def _postmortem(
    *args: str | Path, cwd: Path, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(Path(sys.executable).with_name("postmortem")), *map(str, args)],
        cwd=cwd,
        input=stdin or "",  # never the terminal: a command that asks must not wait
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "COLUMNS": "200"},
    )


def nothing(folder: Path) -> None:
    """An empty folder: the README's first block runs `postmortem init` itself."""


def team(folder: Path) -> None:
    """A knowledge base as `postmortem init` makes it (starter taxonomy, no services)."""
    made = _postmortem("init", KB, cwd=folder)
    assert made.returncode == 0, made.stdout + made.stderr


def this_repository(folder: Path) -> None:
    """`postmortem init`, then this repository's example postmortems and their taxonomy."""
    team(folder)
    kb = folder / KB
    for path in sorted((REPO_ROOT / "postmortems").glob("*.md")):
        shutil.copyfile(path, kb / "postmortems" / path.name)
    shutil.copyfile(REPO_ROOT / "schema/taxonomy.yml", kb / "schema/taxonomy.yml")


def pull_request_base(folder: Path) -> None:
    """this_repository() committed on main and pushed to an origin: a clone ready for a PR."""
    this_repository(folder)
    kb = folder / KB
    origin = folder / "origin.git"
    git(folder, "init", "-q", "--bare", "-b", "main", str(origin))
    git(kb, "checkout", "-q", "-b", "main")
    git(kb, "add", "-A")
    git(kb, "commit", "-q", "-m", "Our postmortems")
    git(kb, "remote", "add", "origin", str(origin))
    git(kb, "push", "-q", "-u", "origin", "main")


BROKEN = """\
---
title: Payments API returns 502 after load balancer config push
status: published
severity: SEV2
started: 2025-03-14T09:12:00Z
detected: 2025-03-14T09:20:00Z
mitigated: 2025-03-14T09:11:00Z
resolved: 2025-03-14T11:05:00Z
authors: [ana]
services: [payments-api]
summary: The payments API returned 502 for 22 minutes after a load balancer config push.
causes:
  - term: dns-failure
    detail: Resolvers timed out.
  - bad-config
---
## Summary

The payments API returned 502 for 22 minutes.

## Impact

About 4% of card payments failed.

## Timeline

- 09:12 the push reaches every load balancer

## Contributing factors

The push skipped the canary stage.

## Action items

None yet.
"""


IMPORT_FIXTURES = REPO_ROOT / "tests/authoring/fixtures/import"


def postmortems_elsewhere(folder: Path) -> None:
    """Moving existing postmortems in: the fixtures beside the knowledge base to be made,
    as a team's clone of icco/postmortems and its incident tool's export would be."""
    shutil.copytree(IMPORT_FIXTURES / "icco", folder / "icco-data")
    for name in ("incidents.csv", "incident-tool.yml"):
        shutil.copyfile(IMPORT_FIXTURES / "csv" / name, folder / name)


def broken_postmortem(folder: Path) -> None:
    """The README's first `check` example: one postmortem with two errors and a warning."""
    team(folder)
    kb = folder / KB
    added = _postmortem(
        "taxonomy",
        "add",
        "services",
        "payments-api",
        "--title",
        "Payments API",
        "--description",
        "Takes payments.",
        cwd=kb,
    )
    assert added.returncode == 0, added.stderr
    (kb / "postmortems/2025-03-14-payments-502.md").write_text(BROKEN, encoding="utf-8")


def hostile_files(folder: Path) -> None:
    """The README's second `check` example: files the loader refuses, each located."""
    team(folder)
    posts = folder / KB / "postmortems"
    (posts / "2024-07-20-deep.md").write_text(
        "---\ntitle: A very long number\nstatus: draft\naction_items: " + "9" * 4301 + "\n---\n",
        encoding="utf-8",
    )
    (posts / "2025-04-03-loop.md").symlink_to("2025-04-03-loop.md")
    os.mkfifo(posts / "2025-04-04-fifo.md")
    (posts / "2025-04-05-passwd.md").symlink_to("/etc/passwd")


def javascript_link(folder: Path) -> None:
    """The Safety section's `check`: this repository with a `javascript:` link planted."""
    this_repository(folder)
    path = folder / KB / "postmortems/2021-06-08-fastly-config-triggered-global-outage.md"
    text = path.read_text(encoding="utf-8")
    planted = text.replace(
        "    link: https://tracker.example.com/EDGE-5120\n",
        "    link: javascript:alert(document.cookie)\n",
    )
    assert planted != text
    path.write_text(planted, encoding="utf-8")


HOSTILE_KEY = (
    '"<img src=\\"https://evil.example/p.png\\"> @octocat [link](https://evil.example/x)|": 1'
)


def hostile_key_on_a_branch(folder: Path) -> None:
    """The Safety section's `review`: a draft whose first key tries to inject Markdown."""
    team(folder)
    kb = folder / KB
    git(kb, "add", "-A")
    git(kb, "commit", "-q", "-m", "An empty knowledge base")
    git(kb, "checkout", "-q", "-b", "postmortem/edge-outage")
    (kb / "postmortems/2025-05-01-edge-outage.md").write_text(
        f"---\n{HOSTILE_KEY}\ntitle: Edge outage after a config push\nstatus: draft\n"
        "severity: SEV2\nstarted: 2025-05-01T10:00:00Z\nauthors: [ana]\n"
        "services: [edge]\ncauses: [config-change]\n---\n## Summary\n\nDraft.\n",
        encoding="utf-8",
    )
    git(kb, "add", "-A")
    git(kb, "commit", "-q", "-m", "Add a draft")


BLAMING_LINE = "The on-call engineer failed to stop the rollout when edge CPU rose."


def author_fills_in_the_new_file(kb: Path) -> None:
    """ "Fill it in": every placeholder replaced, and one sentence that blames a person."""
    (path,) = (kb / "postmortems").glob("2025-11-04-*.md")
    text = fill_placeholders(path.read_text(encoding="utf-8"))
    text = text.replace(
        "\nlucky_breaks: []",
        "\nlucky_breaks:\n  - term: off-peak-timing\n    detail: The push went out at 14:05 UTC.",
        1,
    )
    text = text.replace(
        "## Contributing factors\n", f"## Contributing factors\n\n{BLAMING_LINE}\n", 1
    )
    path.write_text(text, encoding="utf-8")


def author_rewrites_the_blaming_line(kb: Path) -> None:
    """The README: 'Rewritten as "Nothing stopped the push ...", the check is clean.'"""
    (path,) = (kb / "postmortems").glob("2025-11-04-*.md")
    rewritten = "Nothing stopped the push when edge CPU rose: the rollout had no health gate."
    path.write_text(
        path.read_text(encoding="utf-8").replace(BLAMING_LINE, rewritten), encoding="utf-8"
    )


def zensical_build(kb: Path) -> None:
    """The line between the two documented commands of the Zensical block."""
    built = subprocess.run(
        [str(ZENSICAL), "build"], cwd=kb, capture_output=True, text=True, timeout=600, check=False
    )
    assert built.returncode == 0, built.stdout + built.stderr


# --- what the documents show -------------------------------------------------------------

START_NEW = (
    'postmortem new --title "Checkout API returns 500 errors" --severity SEV2 '
    '--started 2026-02-03T10:00:00+01:00 --service checkout-api --author "Ana Lima" '
    "--cause config-change"
)

SCENARIOS: dict[str, Scenario] = {
    "start a knowledge base": Scenario(
        nothing,
        (
            Step("postmortem init our-postmortems", 0, cwd="."),
            Step(START_NEW, 2, cwd="our-postmortems"),
            Step(START_NEW + " --add-terms", 0, cwd="our-postmortems"),
            Step("postmortem check", 0, cwd="our-postmortems"),
        ),
    ),
    "moving existing postmortems in": Scenario(
        postmortems_elsewhere,
        (
            Step("postmortem init kb", 0, cwd="."),
            # One input has no date and one is broken: those fail, so each run exits 1.
            Step("postmortem import frontmatter ../icco-data --map icco-postmortems --dry-run", 1),
            Step(
                "postmortem import frontmatter ../icco-data --map icco-postmortems --add-terms", 1
            ),
            Step(
                "postmortem import csv ../incidents.csv --map ../incident-tool.yml --add-terms", 1
            ),
            Step("postmortem check --strict", 0),
            Step("postmortem import frontmatter ../icco-data --map icco-postmortems", 1),
        ),
    ),
    "check finds errors": Scenario(broken_postmortem, (Step("postmortem check", 1),)),
    "check refuses hostile files": Scenario(hostile_files, (Step("postmortem check", 1),)),
    "search, patterns and similar": Scenario(
        this_repository,
        (
            Step("postmortem search leap second", 0),
            Step("postmortem search --cause bad-config --severity SEV1", 0),
            Step("postmortem search --cause dns-failure", 2),
            Step("postmortem search bgp --format json --limit 1", 0),
            Step("postmortem patterns --since 2020-01-01", 0),
            Step("postmortem stats --by severity --since 2019-01-01 --as-of 2025-06-01", 0),
            Step("postmortem stats --format json | jq -c '.overall.durations.time_to_resolve'", 0),
            Step(
                "postmortem export --format ndjson | head -1 | jq "
                "'{id, times: .times.started, durations}'",
                0,
            ),
            Step("postmortem similar 2019-07-02-cloudflare-waf-regex-cpu-exhaustion --limit 3", 0),
        ),
    ),
    "the site with Zensical": Scenario(
        this_repository,
        (
            Step("postmortem site generate", 0),
            Step("postmortem site index build/site", 0, before=zensical_build),
        ),
    ),
    "a postmortem pull request": Scenario(
        pull_request_base,
        (
            Step(
                'postmortem new --title "Edge proxy returns 502 after WAF rule push" '
                "--severity SEV2 --started 2025-11-04T14:05:00Z "
                "--service cloudflare-waf,cloudflare-edge-proxy --author ana "
                "--cause config-change,deploy-without-staged-rollout --branch",
                0,
                unchecked=(
                    "on new branch postmortem/2025-11-04-edge-proxy-returns-502-after-waf-rule-push, commit ",
                ),
            ),
            Step("postmortem check --changed", 0, before=author_fills_in_the_new_file),
            Step(
                "postmortem review --base origin/main --output review.md",
                0,
                before=author_rewrites_the_blaming_line,
                writes="review.md",
                unchecked=("Compared with `origin/main` (merge base ",),
            ),
        ),
    ),
    "the guide starts a postmortem": Scenario(
        team,
        (
            Step(
                'postmortem new --title "Payments API returns 502 after load balancer config push"',
                0,
                # Severity, start time, services (payments-api is new: add it), authors, causes.
                stdin="SEV2\n2025-03-14T09:12:00Z\npayments-api\ny\nPayments API\nTakes card payments.\nana\nconfig-change\n",
            ),
        ),
    ),
    # The Safety section's examples (placed here: the README shows them after the ones above).
    "check refuses a javascript link": Scenario(javascript_link, (Step("postmortem check", 1),)),
    "review escapes a hostile key": Scenario(
        hostile_key_on_a_branch, (Step("postmortem review --base main", 0),)
    ),
    "the knowledge base's own README": Scenario(
        team,
        (
            Step(
                "postmortem new",
                0,
                # Every answer typed; search-api is new (payments-api is added next).
                stdin="Search returns no results\nSEV3\n2026-01-05T08:30:00Z\nsearch-api\ny\n"
                "Search API\nFinds products.\nana\nlatent-bug\n",
            ),
            Step("postmortem check", 0),
            Step("postmortem taxonomy list", 0),
            Step(
                'postmortem taxonomy add services payments-api --title "Payments API" '
                '--description "Takes payments."',
                0,
            ),
        ),
    ),
}


def assignments() -> tuple[dict[tuple[str, int], DocumentedCommand], list[DocumentedCommand]]:
    """Each step's documented command, and the documented commands no step runs.

    A command shown more than once (`postmortem check`) is taken by the steps in the
    order SCENARIOS lists them, its showings in the order the documents have them.
    """
    waiting: dict[str, list[DocumentedCommand]] = {}
    for command in documented_commands(REPO_ROOT, DOCUMENTS):
        waiting.setdefault(key(command), []).append(command)
    taken: dict[tuple[str, int], DocumentedCommand] = {}
    for name, scenario in SCENARIOS.items():
        for index, step in enumerate(scenario.steps):
            if waiting.get(step.command):
                taken[name, index] = waiting[step.command].pop(0)
    return taken, [command for left in waiting.values() for command in left]


def test_every_documented_command_has_a_step_and_every_step_a_command() -> None:
    taken, left = assignments()
    assert len(taken) + len(left) >= 15, "the extractor finds the documents' commands"
    assert not left, (
        "documented commands that no test runs; add a Step to SCENARIOS:\n"
        + "\n".join(f"{c.where}: {key(c)}" for c in left)
    )
    stale = [
        step.command
        for name, scenario in SCENARIOS.items()
        for index, step in enumerate(scenario.steps)
        if (name, index) not in taken
    ]
    assert not stale, f"steps for commands the documents do not show: {stale}"


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_the_documented_command_does_what_the_documents_show(name: str, tmp_path: Path) -> None:
    scenario = SCENARIOS[name]
    taken, _ = assignments()
    scenario.setup(tmp_path)
    for index, step in enumerate(scenario.steps):
        command = taken.get((name, index))
        assert command is not None, f"the documents do not show {step.command}"
        if step.before is not None:
            step.before(tmp_path / KB)
        done = _postmortem(*command.argv(), cwd=tmp_path / step.cwd, stdin=step.stdin)
        printed = done.stdout + done.stderr
        where = f"{command.where}: {command.text}\n{printed}"
        assert "Traceback" not in printed, where
        assert done.returncode == step.exit_code, where
        lines = {line.rstrip() for line in printed.splitlines()}
        for shown in () if command.piped else command.shown_output:
            if shown.strip() in ("", "...") or shown.startswith(step.unchecked or ("\0",)):
                continue
            assert shown in lines or _elided_match(shown, lines), (
                f"{command.where} shows a line it does not print:\n{shown}\n--- it printed:\n{printed}"
            )
        if step.writes is not None:
            _assert_shows_the_file(command, step, tmp_path / step.cwd / step.writes)


def _elided_match(shown: str, lines: set[str]) -> bool:
    """A shown line that leaves part out (" ... ") matches a printed line with anything there."""
    if " ... " not in shown:
        return False
    pattern = re.compile(".*".join(re.escape(part) for part in shown.split(" ... ")))
    return any(pattern.fullmatch(line) for line in lines)


def _assert_shows_the_file(command: DocumentedCommand, step: Step, path: Path) -> None:
    """The document's `$ cat FILE` after ``command`` shows lines that FILE holds."""
    (cat,) = [
        c
        for c in documented_commands(REPO_ROOT, [command.document], program="cat")
        if c.argv() == [step.writes] and c.line > command.line
    ][:1]
    written = {line.rstrip() for line in path.read_text(encoding="utf-8").splitlines()}
    shown = [s for s in cat.shown_output if s.strip() not in ("", "...")]
    assert len(shown) >= 5, f"{cat.where} shows {step.writes}"
    for line in shown:
        if not line.startswith(step.unchecked):
            assert line in written, (
                f"{cat.where} shows a line {step.writes} does not hold:\n{line}\n"
                + path.read_text(encoding="utf-8")
            )

"""The whole path a new team takes, from the built wheel in a fresh virtual environment.

No editable install and no source folder: the wheel is built, installed into a new
venv in a temporary folder outside the source tree, and every command runs from
there, in a knowledge base that `postmortem init` made.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from postmortem_testkit import REPO_ROOT


def _run(args: list[str], cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(
        args,
        cwd=cwd,
        input=stdin or "",  # never the terminal: a command that asks must not wait
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
        check=False,
    )


@pytest.fixture(scope="module")
def venv_bin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    built = _run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            "-w",
            str(work / "dist"),
            str(REPO_ROOT),
        ],
        work,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = (work / "dist").glob("postmortem_kb-*.whl")
    venv = work / "venv"
    assert _run([sys.executable, "-m", "venv", str(venv)], work).returncode == 0
    installed = _run([str(venv / "bin/python"), "-m", "pip", "install", "-q", str(wheel)], work)
    assert installed.returncode == 0, installed.stderr
    return venv / "bin"


def _files(kb: Path) -> dict[str, bytes]:
    """Every file of the knowledge base but git's, the build and the search cache."""
    skip = (".git/", "build/", ".postmortem-cache/")
    return {
        p.relative_to(kb).as_posix(): p.read_bytes()
        for p in sorted(kb.rglob("*"))
        if p.is_file() and not p.relative_to(kb).as_posix().startswith(skip)
    }


def _changed_lines(before: bytes, after: bytes) -> list[tuple[str, str]]:
    """(old, new) for each line that differs; the files must have the same line count."""
    old, new = before.decode("utf-8").split("\n"), after.decode("utf-8").split("\n")
    assert len(old) == len(new), "a located edit changes values, not the number of lines"
    return [(a, b) for a, b in zip(old, new, strict=True) if a != b]


def test_a_team_starts_writes_renames_and_publishes_from_the_wheel(
    venv_bin: Path, tmp_path: Path
) -> None:
    pm = str(venv_bin / "postmortem")
    where = _run(
        [str(venv_bin / "python"), "-c", "import postmortem_kb; print(postmortem_kb.__file__)"],
        tmp_path,
    )
    assert str(REPO_ROOT) not in where.stdout and "site-packages" in where.stdout
    assert _run([pm, "init", "kb"], tmp_path).returncode == 0
    kb = tmp_path / "kb"

    made = _run(
        [
            pm,
            "new",
            "--title",
            "Checkout API returns 500 errors",
            "--severity",
            "SEV2",
            "--started",
            "2026-02-03T10:00:00+01:00",
            "--service",
            "checkout-api",
            "--author",
            "Ana Lima",
            "--cause",
            "config-change",
            "--add-terms",
        ],
        kb,
    )
    assert made.returncode == 0, made.stderr
    path = kb / "postmortems/2026-02-03-checkout-api-returns-500-errors.md"
    asked = _run(
        [pm, "new"],
        kb,
        stdin="Search box empty on small screens\nSEV3\n2026-02-04T09:00:00Z\nweb-app\ny\nWeb app\nThe browser front end.\nana\ninsufficient-testing\n",
    )
    assert asked.returncode == 0, asked.stdout + asked.stderr
    assert "'web-app' is not a known service" in asked.stdout
    check = _run([pm, "check"], kb)
    assert check.returncode == 0, check.stdout

    text = path.read_text(encoding="utf-8")
    filled = text.replace("status: draft ", "status: review", 1).replace(
        '"<<One or two sentences: what happened and what it did to users.>>"',
        "A bad timeout in a configuration push made checkout fail for 20 minutes.",
    )
    filled = filled.replace(
        '"<<What about this mattered here.>>"', "The push lowered the upstream timeout."
    )
    filled = filled.replace(
        "| <<hh:mm>> | <<what happened, and what people knew then>> |",
        "| 09:00 | The push reaches every region. |",
    )
    for section, words in (
        ("Summary", "Checkout failed."),
        ("Impact", "A fifth of orders."),
        ("Contributing factors", "The timeout."),
        ("Action items", "None yet."),
    ):
        filled = filled.replace(f"## {section}\n\n<!--", f"## {section}\n\n{words}\n\n<!--", 1)
    path.write_text(filled, encoding="utf-8")
    check = _run([pm, "check", "--strict", str(path)], kb)
    assert check.returncode == 0, check.stdout

    added = _run(
        [
            pm,
            "taxonomy",
            "add",
            "causes",
            "timeout-misconfiguration",
            "--title",
            "Timeout misconfiguration",
            "--description",
            "A timeout was set too low or too high.",
        ],
        kb,
    )
    assert added.returncode == 0, added.stderr
    before = _files(kb)
    renamed = _run(
        [pm, "taxonomy", "rename", "causes", "config-change", "configuration-change-x"], kb
    )
    assert renamed.returncode == 0, renamed.stderr
    # Only the renamed values changed: every other file, and every other line, byte for byte.
    after = _files(kb)
    taxonomy, written = "schema/taxonomy.yml", f"postmortems/{path.name}"
    assert {
        name for name in before.keys() | after.keys() if before.get(name) != after.get(name)
    } == {
        taxonomy,
        written,
    }
    assert _changed_lines(before[written], after[written]) == [
        ("  - term: config-change", "  - term: configuration-change-x")
    ]
    changed = _changed_lines(before[taxonomy], after[taxonomy])
    assert changed[0] == ("  config-change:", "  configuration-change-x:"), changed
    assert len(changed) == 2 and changed[1][1] == changed[1][0].replace("]", ", config-change]")
    merged = _run(
        [pm, "taxonomy", "merge", "causes", "configuration-change-x", "timeout-misconfiguration"],
        kb,
    )
    assert merged.returncode == 0, merged.stderr
    assert "- term: timeout-misconfiguration\n" in path.read_text(encoding="utf-8")
    assert _run([pm, "check"], kb).returncode == 0

    # The interactive draft still holds placeholders: warnings, which a strict build refuses.
    (kb / "postmortems/2026-02-04-search-box-empty-on-small-screens.md").unlink()

    # Moving existing postmortems in: the mapping for icco/postmortems ships in the wheel.
    fixtures = REPO_ROOT / "tests/authoring/fixtures/import"
    icco = _run(
        [pm, "import", "frontmatter", str(fixtures / "icco"), "--map", "icco-postmortems",
         "--add-terms"],
        kb,
    )  # fmt: skip
    assert icco.returncode == 1, icco.stdout + icco.stderr  # the undated file and the broken one
    assert "imported 12, skipped 0, failed 2" in icco.stdout, icco.stdout
    rows = _run(
        [pm, "import", "csv", str(fixtures / "csv/incidents.csv"), "--map",
         str(fixtures / "csv/incident-tool.yml"), "--add-terms"],
        kb,
    )  # fmt: skip
    assert "imported 5, skipped 0, failed 1" in rows.stdout, rows.stdout + rows.stderr
    strict = _run([pm, "check", "--strict"], kb)
    assert strict.returncode == 0, strict.stdout
    build = _run([str(venv_bin / "mkdocs"), "build", "--strict"], kb)
    assert build.returncode == 0, build.stderr
    site = kb / "build/site"
    assert (site / "incidents/2026-02-03-checkout-api-returns-500-errors/index.html").is_file()
    leap = site / "incidents/2016-12-31-how-and-why-the-leap-second-affected-cloudflare-dns"
    assert "Original write-up" in (leap / "index.html").read_text(encoding="utf-8")
    assert (site / "assets/postmortem-kb/postmortem-search.js").is_file()
    assert "data-pm-search-input" in (site / "index.html").read_text(encoding="utf-8")
    assert (site / "search/index.html").is_file() and (site / "pagefind/pagefind.js").is_file()
    found = _run([pm, "search", "timeout"], kb)
    assert found.returncode == 0, found.stderr
    assert "2026-02-03-checkout-api-returns-500-errors" in found.stdout


# Runs `postmortem` from the wheel's venv and kills it (SIGKILL, as `kill -9` would) when
# it is about to move its Nth finished file into place: a real process killed between two
# files, at the same point every run.
KILLED_AT_THE_NTH_MOVE = """\
import os, signal, sys
moves, at = 0, int(sys.argv.pop(1))
def die_at_the_nth_move(event, args):
    global moves
    if event == "os.rename":  # os.replace raises this audit event
        moves += 1
        if moves == at:
            os.kill(os.getpid(), signal.SIGKILL)
sys.addaudithook(die_at_the_nth_move)
from postmortem_kb.cli import main
sys.argv[0] = "postmortem"
main()
"""


def test_a_rename_killed_halfway_finishes_when_run_again(venv_bin: Path, tmp_path: Path) -> None:
    pm = str(venv_bin / "postmortem")
    assert _run([pm, "init", "kb"], tmp_path).returncode == 0
    kb = tmp_path / "kb"
    for day in ("10", "11", "12", "13"):
        made = _run(
            [
                pm,
                "new",
                "--title",
                "Search times out",
                "--severity",
                "SEV3",
                "--started",
                f"2026-03-{day}T09:00:00Z",
                "--service",
                "search-api",
                "--author",
                "ana",
                "--cause",
                "insufficient-testing",
                "--add-terms",
            ],
            kb,
        )
        assert made.returncode == 0, made.stderr
    before = _files(kb)
    rename = ["taxonomy", "rename", "causes", "insufficient-testing", "test-gap"]

    # The taxonomy is written first, then the postmortems in order: killed at the third
    # move, the taxonomy and the first postmortem are new, the rest old.
    killed = _run([str(venv_bin / "python"), "-c", KILLED_AT_THE_NTH_MOVE, "3", *rename], kb)
    assert killed.returncode == -9, killed.stdout + killed.stderr
    middle = _files(kb)
    posts = sorted(name for name in before if name.startswith("postmortems/2026-"))
    assert [middle[name] == before[name] for name in posts] == [False, True, True, True]
    assert middle["schema/taxonomy.yml"] != before["schema/taxonomy.yml"]
    # Each file is wholly old or wholly new: the old name is an alias now, so all check.
    assert b"- term: test-gap\n" in middle[posts[0]]
    halfway = _run([pm, "check"], kb)
    assert halfway.returncode == 0, halfway.stdout

    again = _run([pm, *rename], kb)
    assert again.returncode == 0, again.stderr
    assert again.stdout == (
        "renamed cause 'insufficient-testing' to 'test-gap' ('insufficient-testing' is now an "
        "alias); 3 postmortems rewritten\n"
    )
    done = _files(kb)
    for name in posts:
        assert done[name] == middle[posts[0]].replace(
            posts[0][12:22].encode(), name[12:22].encode()
        )
    assert sorted(done) == sorted(before), "no temporary file is left behind"
    assert _run([pm, *rename], kb).stdout.endswith("; 0 postmortems rewritten\n")


def test_the_shipped_template_is_all_placeholders(venv_bin: Path, tmp_path: Path) -> None:
    pm = str(venv_bin / "postmortem")
    assert _run([pm, "init", "kb"], tmp_path).returncode == 0
    kb = tmp_path / "kb"
    template = (kb / "schema/template.md").read_text(encoding="utf-8")
    # Every placeholder but those the template's YAML comments mention (`<<this>>`).
    written = "\n".join(line for line in template.split("\n") if not line.lstrip().startswith("#"))
    placeholders = set(re.findall(r"<<[^<>\n]*>>", written))
    assert len(placeholders) >= 5
    published = template.replace("status: draft ", "status: published", 1)
    (kb / "postmortems/2026-01-01-the-template.md").write_text(published, encoding="utf-8")

    check = _run([pm, "check"], kb)

    assert check.returncode == 1
    reported = set(
        re.findall(r": error: (?:[\w\[\].]+: )?'(<<[^<>\n]*>>)' is a placeholder", check.stdout)
    )
    assert reported == placeholders, check.stdout
    for section in ("Summary", "Impact", "Contributing factors", "Action items"):
        assert f"the '## {section}' section is empty" in check.stdout

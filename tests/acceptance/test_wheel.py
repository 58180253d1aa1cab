"""The whole path a new team takes, from the built wheel in a fresh virtual environment.

No editable install and no source folder: the wheel is built, installed into a new
venv in a temporary folder outside the source tree, and every command runs from
there, in a knowledge base that `postmortem init` made.
"""

from __future__ import annotations

import os
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
        input=stdin,
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

    for args in (
        [
            "taxonomy",
            "add",
            "causes",
            "timeout-misconfiguration",
            "--title",
            "Timeout misconfiguration",
            "--description",
            "A timeout was set too low or too high.",
        ],
        ["taxonomy", "rename", "causes", "config-change", "configuration-change-x"],
        ["taxonomy", "merge", "causes", "configuration-change-x", "timeout-misconfiguration"],
    ):
        done = _run([pm, *args, "--allow-dirty"], kb)
        assert done.returncode == 0, done.stderr
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

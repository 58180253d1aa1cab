"""Pages rendered ahead by forked workers are the pages the build renders itself.

Each test builds this repository's demo knowledge base with `mkdocs build`, once with
``render_processes: 0`` (every page rendered in MkDocs' own process) and once with
workers, and compares every file of the two sites byte for byte. Faults are planted
with an MkDocs hook (mkdocs.yml ``hooks:``), a Python file MkDocs imports before the
plugin runs, which wraps a page renderer; workers are forked from the build, so they
run the wrapped renderer too, and the hook leaves a file behind to show that a worker
met the fault.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from postmortem_testkit import REPO_ROOT
from postmortem_testkit.sites import build

TODAY = "2026-06-01"

# Wraps the term-page renderer the site's page list calls (pages.site imports it by name).
HOOK = """\
import os
from pathlib import Path

import postmortem_kb.pages.site as site_module

BUILD = os.getpid()  # MkDocs' own process: the hook is imported before anything forks
MARK = Path(__file__).with_name("worker-met-fault")
_render_term = site_module.render_term


def render_term(ctx, kind, term_id):
    in_worker = os.getpid() != BUILD
    if in_worker:
        MARK.write_text("yes", encoding="utf-8")
    {fault}
    return _render_term(ctx, kind, term_id)


site_module.render_term = render_term
"""
# Where the fault strikes: a worker raises, or dies, or every process raises.
RAISE_IN_WORKER = "if in_worker: raise RuntimeError('only in a worker')"
DIE_IN_WORKER = "if in_worker: os._exit(1)"
RAISE_ALWAYS = "raise RuntimeError('renderer broke')"


def _demo(
    root: Path, render_processes: int, fault: str | None = None, quiet: bool = True
) -> subprocess.CompletedProcess[str]:
    """Build a copy of the demo knowledge base in ``root``; the site is in root/out."""
    for name in ("site", "schema", "postmortems"):
        shutil.copytree(REPO_ROOT / name, root / name)
    config = yaml.safe_load((REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    options = {
        "today": TODAY,
        "git_dates": False,
        "search": False,
        "render_processes": render_processes,
    }
    config["plugins"] = [{"postmortems": options}]
    if fault is not None:
        (root / "fault_hook.py").write_text(HOOK.format(fault=fault), encoding="utf-8")
        config["hooks"] = ["fault_hook.py"]
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return build(root, "-q" if quiet else "-v", "-d", str(root / "out"))


def _files(site: Path) -> dict[str, bytes]:
    return {
        path.relative_to(site).as_posix(): path.read_bytes()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


def _same_sites(built: Path, expected: dict[str, bytes]) -> None:
    files = _files(built)
    assert sorted(files) == sorted(expected)
    different = [name for name in expected if files[name] != expected[name]]
    assert different == []


@pytest.fixture(scope="module")
def serial_site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    root = tmp_path_factory.mktemp("serial")
    done = _demo(root, render_processes=0)
    assert done.returncode == 0, done.stderr
    return _files(root / "out")


def test_workers_build_the_site_the_build_renders_itself(
    serial_site: dict[str, bytes], tmp_path: Path
) -> None:
    done = _demo(tmp_path, render_processes=2, quiet=False)
    assert done.returncode == 0, done.stderr
    _same_sites(tmp_path / "out", serial_site)
    # Every generated page came from the workers; the build rendered none itself.
    pages = len([name for name in serial_site if name.endswith(".html")])
    counted = re.search(r"(\d+) pages rendered ahead by 2 workers, 0 here", done.stderr)
    assert counted is not None, done.stderr[-2000:]
    assert 0 < int(counted.group(1)) <= pages
    # What the workers make is really there: pages with charts, the feeds, the API.
    assert any(name.startswith("api/") for name in serial_site)
    assert any(name.startswith("feeds/") for name in serial_site)
    assert b"<svg" in serial_site["insights/index.html"]


@pytest.mark.parametrize(
    "fault",
    [RAISE_IN_WORKER, DIE_IN_WORKER],
    ids=["a worker's page fails", "a worker dies"],
)
def test_what_a_worker_could_not_render_the_build_renders(
    serial_site: dict[str, bytes], tmp_path: Path, fault: str
) -> None:
    done = _demo(tmp_path, render_processes=1, fault=fault)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "worker-met-fault").is_file()
    _same_sites(tmp_path / "out", serial_site)


@pytest.mark.parametrize("render_processes", [0, 1])
def test_a_page_that_cannot_be_rendered_fails_the_build_in_one_line(
    tmp_path: Path, render_processes: int
) -> None:
    done = _demo(tmp_path, render_processes=render_processes, fault=RAISE_ALWAYS)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if "internal error" in line]
    assert len(errors) == 1
    assert re.search(
        r"postmortems: internal error while rendering [a-z-]+/[a-z0-9-]+\.md: "
        r"RuntimeError: renderer broke; run `postmortem --debug site generate`",
        errors[0],
    )

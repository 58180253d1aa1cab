"""Fuzzing `postmortem check` and the site build with mutations of valid postmortems.

Each example takes a valid example file and mutates it: flipped bytes, a
truncation, YAML syntax dropped in anywhere, a value of another type, Unicode,
a line repeated until the file is large. Whatever comes out:

- `check` never raises, exits 0 or 1, names the file in what it prints, and
  finishes within a generous bound (Hypothesis's deadline: it catches a hang or a
  quadratic blow-up, not a slowdown; speed is measured in benchmarks/);
- `mkdocs build` of a project holding the file fails exactly when `check` finds
  errors, then with `check`'s located messages, and never prints a traceback.

`make test` runs a short run; for a longer one (see the README's "Safety"):

    POSTMORTEM_FUZZ_EXAMPLES=5000 .venv/bin/pytest tests/fuzz -p no:cacheprovider

(POSTMORTEM_FUZZ_SEED=N picks another seed; without it every run is the same.)
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from postmortem_kb.cli import cli
from postmortem_testkit import REPO_ROOT

EXAMPLES = int(os.environ.get("POSTMORTEM_FUZZ_EXAMPLES", "60"))
SEED = int(os.environ.get("POSTMORTEM_FUZZ_SEED", "0"))
VALID = sorted((REPO_ROOT / "tests" / "example-files" / "valid").glob("*.md"))
NAME = "2025-03-14-fuzzed.md"

_SYNTAX = [
    ":", ": ", "- ", "[", "]", "{", "}", ",", "&a ", "*a", "!!python/object/apply:os.system ['x'] ",
    "! ", "!custom ", "? ", "|", ">", "|-", "'", '"', "\t", "\n", "\r", "\r\n", "---\n", "...\n",
    "#", "%YAML 1.2\n", "<<: *a\n", "\x00", "\ufeff", "\u2028", "\x1b", "\x85", "1" * 5000,
    "[" * 700, "{a: " * 300, "- " * 400, "0x1F", "0o17", ".inf", "1e999", "-", "~", "null",
    "yes", "2025-03-14T09:12:00", "'\n", "\\", "\\u0000", '"\\x00"', "\U0001f600", "\u202e",
]  # fmt: skip
_VALUES = [
    "", "[]", "{}", "[[[]]]", "12", "-1", "1.5", "true", "null", "~", "'x'", '"\\n"', "|\n  x",
    "SEV9", "[a, b, a]", "[Database, x_y]", "2025-02-30T00:00:00Z", "2025-03-14T09:12",
    "javascript:alert(1)", "<script>alert(1)</script>", "'#{x}'", "x" * 5000, "[" + "a," * 3000 + "]",
    "1" * 5000, "[" * 600 + "]" * 600, "! 12", "[" * 1200 + "]" * 1200, "&a x", "*a", "!!binary eA==",
    "{" * 300 + "}" * 300, "- - - x", "? x", "|\n  database", "0" * 4301,
    # Schema version 2: a month, a leap second, unknown, percentages, a non-web address.
    "2017-02", "2016-12-31T23:59:60Z", "2025-03-14T09:12:60Z", "unknown", "150%", "12.5%",
    "{term: deploy, detail: x}", "{url: 'javascript:alert(1)'}", "2025-03-00-x",
]  # fmt: skip


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A valid example file after one to four mutations."""
    data = bytearray(draw(st.sampled_from(VALID)).read_bytes())
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        kind = draw(st.sampled_from(["flip", "cut", "syntax", "value", "unicode", "repeat"]))
        at = draw(st.integers(min_value=0, max_value=max(0, len(data) - 1)))
        if kind == "flip" and data:
            data[at] ^= draw(st.integers(min_value=1, max_value=255))
        elif kind == "cut":
            del data[at:]
        elif kind == "syntax":
            data[at:at] = draw(st.sampled_from(_SYNTAX)).encode("utf-8")
        elif kind == "unicode":
            data[at:at] = draw(st.text(max_size=20)).encode("utf-8", errors="surrogatepass")
        elif kind == "value":
            lines = bytes(data).split(b"\n")
            fields = [i for i, line in enumerate(lines) if b": " in line]
            if fields:
                index = draw(st.sampled_from(fields))
                key = lines[index].split(b": ", 1)[0]
                lines[index] = key + b": " + draw(st.sampled_from(_VALUES)).encode("utf-8")
                data = bytearray(b"\n".join(lines))
        else:  # repeat a line: large files, long lists
            lines = bytes(data).split(b"\n")
            index = draw(st.integers(min_value=0, max_value=len(lines) - 1))
            lines[index] = lines[index] * draw(st.integers(min_value=2, max_value=20_000))
            data = bytearray(b"\n".join(lines))
    return bytes(data)


def make_project(root: Path) -> Path:
    """A project with the repository's schema/ (blameless lint included) and no postmortems."""
    shutil.copytree(REPO_ROOT / "schema", root / "schema")
    (root / "postmortems").mkdir()
    return root


@pytest.fixture(scope="module")
def project() -> object:
    with tempfile.TemporaryDirectory(prefix="postmortem-fuzz-") as temp:
        yield make_project(Path(temp))


def check(root: Path, raw: bytes) -> tuple[int, str]:
    path = root / "postmortems" / NAME
    path.write_bytes(raw)
    result = CliRunner().invoke(cli, ["--root", str(root), "check", str(path)])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"check raised {result.exception!r}") from result.exception
    return result.exit_code, result.output


@seed(SEED)
@settings(
    max_examples=EXAMPLES,
    deadline=timedelta(seconds=20),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(raw=mutated())
def test_check_never_raises_exits_0_or_1_and_names_the_file(project: Path, raw: bytes) -> None:
    code, output = check(project, raw)
    assert code in (0, 1), output
    assert "Traceback" not in output
    if code == 1:
        assert f"postmortems/{NAME}:" in output, output
    assert "checked 1 postmortem" in output, output


MKDOCS_YML = """\
site_name: Fuzzed postmortems
docs_dir: site
site_dir: build/site
theme:
  name: material
  font: false
plugins:
  - postmortems:
      today: "2025-06-01"
      search: false
"""


def build(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(Path(sys.executable).with_name("mkdocs")), "build"],
        cwd=root,
        capture_output=True,
        text=True,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin", "HOME": str(root)},
        timeout=300,
        check=False,
    )


@seed(SEED)
@settings(
    max_examples=max(3, EXAMPLES // 20),
    deadline=None,  # a site build takes seconds; its subprocess has a timeout of its own
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(raw=mutated())
def test_the_site_build_fails_exactly_when_check_does_with_its_messages(raw: bytes) -> None:
    with tempfile.TemporaryDirectory(prefix="postmortem-fuzz-site-") as temp:
        root = make_project(Path(temp))
        (root / "site").mkdir()
        (root / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
        code, output = check(root, raw)
        built = build(root)
        assert "Traceback" not in built.stderr + built.stdout, built.stderr
        errors = [line for line in output.splitlines() if ": error: " in line]
        if code == 1 and errors:
            assert built.returncode != 0, built.stderr
            for line in errors:
                assert line in built.stderr, (line, built.stderr[-3000:])
        else:
            assert built.returncode == 0, built.stderr[-3000:]


@seed(SEED)
@settings(
    max_examples=max(5, EXAMPLES // 4),
    deadline=timedelta(seconds=30),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(raw=mutated())
def test_no_command_that_reads_it_prints_a_traceback(project: Path, raw: bytes) -> None:
    """The catch-all: search, patterns and similar take the same file in their stride."""
    path = project / "postmortems" / NAME
    path.write_bytes(raw)
    for args in (
        ["search", "--no-cache", "payments"],
        ["search", "--no-cache", "--format", "json"],
        ["patterns"],
        ["similar", str(path)],
    ):
        result = CliRunner().invoke(cli, ["--root", str(project), *args])
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise AssertionError(f"{args[0]} raised {result.exception!r}") from result.exception
        assert result.exit_code in (0, 1, 2), (args, result.output)
        assert "Traceback" not in result.output

"""Does `postmortem check` stay linear in the file's size on hostile files?

    python benchmarks/hostile.py [--size 1048576] [--repeat 3]

The files of issue 11 that once took minutes (a body of one line of "blame "
repeated, 100,000 unknown causes in a flow list...), each about --size bytes and
each valid YAML under the size limit. For each, `postmortem check` of that file
alone is timed (best of --repeat, a fresh subprocess) at --size and at a quarter
of it, against a baseline measured in the same run: the check of an ordinary
postmortem of the same size (front matter as usual, a long body of prose, no
findings). A hostile file may cost more: it has up to 170,000 findings, each
located and printed, and lists of 100,000 entries, each parsed and checked.

Target, for every file: at --size, at most RATIO_TARGET times the baseline; and
growing 4x in size costs at most GROWTH_TARGET x in time (linear, with slack).
Before issue 11, the worst took 908 s (15 minutes) at 1 MiB.
Exit status 0 when every target is met, 1 when not.

tests/unit/test_bounded_work.py checks the same files for what `check` says
about them (no timing there); this module is where their speed is measured.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

RATIO_TARGET = 15.0
GROWTH_TARGET = 5.0
MIB = 1024 * 1024

FRONT_MATTER = """\
---
title: Payments API returns 502 after load balancer config push
status: published
severity: SEV2
started: 2025-03-14T09:12:00Z
authors: [ana, payments-team]
services: [aws-s3]
summary: The payments API returned 502 for 22 minutes after a config push.
causes: {causes}
tags: {tags}
---
"""
SECTIONS = (
    "## Summary\n\nA summary.\n\n## Impact\n\nSome.\n\n## Timeline\n\n- 09:12 push\n\n"
    "## Action items\n\nIn the front matter.\n\n"
)


def _postmortem(body: str, causes: str = "[config-change]", tags: str = "[load-balancer]") -> str:
    return FRONT_MATTER.format(causes=causes, tags=tags) + SECTIONS + body


def _repeat(unit: str, size: int) -> str:
    """``unit`` repeated to fill what ``size`` leaves after the front matter and sections,
    so that the whole file stays within the 1 MiB limit of max_file_bytes."""
    room = size - len(_postmortem("## Contributing factors\n\n")) - 64
    return unit * max(1, room // len(unit))


def ordinary(size: int) -> str:
    """The baseline: an ordinary postmortem, its body padded with prose."""
    line = "The deploy pipeline pushed the change to every region before the canary finished.\n"
    return _postmortem("## Contributing factors\n\n" + _repeat(line, size))


def blame_on_one_line(size: int) -> str:
    """One body line of "blame " repeated: every word a match of one rule."""
    return _postmortem("## Contributing factors\n\n" + _repeat("blame ", size) + "\n")


def blame_on_many_lines(size: int) -> str:
    """A blame phrase on each of many lines: line numbers of many hits."""
    return _postmortem("## Contributing factors\n\n" + _repeat("It was human error.\n", size))


def people_failing(size: int) -> str:
    """ "the engineer failed to" repeated on one line: the subject rule's window."""
    return _postmortem("## Contributing factors\n\n" + _repeat("the engineer failed to ", size))


def fault_of_a_long_name(size: int) -> str:
    """A word run of dots and letters before "'s fault": a backtracking regex's worst case."""
    return _postmortem("## Contributing factors\n\n" + _repeat("a.", size) + " fault\n")


def unknown_causes(size: int) -> str:
    """100,000 distinct unknown causes in a flow list: a did-you-mean for each."""
    count = max(1, (size - 1024) // 10)  # "zq000123, "
    return _postmortem(
        "## Contributing factors\n\nMany.\n",
        causes="[" + ", ".join(f"zq{i:06d}" for i in range(count)) + "]",
    )


def repeated_tags(size: int) -> str:
    """One tag repeated in a flow list: the duplicate finding counts them."""
    return _postmortem(
        "## Contributing factors\n\nOne.\n", tags="[" + _repeat("db, ", size).rstrip(", ") + "]"
    )


def long_words(size: int) -> str:
    """One line of a single word: nothing to lint, everything to scan."""
    return _postmortem("## Contributing factors\n\n" + _repeat("x", size) + "\n")


HOSTILE: dict[str, Callable[[int], str]] = {
    "blame-on-one-line": blame_on_one_line,
    "blame-on-many-lines": blame_on_many_lines,
    "people-failing": people_failing,
    "fault-of-a-long-name": fault_of_a_long_name,
    "unknown-causes": unknown_causes,
    "repeated-tags": repeated_tags,
    "long-words": long_words,
}


def write_project(root: Path, files: dict[str, str]) -> None:
    """A project with the repository's schema/ and ``files`` (name -> text) in postmortems/."""
    import shutil

    shutil.copytree(REPO / "schema", root / "schema", dirs_exist_ok=True)
    folder = root / "postmortems"
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / f"2025-03-14-{name}.md").write_text(text, encoding="utf-8")


def _time_check(root: Path, name: str, repeat: int) -> float:
    exe = Path(sys.executable).parent / "postmortem"
    path = root / "postmortems" / f"2025-03-14-{name}.md"
    command = [str(exe), "--root", str(root), "check", str(path)]
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        best = min(best, time.perf_counter() - started)
        if done.returncode not in (0, 1) or "Traceback" in done.stderr:
            raise SystemExit(f"check of {name} failed (exit {done.returncode}):\n{done.stderr}")
    return best


def run(size: int, repeat: int) -> bool:
    """Time every hostile file against the baseline; print the table; True if all pass."""
    makers = {"ordinary": ordinary, **HOSTILE}  # ordinary: for comparison
    with tempfile.TemporaryDirectory(prefix="postmortem-hostile-") as temp:
        big, small = Path(temp) / "big", Path(temp) / "small"
        write_project(big, {name: make(size) for name, make in makers.items()})
        write_project(small, {name: make(size // 4) for name, make in makers.items()})
        baseline = _time_check(big, "ordinary", repeat)
        print(f"best of {repeat}, wall time of `postmortem check FILE`, each a fresh subprocess")
        print(f"  baseline: an ordinary postmortem of {size:,} bytes  {baseline:.2f} s")
        print(f"  {'file':<22} {'seconds':>8} {'x baseline':>11} {'4x size costs':>14}  result")
        passed = True
        for name in HOSTILE:
            seconds = _time_check(big, name, repeat)
            quarter = _time_check(small, name, repeat)
            ratio, growth = seconds / baseline, seconds / quarter
            ok = ratio <= RATIO_TARGET and growth <= GROWTH_TARGET
            passed &= ok
            print(
                f"  {name:<22} {seconds:>8.2f} {ratio:>10.2f}x {growth:>13.2f}x  "
                f"{'PASS' if ok else 'FAIL'}"
            )
        print(
            f"  target: <= {RATIO_TARGET:.0f}x the baseline, "
            f"and 4x the size <= {GROWTH_TARGET:.0f}x the time"
        )
    return passed


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; exit 0 when every hostile file meets the target."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=MIB, help="bytes per file (1 MiB)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (3)")
    args = parser.parse_args(argv)
    return 0 if run(args.size, args.repeat) else 1


if __name__ == "__main__":
    sys.exit(main())

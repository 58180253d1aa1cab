"""How fast is `postmortem check` compared with just parsing the front matter?

    python benchmarks/check.py [--n 10000] [--seed 42] [--keep DIR] [--repeat 3]

Generates a corpus (benchmarks/corpus.py) into a temporary folder (or DIR, kept
afterwards), then times, best of --repeat, each as a fresh subprocess so that
interpreter start-up and imports count on both sides:

  baseline     read every .md, split off the front matter, yaml.load(CSafeLoader):
               the fastest ordinary parse, with no checking at all
  frontmatter  python-frontmatter's frontmatter.load on every file (a reference)
  check        postmortem --root DIR check

Target: check <= 2.0x the baseline, and under 5 s at 10,000 files (scaled
linearly for other sizes). Exit status 0 when the target is met, 1 when not.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402  (benchmarks/ is not a package)

RATIO_TARGET = 2.0
SECONDS_AT_10K = 5.0

BASELINE = r"""
import sys, pathlib, yaml
loader = yaml.CSafeLoader
count = 0
for path in sorted(pathlib.Path(sys.argv[1]).glob("*.md")):
    text = path.read_text(encoding="utf-8")
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.split("\n")
    end = next(i for i in range(1, len(lines)) if lines[i].rstrip() == "---")
    data = yaml.load("\n".join(lines[1:end]), Loader=loader)
    count += isinstance(data, dict)
print(count)
"""

FRONTMATTER = r"""
import sys, pathlib, frontmatter
count = 0
for path in sorted(pathlib.Path(sys.argv[1]).glob("*.md")):
    post = frontmatter.load(path)
    count += bool(post.metadata)
print(count)
"""


def best_of(command: Sequence[str], repeat: int, expect: str) -> float:
    """Best wall time of ``repeat`` runs; each run must print ``expect`` and exit 0."""
    times: list[float] = []
    for _ in range(repeat):
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - started)
        if done.returncode != 0 or expect not in done.stdout:
            raise SystemExit(
                f"benchmarks/check.py: {' '.join(command[:3])} ... failed "
                f"(exit {done.returncode}):\n{done.stdout[-2000:]}{done.stderr[-2000:]}"
            )
    return min(times)


def run(root: Path, n: int, repeat: int) -> bool:
    postmortems = root / "postmortems"
    python = sys.executable
    baseline = best_of([python, "-c", BASELINE, str(postmortems)], repeat, str(n))
    reference = best_of([python, "-c", FRONTMATTER, str(postmortems)], repeat, str(n))
    check = best_of(
        [corpus.postmortem_script(), "--root", str(root), "check"],
        repeat,
        f"checked {n} postmortem",
    )
    ratio = check / baseline
    limit = SECONDS_AT_10K * n / 10_000
    passed = ratio <= RATIO_TARGET and check < limit

    rows = [
        ("files", f"{n:,}"),
        ("baseline: split + yaml CSafeLoader", f"{baseline:.2f} s"),
        ("reference: python-frontmatter", f"{reference:.2f} s"),
        ("postmortem check", f"{check:.2f} s"),
        ("ratio check / baseline", f"{ratio:.2f}x"),
        (
            "target",
            f"<= {RATIO_TARGET:.1f}x and < {limit:.1f} s ({SECONDS_AT_10K:.0f} s at 10,000)",
        ),
        ("result", "PASS" if passed else "FAIL"),
    ]
    width = max(len(label) for label, _ in rows)
    print(f"best of {repeat}, wall time, each a fresh subprocess")
    for label, value in rows:
        print(f"  {label:<{width}}  {value}")
    return passed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Time `postmortem check` against a plain front-matter parse.",
        epilog="Example: python benchmarks/check.py --n 10000 --keep /tmp/corpus-10k",
    )
    parser.add_argument("--n", type=int, default=10_000, help="postmortems (10000)")
    parser.add_argument("--seed", type=int, default=42, help="corpus seed (42)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (3)")
    parser.add_argument(
        "--keep", type=Path, metavar="DIR", help="generate into DIR and keep it (reused if full)"
    )
    args = parser.parse_args(argv)

    temp: tempfile.TemporaryDirectory[str] | None = None
    if args.keep is not None:
        root = args.keep
    else:
        temp = tempfile.TemporaryDirectory(prefix="postmortem-bench-")
        root = Path(temp.name)
    try:
        corpus.reuse_or_generate(root, args.n, args.seed)
        return 0 if run(root, args.n, args.repeat) else 1
    finally:
        if temp is not None:
            temp.cleanup()


if __name__ == "__main__":
    sys.exit(main())

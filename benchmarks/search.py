"""Benchmark: `postmortem search` on a large corpus, against grep and `postmortem check`.

    python benchmarks/search.py                       # N = 10000, CLI and site
    python benchmarks/search.py --cli-only --keep /tmp/corpus-10k
    python benchmarks/search.py --site-only --n 2000

Generates a corpus with benchmarks/corpus.py (into a temporary folder, or DIR
with --keep, reused when it already holds N postmortems), then, every command a
fresh subprocess so that interpreter start-up and imports count:

  cold   `postmortem --root DIR search` with an empty cache: checks and indexes
         every file; compared with `postmortem --root DIR check`. Target <= 2x.
  warm   the median of 20 varied searches (words, phrases, prefixes, filters)
         after one warm-up, each compared with `grep -ril WORD DIR/postmortems`
         for its first word, in the same run. Target <= 3x grep and < 200 ms.
  site   what a browser downloads for a first search on the built site
         (benchmarks/site_search.py).

Exit status 0 when every target measured is met, 1 when not.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402  (benchmarks/ is not a package)

COLD_RATIO_TARGET = 2.0
WARM_RATIO_TARGET = 3.0
WARM_MS_TARGET = 200.0

# (grep word, search arguments): plain words, rare and common, a phrase, a prefix,
# and filters with and without text, so the median is not one lucky query.
QUERIES: list[tuple[str, list[str]]] = [
    ("timeout", ["timeout"]),
    ("certificate", ["certificate"]),
    ("replication", ["replication", "lag"]),
    ("rollback", ["rollback", "--severity", "SEV1"]),
    ("disk", ['"full disk"']),
    ("checkout", ["checkout", "conversion"]),
    ("dns", ["dns", "--cause", "dns"]),
    ("canary", ["canary", "--since", "2023-01-01"]),
    ("memory", ["memory", "leak"]),
    ("deadline", ['"context deadline exceeded"']),
    ("throttl", ["throttl*"]),
    ("failover", ["failover", "--status", "published"]),
    ("snapshot", ["snapshot", "--lucky-break", "off-peak-timing"]),
    ("staging", ["staging", "environment"]),
    ("kubernetes", ["kubernetes"]),
    ("config", ["--cause", "config-change", "--severity", "SEV2"]),
    ("quota", ["quota"]),
    ("autoscal", ["autoscal*", "--format", "json"]),
    ("retries", ["retries", "amplified"]),
    ("zzzqqqx", ["zzzqqqx"]),
]


def timed(command: Sequence[str], env: dict[str, str], ok: Sequence[int] = (0,)) -> float:
    """Wall time of one run; a failing run stops the benchmark with its output."""
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode not in ok:
        raise SystemExit(
            f"benchmarks/search.py: {' '.join(command)} failed (exit {done.returncode}):\n"
            f"{done.stdout[-2000:]}{done.stderr[-2000:]}"
        )
    return elapsed


def verdict(passed: bool) -> str:
    return "PASS" if passed else "FAIL"


def compile_package() -> None:
    """Write the package's bytecode once, as a normal install does. This sandbox (and some
    CI images) set PYTHONDONTWRITEBYTECODE, so an editable install would otherwise compile
    every imported module on every run, which is not what a user's warm search costs."""
    import compileall

    import postmortem_kb

    compileall.compile_dir(Path(postmortem_kb.__file__).parent, quiet=1)


def measure_cli(root: Path, repeat: int) -> tuple[list[str], bool]:
    exe = corpus.postmortem_script()
    compile_package()
    cache = root / ".postmortem-cache"
    env = {k: v for k, v in os.environ.items() if k != "POSTMORTEM_CACHE_DIR"}
    n = len(list((root / "postmortems").glob("*.md")))
    lines = [f"CLI search, {n:,} postmortems in {root}, every command a fresh subprocess:"]

    colds, checks = [], []
    for _ in range(repeat):
        shutil.rmtree(cache, ignore_errors=True)
        colds.append(timed([exe, "--root", str(root), "search", "zzzqqqx"], env))
        checks.append(timed([exe, "--root", str(root), "check"], env, ok=(0, 1)))
    cold, check = min(colds), min(checks)
    cold_ratio = cold / check
    cold_ok = cold_ratio <= COLD_RATIO_TARGET
    lines.append(
        f"  cold index build {cold:.2f} s; postmortem check {check:.2f} s; "
        f"ratio {cold_ratio:.2f}x (target <= {COLD_RATIO_TARGET:.0f}x) {verdict(cold_ok)}"
    )

    timed([exe, "--root", str(root), "search", "warm-up"], env)  # settles racy-clean files
    searches, greps = [], []
    for word, args in QUERIES:
        searches.append(timed([exe, "--root", str(root), "search", *args], env))
        greps.append(timed(["grep", "-ril", word, str(root / "postmortems")], env, ok=(0, 1)))
    warm_ms = statistics.median(searches) * 1000
    grep_ms = statistics.median(greps) * 1000
    warm_ratio = warm_ms / grep_ms
    warm_ok = warm_ratio <= WARM_RATIO_TARGET and warm_ms < WARM_MS_TARGET
    lines.append(
        f"  warm search median {warm_ms:.0f} ms over {len(QUERIES)} queries "
        f"(min {min(searches) * 1000:.0f}, max {max(searches) * 1000:.0f}); "
        f"grep -ril median {grep_ms:.0f} ms; ratio {warm_ratio:.2f}x "
        f"(target <= {WARM_RATIO_TARGET:.0f}x and < {WARM_MS_TARGET:.0f} ms) {verdict(warm_ok)}"
    )
    floor = statistics.median(
        timed([exe, "--version"], env) for _ in range(5)
    )  # what any `postmortem` command costs
    lines.append(f"  (for scale: `postmortem --version` takes {floor * 1000:.0f} ms)")
    return lines, cold_ok and warm_ok


def measure_site(args: argparse.Namespace) -> list[str]:
    """The site half: first-search bytes against Material's lunr index (site_search.py)."""
    import site_search  # Playwright and Chromium only when the site is measured

    lines: list[str] = site_search.measure(args.corpus_dir)
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Time `postmortem search` against grep and `postmortem check`.",
        epilog="Example: python benchmarks/search.py --cli-only --keep /tmp/corpus-10k",
    )
    parser.add_argument("--n", type=int, default=10_000, help="postmortems (10000)")
    parser.add_argument("--seed", type=int, default=42, help="corpus seed (42)")
    parser.add_argument("--repeat", type=int, default=1, help="cold builds and checks, best of (1)")
    parser.add_argument(
        "--keep", type=Path, metavar="DIR", help="generate into DIR and keep it (reused if full)"
    )
    only = parser.add_mutually_exclusive_group()
    only.add_argument("--cli-only", action="store_true", help="skip the site measurement")
    only.add_argument("--site-only", action="store_true", help="skip the CLI measurements")
    args = parser.parse_args(argv)

    temp: tempfile.TemporaryDirectory[str] | None = None
    if args.keep is not None:
        root = args.keep.absolute()
    else:
        temp = tempfile.TemporaryDirectory(prefix="postmortem-search-bench-")
        root = Path(temp.name)
    args.corpus_dir = root
    try:
        corpus.reuse_or_generate(root, args.n, args.seed)
        passed = True
        if not args.site_only:
            lines, passed = measure_cli(root, args.repeat)
            print("\n".join(lines), flush=True)
        if not args.cli_only:
            print("\n".join(measure_site(args)))
        return 0 if passed else 1
    finally:
        if temp is not None:
            temp.cleanup()


if __name__ == "__main__":
    sys.exit(main())

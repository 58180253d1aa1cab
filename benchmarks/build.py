"""Benchmark: `mkdocs build` with the postmortems plugin vs a plain Material build.

For each size N it generates N postmortems (benchmarks/corpus.py), commits them to a
fresh git repository, and builds twice, each build in its own subprocess:

  plugin  docs_dir with site/index.md, `plugins: [postmortems]` (every generated page)
  plain   the same postmortems copied as plain .md into docs/incidents/, same theme,
          not in the nav, the same nav, a stub page (its title) at every other page the
          plugin generates, `plugins: []` (no plugin, not even search)

and prints wall time, CPU time, peak memory (max RSS of the build process tree) and
the ratios, and the built site's bytes per postmortem, so that linear growth shows
across sizes. The two builds take turns ``--repeat`` times (5 by default) and the
ratio is the median of the turns' ratios (the ratio of the medians is printed too): one
run of each moves by a third between runs on a shared machine. The plugin's build renders its pages in forked processes (the
``render_processes`` option), so its CPU time, which counts them, exceeds its wall
time; ``--render-processes 0`` measures it without them.

    python benchmarks/build.py                  # N = 2000
    python benchmarks/build.py --sizes 2000,10000
    python benchmarks/build.py --n 10000 --repeat 1

Targets (issue 3): time ratio <= 1.3x, peak memory < 1 GB at 10,000.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from statistics import median
from typing import Any

from postmortem_kb.collection.load import load_knowledge_base
from postmortem_kb.project.repository import Project
from postmortem_kb.site_adapter.build import site_pages
from postmortem_kb.site_adapter.config import SiteOptions
from postmortem_kb.site_adapter.nav import DEFAULT_NAV
from postmortem_kb.site_adapter.urls import SiteLinker

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
MKDOCS = Path(sys.executable).with_name("mkdocs")

THEME = """\
theme:
  name: material
  font: false
  palette:
    - scheme: default
      toggle: {icon: material/brightness-7, name: Switch to dark mode}
    - scheme: slate
      toggle: {icon: material/brightness-4, name: Switch to light mode}
"""


@dataclass
class Run:
    seconds: float
    cpu_seconds: float  # user + system: steadier than wall time on a busy machine
    peak_bytes: int
    site_bytes: int
    returncode: int
    stderr: str


def generate(folder: Path, n: int, seed: int) -> None:
    sys.path.insert(0, str(HERE))
    import corpus  # benchmarks/ is not a package

    corpus.generate(folder, n, seed)


def _git_commit(folder: Path) -> None:
    env = {
        "GIT_AUTHOR_NAME": "bench",
        "GIT_AUTHOR_EMAIL": "bench@example.com",
        "GIT_COMMITTER_NAME": "bench",
        "GIT_COMMITTER_EMAIL": "bench@example.com",
        "PATH": "/usr/bin:/bin",
    }
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "corpus"]):
        subprocess.run(["git", *args], cwd=folder, env=env, check=True)


def _measure(args: list[str]) -> None:
    """Run as a child: build once and report this process tree's peak RSS as JSON."""
    started = time.perf_counter()
    proc = subprocess.run(args, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak_kib = usage.ru_maxrss
    print(
        json.dumps(
            {
                "seconds": elapsed,
                "cpu_seconds": usage.ru_utime + usage.ru_stime,
                "peak_bytes": peak_kib * 1024,
                "returncode": proc.returncode,
                "stderr": proc.stderr[-4000:],
            }
        )
    )


def _build(config: Path) -> Run:
    # A fresh measuring process per build, so each peak belongs to one build only.
    out = subprocess.run(
        [sys.executable, __file__, "--_measure", str(MKDOCS), "build", "-q", "-f", str(config)],
        capture_output=True,
        text=True,
        check=True,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"},
    )
    data = json.loads(out.stdout)
    site = config.parent / "build" / "site"
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    return Run(
        data["seconds"],
        data["cpu_seconds"],
        data["peak_bytes"],
        size,
        data["returncode"],
        data["stderr"],
    )


def _plugin_project(root: Path, render_processes: int | None) -> Path:
    (root / "site").mkdir(exist_ok=True)
    shutil.copy(REPO / "site" / "index.md", root / "site" / "index.md")
    config = root / "mkdocs.yml"
    processes = "" if render_processes is None else f"      render_processes: {render_processes}\n"
    config.write_text(
        "site_name: Bench\ndocs_dir: site\nsite_dir: build/site\n"
        + THEME
        + "plugins:\n  - postmortems:\n      today: '2026-01-01'\n      search: false\n"
        + processes,
        encoding="utf-8",
    )
    return config


def _plain_project(root: Path, corpus: Path) -> Path:
    docs = root / "docs"
    (docs / "incidents").mkdir(parents=True)
    shutil.copy(REPO / "site" / "index.md", docs / "index.md")
    # The same pages as the plugin's: its navigation (the theme renders the nav into every
    # page, so a smaller nav would make the plain build look cheaper) and a page at every
    # other address it generates (term pages, tags, years), each a stub with the page's
    # title, a floor for what Material spends on those pages.
    stubs = dict.fromkeys(_nav_files(DEFAULT_NAV), "Placeholder") | _generated_pages(corpus)
    for src, title in stubs.items():
        if not (docs / src).exists():
            (docs / src).parent.mkdir(parents=True, exist_ok=True)
            (docs / src).write_text(f"# {title}\n", encoding="utf-8")
    for path in (corpus / "postmortems").glob("*.md"):
        shutil.copy(path, docs / "incidents" / path.name)
    config = root / "mkdocs.yml"
    config.write_text(
        "site_name: Bench\ndocs_dir: docs\nsite_dir: build/site\n"
        + THEME
        + "nav: "
        + json.dumps(DEFAULT_NAV)
        + "\nnot_in_nav: '*.md'\nvalidation:\n"
        "  links: {not_found: ignore, unrecognized_links: ignore}\nplugins: []\n",
        encoding="utf-8",
    )
    return config


def _generated_pages(corpus: Path) -> dict[str, str]:
    """Every page the plugin generates for ``corpus`` but a postmortem's: docs path -> title."""
    knowledge_base = load_knowledge_base(Project(corpus))
    site = site_pages(
        knowledge_base,
        SiteOptions(today="2026-01-01", git_dates=False),
        linker=SiteLinker(True),
        edit_url_template=None,
    )
    return {page.src_uri: page.title for page in site.pages() if page.record is None}


def _nav_files(nav: list[Any]) -> list[str]:
    found: list[str] = []
    for entry in nav:
        for value in entry.values():
            found += _nav_files(value) if isinstance(value, list) else [value]
    return found


def bench(
    n: int, seed: int, work: Path, repeat: int, render_processes: int | None
) -> dict[str, float]:
    kb = work / f"kb-{n}"
    started = time.perf_counter()
    generate(kb, n, seed)
    _git_commit(kb)
    print(f"N={n}: corpus generated and committed in {time.perf_counter() - started:.1f}s")
    plugin_config = _plugin_project(kb, render_processes)
    plain_config = _plain_project(work / f"plain-{n}", kb)
    plugins: list[Run] = []
    plains: list[Run] = []
    for turn in range(1, repeat + 1):
        # Taking turns, so that a slow spell of the machine falls on both alike.
        plugin = _build(plugin_config)
        if plugin.returncode != 0:
            raise SystemExit(f"plugin build failed:\n{plugin.stderr}")
        plain = _build(plain_config)
        if plain.returncode != 0:
            raise SystemExit(f"plain build failed:\n{plain.stderr}")
        plugins.append(plugin)
        plains.append(plain)
        print(
            f"  run {turn}: plugin {plugin.seconds:6.1f}s wall {plugin.cpu_seconds:6.1f}s cpu, "
            f"plain {plain.seconds:6.1f}s wall {plain.cpu_seconds:6.1f}s cpu, "
            f"ratio {plugin.seconds / plain.seconds:.2f}x"
        )
    mib = 1024 * 1024
    plugin_s = median(r.seconds for r in plugins)
    plain_s = median(r.seconds for r in plains)
    plugin_cpu = median(r.cpu_seconds for r in plugins)
    plain_cpu = median(r.cpu_seconds for r in plains)
    plugin_peak = max(r.peak_bytes for r in plugins)
    plain_peak = max(r.peak_bytes for r in plains)
    size = plugins[-1].site_bytes
    # Each turn's two builds ran back to back, so their ratio cancels the machine's slow
    # spells better than a ratio of medians taken minutes apart; both are printed.
    ratio = median(a.seconds / b.seconds for a, b in zip(plugins, plains, strict=True))
    ratio_of_medians = plugin_s / plain_s
    cpu_ratio = plugin_cpu / plain_cpu
    runs = f"median of {repeat}" if repeat > 1 else "1 run"
    print(
        f"  plugin: {plugin_s:7.1f}s wall {plugin_cpu:7.1f}s cpu  peak {plugin_peak / mib:7.0f} MiB  "
        f"site {size / mib:7.1f} MiB  {size / n / 1024:6.1f} KiB/postmortem  ({runs})"
    )
    print(
        f"  plain:  {plain_s:7.1f}s wall {plain_cpu:7.1f}s cpu  peak {plain_peak / mib:7.0f} MiB  "
        f"site {plains[-1].site_bytes / mib:7.1f} MiB  "
        f"{plains[-1].site_bytes / n / 1024:6.1f} KiB/postmortem  ({runs})"
    )
    print(
        f"  ratio:  wall {ratio:.2f}x (median of the turns' ratios; target <= 1.3x), "
        f"{ratio_of_medians:.2f}x of the medians, cpu {cpu_ratio:.2f}x, "
        f"memory {plugin_peak / plain_peak:.2f}x"
    )
    return {
        "n": n,
        "plugin_seconds": plugin_s,
        "plain_seconds": plain_s,
        "ratio": ratio,
        "cpu_ratio": cpu_ratio,
        "plugin_peak_mib": plugin_peak / mib,
        "plugin_bytes_per_postmortem": size / n,
    }


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--_measure":
        _measure(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=None, help="one size (default 2000)")
    parser.add_argument("--sizes", default="", help="comma-separated sizes, e.g. 2000,10000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, default=None, help="build here and keep the output")
    parser.add_argument("--repeat", type=int, default=5, help="builds of each, taking turns")
    parser.add_argument(
        "--render-processes",
        type=int,
        default=None,
        help="the plugin's render_processes option (default: its own default)",
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s] or [args.n or 2000]
    work = args.keep or Path(tempfile.mkdtemp(prefix="pmkb-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        results = [
            bench(n, args.seed, work, max(1, args.repeat), args.render_processes) for n in sizes
        ]
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    if len(results) > 1:
        per = ", ".join(
            f"{r['plugin_bytes_per_postmortem'] / 1024:.1f} KiB at {r['n']:.0f}" for r in results
        )
        print(f"site bytes per postmortem (plugin): {per}")
    if any(r["ratio"] > 1.3 for r in results):
        print("time ratio above the 1.3x target")


if __name__ == "__main__":
    main()

"""Generated pages rendered ahead of the site generator, in forked worker processes.

MkDocs builds pages one at a time in one process. Rendering the generated parts of
them (each postmortem's header card and related incidents, the term pages with their
charts, the dashboard and Insights) and writing the feeds and the JSON API is about a
third of a large build, and none of it needs MkDocs. So while MkDocs turns Markdown
into HTML and pages into templates, workers forked from the build render the same
pages, in the order MkDocs will ask for them, so that a page's HTML is usually ready
when MkDocs gets to it, and then build the data files, which MkDocs copies last.

A worker renders a page around BODY_SLOT, as `postmortem site generate` does, and the
build puts the Markdown MkDocs rendered in its place (GeneratedPage.render's contract).
Whatever a worker could not do (an exception, a worker that died, a page asked for out
of turn, a page whose Markdown rendered to nothing) is done in the build's own process,
exactly as without workers, so the pages, and any error, are the same either way.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field

from postmortem_kb.pages import GeneratedPage
from postmortem_kb.processes import can_fork, default_jobs
from postmortem_kb.site_adapter.files import BODY_SLOT

# Pages per task: enough that handing out a task costs little beside rendering it.
CHUNK = 20
# Tasks handed out ahead of the page MkDocs is at. MkDocs spends little on a term page
# and a worker much (its chart), so the workers must be well ahead by then; this still
# bounds the HTML waiting in memory to a few tens of megabytes, whatever the site's size.
AHEAD = 64
# More workers than this would mostly wait: one keeps ahead of MkDocs on its own.
MAX_WORKERS = 2
# How much lower the workers' scheduling priority is than the build's (nice(2)).
WORKER_NICENESS = 10

DataFiles = Callable[[], dict[str, bytes]]


@dataclass
class _Work:
    """What forked workers render from, inherited from the build that forked them."""

    pages: dict[str, GeneratedPage] = field(default_factory=dict)
    data_files: DataFiles = dict


_FORKED = _Work()


def default_workers() -> int:
    """One less than the CPUs this process may use (MkDocs keeps one busy), at most
    MAX_WORKERS; 0 on one CPU."""
    return min(MAX_WORKERS, default_jobs() - 1)


@dataclass
class RenderStats:
    """How a build's pages were rendered: for `mkdocs build --verbose`."""

    workers: int = 0  # forked to render pages ahead
    ahead: int = 0  # by a worker, before MkDocs asked
    here: int = 0  # by the build itself, when asked
    waited: float = 0.0  # seconds the build waited for workers

    def describe(self) -> str:
        """One line: "2129 pages rendered ahead by 1 worker, 0 here; waited 0.1 s"."""
        workers = f"{self.workers} worker" + ("" if self.workers == 1 else "s")
        return (
            f"{self.ahead} pages rendered ahead by {workers}, {self.here} here; "
            f"waited {self.waited:.1f} s"
        )


class PageRenderer:
    """The final HTML of generated pages and the data files, made ahead by ``workers``
    forked processes when this process may fork, else here when asked for."""

    def __init__(
        self, pages: Sequence[GeneratedPage], workers: int, data_files: DataFiles = dict
    ) -> None:
        self._work = _Work({page.src_uri: page for page in pages}, data_files)
        self.stats = RenderStats()
        self._ready: dict[str, str | None] = {}  # rendered, not asked for yet
        self._pending: dict[str, Future[list[tuple[str, str | None]]]] = {}
        order = list(self._work.pages)
        self._queue = deque(order[start : start + CHUNK] for start in range(0, len(order), CHUNK))
        self._data: Future[dict[str, bytes] | None] | None = None
        self._executor: ProcessPoolExecutor | None = None
        if workers > 0 and can_fork():
            global _FORKED  # read by the workers, which inherit this process's memory
            _FORKED = self._work
            self._executor = ProcessPoolExecutor(
                workers,
                mp_context=multiprocessing.get_context("fork"),
                initializer=_yield_to_the_build,
            )
            self.stats.workers = workers
            for _ in range(AHEAD):
                self._hand_out()
            # Next, not last: MkDocs copies the files after reading every page's
            # Markdown, but asks for the pages' final HTML only after that.
            self._data = self._executor.submit(_build_data_files)

    def render(self, page: GeneratedPage, html: str) -> str:
        """``page``'s final HTML around ``html``, its Markdown as the generator rendered it."""
        asked = time.perf_counter()
        rendered = self._take(page.src_uri) if page.src_uri in self._work.pages else None
        self.stats.waited += time.perf_counter() - asked
        if rendered is not None:
            slots = rendered.count(BODY_SLOT)
            if slots == 0:  # a page that shows no Markdown of its own
                self.stats.ahead += 1
                return rendered
            if slots == 1 and html.strip():
                self.stats.ahead += 1
                return rendered.replace(BODY_SLOT, html)
        self.stats.here += 1
        return page.render(html)

    def data_files(self) -> dict[str, bytes]:
        """The data files, as built by a worker, or built here."""
        built = None
        if self._data is not None:
            try:
                built = self._data.result()
            except Exception:  # a worker died, or its result did not come back: build here
                self.close()
        return built if built is not None else self._work.data_files()

    def close(self) -> None:
        """Stop the workers; what is asked for after this is made here."""
        global _FORKED
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)
        self._pending.clear()
        self._ready.clear()
        self._queue.clear()
        self._data = None
        if _FORKED is self._work:
            _FORKED = _Work()

    def _take(self, src_uri: str) -> str | None:
        if src_uri in self._ready:
            return self._ready.pop(src_uri)
        future = self._pending.get(src_uri)
        if future is None:
            return None
        try:
            results = future.result()
        except Exception:  # a worker died (out of memory, say), or its result did not come
            self.close()  # back: the build makes the rest itself
            return None
        for uri, rendered in results:
            self._pending.pop(uri, None)
            self._ready[uri] = rendered
        self._hand_out()
        return self._ready.pop(src_uri, None)

    def _hand_out(self) -> None:
        if self._executor is None or not self._queue:
            return
        chunk = self._queue.popleft()
        future = self._executor.submit(_render_chunk, chunk)
        for uri in chunk:
            self._pending[uri] = future


def _yield_to_the_build() -> None:
    """In a worker: a lower priority than the build's. The workers keep well ahead of
    MkDocs, which is the build's critical path, so where they compete for a CPU (with
    vl-convert's threads, or another program) MkDocs should win."""
    with contextlib.suppress(OSError):  # not allowed here: render at the same priority
        os.nice(WORKER_NICENESS)


def _render_chunk(src_uris: list[str]) -> list[tuple[str, str | None]]:
    """In a worker: each page's HTML around BODY_SLOT, or None where rendering failed
    (the build then renders that page itself, and reports the failure as it would)."""
    results: list[tuple[str, str | None]] = []
    for uri in src_uris:
        try:
            results.append((uri, _FORKED.pages[uri].render(BODY_SLOT)))
        except Exception:  # rendered again by the build, which reports it
            results.append((uri, None))
    return results


def _build_data_files() -> dict[str, bytes] | None:
    """In a worker: the data files, or None if building them failed (the build then
    builds them itself, and reports the failure as it would)."""
    try:
        return _FORKED.data_files()
    except Exception:  # built again by the build, which reports it
        return None

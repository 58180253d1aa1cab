"""When and how many worker processes to fork: the check and the site's page rendering
both spread work over forked processes, which inherit what this one has built.

Forking copies only the thread that forks. A process that runs other threads (mkdocs
serve's file watcher and web server; vl-convert's JavaScript engine, once a chart has
been drawn) may have one of them holding a lock that the child then waits for forever,
so such a process never forks and does the work itself.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from pathlib import Path

_START_METHODS = multiprocessing.get_all_start_methods()
_TASKS = Path("/proc/self/task")  # Linux: one entry per thread of this process


def default_jobs() -> int:
    """The CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether this process may fork workers: the platform forks, and it runs one thread
    (counted by the operating system where it tells, so threads started by native code,
    which Python's threading module does not know of, count too)."""
    if "fork" not in _START_METHODS:
        return False
    try:
        return len(os.listdir(_TASKS)) == 1
    except OSError:  # no /proc: only Python's own threads can be counted
        return threading.active_count() == 1

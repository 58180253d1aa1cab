"""The search index on disk: kept in step with the files, never stale, never a crash."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from postmortem_kb.search import SearchIndex, SearchQuery
from postmortem_kb.search.tables import SCHEMA_VERSION
from postmortem_testkit import TmpProject
from postmortem_testkit.incidents import incident, ok, search_ids

EDGE = "2024-05-01-edge-config-push"


def cache_file(project: TmpProject) -> Path:
    return project.root / ".postmortem-cache" / "search.sqlite"


def test_the_index_is_kept_in_the_cache_folder(incidents: TmpProject) -> None:
    assert search_ids(incidents, "quokka") == [EDGE]
    assert cache_file(incidents).is_file()


def test_the_cache_folder_can_be_configured(
    incidents: TmpProject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POSTMORTEM_CACHE_DIR", str(tmp_path / "elsewhere"))
    assert search_ids(incidents, "quokka") == [EDGE]
    assert not (incidents.root / ".postmortem-cache").exists()
    assert len(list((tmp_path / "elsewhere").glob("search-*.sqlite"))) == 1


def test_no_cache_builds_in_memory(incidents: TmpProject) -> None:
    assert search_ids(incidents, "quokka", "--no-cache") == [EDGE]
    assert search_ids(incidents, "--no-cache") == search_ids(incidents)
    assert not cache_file(incidents).exists() or search_ids(incidents, "--no-cache")
    assert not (incidents.root / ".postmortem-cache").exists() or cache_file(incidents).exists()


def test_no_cache_writes_nothing(incidents: TmpProject) -> None:
    search_ids(incidents, "quokka", "--no-cache")
    assert not (incidents.root / ".postmortem-cache").exists()


# -- never stale -----------------------------------------------------------------------


def test_an_edit_between_two_searches(incidents: TmpProject) -> None:
    assert search_ids(incidents, "quokka") == [EDGE]
    incidents.write(
        EDGE,
        incident("2024-05-01", title="Edge load balancer drops TLS", summary="A platypus now."),
    )
    assert search_ids(incidents, "quokka") == []
    assert search_ids(incidents, "platypus") == [EDGE]


def test_an_edit_that_keeps_the_modification_time_but_changes_the_size(
    incidents: TmpProject,
) -> None:
    path = incidents.path(EDGE)
    old = os.stat(path)
    assert search_ids(incidents, "quokka") == [EDGE]
    path.write_text(path.read_text().replace("quokka", "capybara-and-more"))
    os.utime(path, ns=(old.st_atime_ns, old.st_mtime_ns))
    assert search_ids(incidents, "quokka") == []
    assert search_ids(incidents, "capybara") == [EDGE]


def test_an_edit_that_keeps_size_and_modification_time(incidents: TmpProject) -> None:
    # Same size, same mtime: only caught because the file changed so recently
    # that its mtime cannot be trusted ("racily clean"), so it is hashed again.
    path = incidents.path(EDGE)
    old = os.stat(path)
    assert search_ids(incidents, "quokka") == [EDGE]
    path.write_text(path.read_text().replace("quokka", "wapiti"))
    os.utime(path, ns=(old.st_atime_ns, old.st_mtime_ns))
    assert os.stat(path).st_size == old.st_size
    assert search_ids(incidents, "quokka") == []
    assert search_ids(incidents, "wapiti") == [EDGE]


def test_a_touch_without_a_change_is_not_reindexed(incidents: TmpProject) -> None:
    assert search_ids(incidents, "quokka") == [EDGE]
    path = incidents.path(EDGE)
    os.utime(path, ns=(0, 1_000_000_000))
    index = SearchIndex.on_disk(incidents.project(), cache_file(incidents).parent)
    report = index.refresh()
    index.close()
    assert (report.indexed, report.removed) == (0, 0)
    assert search_ids(incidents, "quokka") == [EDGE]


def test_a_rename_between_two_searches(incidents: TmpProject) -> None:
    assert search_ids(incidents, "quokka") == [EDGE]
    incidents.path(EDGE).rename(incidents.path("2024-05-01-edge-tls-outage"))
    hits = search_ids(incidents, "quokka")
    assert hits == ["2024-05-01-edge-tls-outage"]


def test_a_delete_between_two_searches(incidents: TmpProject) -> None:
    assert search_ids(incidents, "quokka") == [EDGE]
    incidents.path(EDGE).unlink()
    assert search_ids(incidents, "quokka") == []
    assert EDGE not in search_ids(incidents)


def test_a_new_file_between_two_searches(incidents: TmpProject) -> None:
    assert search_ids(incidents, "narwhal") == []
    incidents.write("2025-05-05-narwhal", incident("2025-05-05", title="Narwhal outage"))
    assert search_ids(incidents, "narwhal") == ["2025-05-05-narwhal"]


def test_a_file_that_gains_an_error_leaves_the_results(incidents: TmpProject) -> None:
    assert search_ids(incidents, "quokka") == [EDGE]
    incidents.write(EDGE, incident("2024-05-01", severity="SEV9", summary="quokka"))
    result = ok(incidents.cli("search", "quokka"))
    assert result.stdout == "no matches\n"
    assert "1 file with errors" in result.stderr


def test_deleting_a_related_postmortem_invalidates_the_one_naming_it(
    incidents: TmpProject,
) -> None:
    incidents.write("2025-06-01-follow-up", incident("2025-06-01", title="Ocelot", related=[EDGE]))
    assert search_ids(incidents, "ocelot") == ["2025-06-01-follow-up"]
    incidents.path(EDGE).unlink()
    # `postmortem check` now reports the dangling `related` id, so search leaves it out.
    assert search_ids(incidents, "ocelot") == []
    incidents.write(EDGE, incident("2024-05-01"))
    assert search_ids(incidents, "ocelot") == ["2025-06-01-follow-up"]


def test_a_taxonomy_change_rebuilds_the_index(incidents: TmpProject) -> None:
    assert search_ids(incidents, "--cause", "config-change") == [
        "2025-01-15-bad-config-payments",
        EDGE,
    ]
    taxonomy = incidents.root / "schema/taxonomy.yml"
    # bad-config stops being an alias and becomes a term of its own.
    text = taxonomy.read_text().replace(
        "aliases: [bad-config, config-push]", "aliases: [config-push]"
    )
    text = text.replace(
        "  insufficient-testing:",
        "  bad-config:\n    title: Bad config\n    description: Separate now.\n"
        "  insufficient-testing:",
    )
    taxonomy.write_text(text)
    assert search_ids(incidents, "--cause", "config-change") == [EDGE]
    assert search_ids(incidents, "--cause", "bad-config") == ["2025-01-15-bad-config-payments"]


# -- the warm path ----------------------------------------------------------------------

# Loaded only when a file must be (re)checked; a warm search answers without them.
HEAVY_MODULES = ("yaml", "jsonschema", "fastjsonschema")
HEAVY_PACKAGES = ("postmortem_kb.validation", "postmortem_kb.collection")

# Runs searches in a fresh interpreter and prints the modules it imported.
WARM_SEARCH = """
import json, sys
from postmortem_kb.cli import cli
for args in json.loads(sys.argv[1]):
    try:
        cli.main(args, prog_name="postmortem")
    except SystemExit as done:
        assert done.code == 0, (args, done.code)
print(json.dumps(sorted(sys.modules)))
"""


def heavy_imports(project: TmpProject) -> list[str]:
    """The heavy modules a fresh interpreter imports for a few searches in ``project``."""
    root = str(project.root)
    searches = [
        ["--root", root, "search", "quokka"],
        ["--root", root, "search", "config", "--cause", "bad-config", "--format", "json"],
        ["--root", root, "search", "--service", "checkout", "--severity", "sev1"],
        ["--root", root, "search", "--lucky-break", "low-traffic", "--status", "published"],
    ]
    done = subprocess.run(
        [sys.executable, "-c", WARM_SEARCH, json.dumps(searches)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    imported = json.loads(done.stdout.splitlines()[-1])
    assert "postmortem_kb.search" in imported
    return [
        name
        for name in imported
        if name.split(".")[0] in HEAVY_MODULES
        or any(name == p or name.startswith(p + ".") for p in HEAVY_PACKAGES)
    ]


def test_a_warm_search_does_not_load_the_validator(incidents: TmpProject) -> None:
    # Files modified long ago are not racily clean, so the warm search hashes nothing.
    an_hour_ago = time.time_ns() - 3600 * 1_000_000_000
    for path in (*incidents.postmortems.iterdir(), *(incidents.root / "schema").iterdir()):
        os.utime(path, ns=(an_hour_ago, an_hour_ago))
    assert search_ids(incidents, "quokka") == [EDGE]  # builds the index
    assert heavy_imports(incidents) == []


def test_hashing_racily_clean_files_again_does_not_load_the_validator(
    incidents: TmpProject,
) -> None:
    # Just written, so hashed again at the next search; unchanged, so not checked.
    assert search_ids(incidents, "quokka") == [EDGE]
    assert heavy_imports(incidents) == []


# -- damage and versions ---------------------------------------------------------------


def test_a_corrupt_cache_file_is_rebuilt(incidents: TmpProject) -> None:
    assert search_ids(incidents, "quokka") == [EDGE]
    for name in os.listdir(cache_file(incidents).parent):
        (cache_file(incidents).parent / name).unlink()
    cache_file(incidents).write_bytes(b"this is not a database" * 100)
    assert search_ids(incidents, "quokka") == [EDGE]


def test_an_index_of_another_schema_version_is_rebuilt(incidents: TmpProject) -> None:
    assert search_ids(incidents, "quokka") == [EDGE]
    with sqlite3.connect(cache_file(incidents)) as db:
        db.execute("DROP TABLE fts")
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    assert search_ids(incidents, "quokka") == [EDGE]
    with sqlite3.connect(cache_file(incidents)) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    db.close()


def test_a_cache_folder_that_cannot_be_created_falls_back_to_memory(
    incidents: TmpProject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("POSTMORTEM_CACHE_DIR", str(blocker / "cache"))
    assert search_ids(incidents, "quokka") == [EDGE]


def test_refresh_reports_what_it_did(incidents: TmpProject) -> None:
    project = incidents.project()
    index = SearchIndex.in_memory(project)
    first = index.refresh()
    assert (first.rebuilt, first.indexed, first.removed, first.skipped) == (True, 5, 0, 0)
    second = index.refresh()
    assert (second.rebuilt, second.removed) == (False, 0)
    incidents.path(EDGE).unlink()
    third = index.refresh()
    assert (third.indexed, third.removed) == (0, 1)
    hits, total = index.search(SearchQuery(text="payments"))
    assert total == len(hits) == 4
    index.close()


def test_searches_running_at_once_share_one_index(
    incidents: TmpProject, postmortem_exe: Path
) -> None:
    # Four processes find an empty cache together: they take turns building it, and
    # every one of them answers correctly.
    command = [str(postmortem_exe), "--root", str(incidents.root), "search", "quokka"]
    env = {k: v for k, v in os.environ.items() if k != "POSTMORTEM_CACHE_DIR"}
    running = [
        subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
        )
        for _ in range(4)
    ]
    for process in running:
        stdout, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stderr
        assert stdout.splitlines()[0].startswith(EDGE)
    with sqlite3.connect(cache_file(incidents)) as db:
        assert db.execute("SELECT count(*) FROM files").fetchone()[0] == 5
    db.close()


def test_an_index_missing_a_table_is_rebuilt(incidents: TmpProject) -> None:
    assert search_ids(incidents, "quokka") == [EDGE]
    with sqlite3.connect(cache_file(incidents)) as db:
        db.execute("DROP TABLE terms")
    db.close()
    assert search_ids(incidents, "quokka", "--cause", "config-change") == [EDGE]


def test_a_same_size_edit_with_the_mtime_set_back_is_seen(incidents: TmpProject) -> None:
    """Issue 11, attacker 8: compare ctime (and inode) too, not only size and mtime."""
    path = incidents.path(EDGE)
    assert search_ids(incidents, "quokka") == [EDGE]
    text = path.read_text(encoding="utf-8")
    assert "quokka" in text
    before = path.stat()
    time.sleep(2.1)  # past the racy window, so only the stat can tell
    assert search_ids(incidents, "quokka") == [EDGE]  # the file is no longer racy
    path.write_text(text.replace("quokka", "wombat"), encoding="utf-8")  # same size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    assert path.stat().st_mtime_ns == before.st_mtime_ns
    assert search_ids(incidents, "wombat") == [EDGE]
    assert search_ids(incidents, "quokka") == []


def _postmortem_search(
    project: TmpProject, *args: str, **popen: object
) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).parent / "postmortem"
    return subprocess.run(
        [str(exe), "--root", str(project.root), "search", "--format", "json", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        **popen,  # type: ignore[call-overload]
    )


def test_a_full_cache_disk_still_searches(incidents: TmpProject) -> None:
    """Issue 11, attacker 8: "cannot rollback - no transaction is active" on a full disk.
    The disk is made full for the search alone: it may write files of 96 KiB at most: enough to create the index, not to fill it."""
    import resource
    import signal

    def small_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG)
        resource.setrlimit(resource.RLIMIT_FSIZE, (96 * 1024, 96 * 1024))

    result = _postmortem_search(incidents, "quokka", preexec_fn=small_disk)
    assert result.returncode == 0, result.stderr
    assert [hit["id"] for hit in json.loads(result.stdout)] == [EDGE]
    assert "Traceback" not in result.stderr
    assert result.stderr == ""


def test_a_search_does_not_wait_on_a_writer_that_holds_the_index(incidents: TmpProject) -> None:
    """Issue 11, attacker 8: searches queued 30 s behind writers and failed. One that
    cannot have the index builds its own in memory: the answer is still fresh."""
    assert search_ids(incidents, "quokka") == [EDGE]
    index_file = incidents.root / ".postmortem-cache" / "search.sqlite"
    writer = sqlite3.connect(index_file, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")  # another search, mid-refresh
        path = incidents.path(EDGE)
        path.write_text(path.read_text(encoding="utf-8").replace("quokka", "wombat"))
        result = _postmortem_search(incidents, "wombat")
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert result.returncode == 0, result.stderr
    assert [hit["id"] for hit in json.loads(result.stdout)] == [EDGE]


@pytest.mark.parametrize("limit", ["99999999999999999999", str(2**63)])
def test_a_limit_past_sqlite_s_integers_means_all(incidents: TmpProject, limit: str) -> None:
    assert len(search_ids(incidents, "--limit", limit)) == 5


def test_a_pasted_page_is_a_usage_error_not_minutes_of_work(incidents: TmpProject) -> None:
    words = " ".join(f"word{i}" for i in range(2000))
    result = incidents.cli("search", words)
    assert result.exit_code == 2
    assert "the query has 2,000 different words and phrases; at most 64" in result.output


def test_a_word_repeated_counts_once(incidents: TmpProject) -> None:
    assert search_ids(incidents, *(["quokka"] * 500)) == [EDGE]

"""Reading a postmortem file: bytes, encodings, fences, sizes and symlinks."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from postmortem_kb.loading.files import LoadedFile, LoadError, load_bytes, load_file
from postmortem_kb.loading.frontmatter_yaml import Position
from postmortem_testkit import TmpProject, postmortem_text

NAME = Path("postmortems/2025-03-14-payments-502.md")
SMALL = "---\ntitle: Hello there\nseverity: SEV2\n---\n## Summary\n\nBody.\n"


def loaded(raw: bytes) -> LoadedFile:
    result = load_bytes(NAME, raw)
    assert isinstance(result, LoadedFile), result
    return result


def failed(raw: bytes) -> LoadError:
    result = load_bytes(NAME, raw)
    assert isinstance(result, LoadError), result
    return result


def where(error: LoadError) -> tuple[int, int, str]:
    return error.line, error.column, error.message


def test_splits_front_matter_and_body() -> None:
    result = loaded(SMALL.encode())
    assert result.id == "2025-03-14-payments-502"
    assert result.front_matter.data == {"title": "Hello there", "severity": "SEV2"}
    assert result.body == "## Summary\n\nBody.\n"
    assert result.body_line == 5
    assert result.front_matter.value_positions[("severity",)] == Position(3, 11)


def test_closing_fence_may_have_trailing_spaces() -> None:
    result = loaded(b"---\ntitle: Hello there\n---  \nbody\n")
    assert result.body == "body\n"


def test_later_fences_belong_to_the_body() -> None:
    result = loaded(b"---\ntitle: Hello there\n---\nintro\n\n---\n\nmore\n")
    assert result.body == "intro\n\n---\n\nmore\n"


def test_file_without_body() -> None:
    result = loaded(b"---\ntitle: Hello there\n---")
    assert result.body == ""
    assert result.body_line == 4


def test_crlf_reads_exactly_like_lf() -> None:
    lf = loaded(SMALL.encode())
    crlf = loaded(SMALL.replace("\n", "\r\n").encode())
    assert crlf.front_matter == lf.front_matter
    assert crlf.body == lf.body
    assert crlf.body_line == lf.body_line


def test_bom_is_dropped_and_lines_stay_right() -> None:
    plain = loaded(SMALL.encode())
    bom = loaded(b"\xef\xbb\xbf" + SMALL.encode())
    assert bom.front_matter == plain.front_matter
    assert bom.body == plain.body


def test_bom_and_crlf_together() -> None:
    result = loaded(b"\xef\xbb\xbf" + SMALL.replace("\n", "\r\n").encode())
    assert result.front_matter.value_positions[("severity",)] == Position(3, 11)


def test_yaml_errors_are_located_in_crlf_files() -> None:
    raw = b"---\r\ntitle: a\r\ntitle: b\r\n---\r\n"
    assert where(failed(raw)) == (3, 1, "duplicate key 'title' (first set on line 2)")


def test_non_utf8_byte_is_located() -> None:
    raw = b"---\ntitle: Hello\nsummary: bad \xff byte\n---\n"
    assert where(failed(raw)) == (
        3,
        14,
        "file is not valid UTF-8 (byte 0xff); save it as UTF-8",
    )


def test_latin1_file_is_reported_at_its_first_accented_letter() -> None:
    raw = "---\ntitle: Caf\xe9 outage\n---\n".encode("latin-1")
    assert where(failed(raw)) == (2, 11, "file is not valid UTF-8 (byte 0xe9); save it as UTF-8")


def test_non_utf8_column_counts_characters() -> None:
    raw = "---\nsummary: Café ".encode() + b"\xff\n---\n"
    assert (failed(raw).line, failed(raw).column) == (2, 15)


def test_utf16_file_is_not_text() -> None:
    error = failed("---\ntitle: x\n---\n".encode("utf-16"))
    assert error.message.startswith(("file contains a NUL byte", "file is not valid UTF-8"))


def test_nul_byte_is_located() -> None:
    raw = b"---\ntitle: Hello\nsummary: a\x00b\n---\n"
    assert where(failed(raw)) == (3, 11, "file contains a NUL byte; it is not a text file")


@pytest.mark.parametrize("raw", [b"", b"   ", b"\n\n", b" \t\r\n  \n", b"\xef\xbb\xbf\n"])
def test_empty_and_whitespace_only_files(raw: bytes) -> None:
    assert where(failed(raw)) == (
        1,
        1,
        "file is empty; a postmortem starts with '---' and its front matter",
    )


@pytest.mark.parametrize(
    "raw", [b"# Title\n\ntext\n", b"title: x\n---\n", b" ---\ntitle: x\n---\n", b"----\n---\n"]
)
def test_no_front_matter(raw: bytes) -> None:
    assert where(failed(raw)) == (1, 1, "no front matter: the file must start with a '---' line")


def test_unterminated_front_matter() -> None:
    assert where(failed(b"---\ntitle: x\nstatus: draft\n")) == (
        1,
        1,
        "front matter is not closed: add a '---' line after the last field",
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"---\n---\nbody\n", (1, 1, "front matter is empty")),
        (
            b"---\n- a\n- b\n---\n",
            (2, 1, "front matter must be a mapping of fields (title: ...), not a list"),
        ),
        (
            b"---\nhello\n---\n",
            (2, 1, "front matter must be a mapping of fields (title: ...), not a single value"),
        ),
    ],
)
def test_front_matter_that_is_not_a_mapping(raw: bytes, expected: tuple[int, int, str]) -> None:
    assert where(failed(raw)) == expected


# --- load_file: the file system side ----------------------------------------------------


def test_load_file_reads_a_valid_postmortem(project: TmpProject) -> None:
    path = project.write()
    result = load_file(path, project.root, 1024 * 1024)
    assert isinstance(result, LoadedFile)
    assert result.front_matter.data["severity"] == "SEV2"
    assert result.id == "2025-03-14-payments-502"


def test_file_over_max_bytes_is_refused_before_parsing(project: TmpProject) -> None:
    path = project.write_text("2025-03-14-huge", postmortem_text() + "x" * 5000)
    size = path.stat().st_size
    result = load_file(path, project.root, 4096)
    assert isinstance(result, LoadError)
    assert where(result) == (
        1,
        1,
        f"file is {size:,} bytes, over the limit of 4,096 (max_file_bytes in schema/config.yml)",
    )


def test_file_of_exactly_max_bytes_is_read(project: TmpProject) -> None:
    path = project.write()
    assert isinstance(load_file(path, project.root, path.stat().st_size), LoadedFile)


def test_symlink_outside_the_root_is_refused(project: TmpProject, tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text(postmortem_text())
    link = project.path("2025-03-14-outside")
    link.symlink_to(outside)
    result = load_file(link, project.root, 1024 * 1024)
    assert isinstance(result, LoadError)
    assert where(result) == (
        1,
        1,
        "symbolic link points outside the repository; refusing to read",
    )


def test_symlink_inside_the_root_is_fine(project: TmpProject) -> None:
    target = project.root / "drafts" / "x.md"
    target.parent.mkdir()
    target.write_text(postmortem_text())
    link = project.path("2025-03-14-inside")
    link.symlink_to(os.path.relpath(target, link.parent))
    result = load_file(link, project.root, 1024 * 1024)
    assert isinstance(result, LoadedFile)
    assert result.id == "2025-03-14-inside"


def test_broken_symlink_is_a_read_error(project: TmpProject) -> None:
    link = project.path("2025-03-14-broken")
    link.symlink_to(project.root / "missing.md")
    result = load_file(link, project.root, 1024 * 1024)
    assert isinstance(result, LoadError)
    assert result.message == "cannot read file: No such file or directory"


def test_folder_named_like_a_postmortem_is_a_read_error(project: TmpProject) -> None:
    folder = project.path("2025-03-14-folder")
    folder.mkdir()
    result = load_file(folder, project.root, 1024 * 1024)
    assert isinstance(result, LoadError)
    assert result.message == "cannot read file: Is a directory"

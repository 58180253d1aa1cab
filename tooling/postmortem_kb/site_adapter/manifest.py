"""The manifest of the files ``postmortem site generate`` wrote into a docs folder.

``<folder>/.postmortem-generated`` lists them, one a line, as ``sha256sum`` does:
the SHA-256 of the content written, two spaces, the path inside the folder
(``-`` instead of a digest while a run is under way). Only the files listed
are ever replaced or removed, and only while their content is still what was
written, so that a hand-written file, or a generated one someone edited, is
never lost. The MkDocs plugin reads the list to know these files as its own.
The file starts with a dot, so MkDocs and Zensical leave it out of the site.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from postmortem_kb.errors import ConfigurationError
from postmortem_kb.writing import write_atomic

MANIFEST_NAME = ".postmortem-generated"

_HEADER = """\
# Written by `postmortem site generate`: the files it wrote into this folder. It
# replaces or removes only these (while unchanged), and the postmortems MkDocs
# plugin builds these pages itself. SHA-256, two spaces, path. Do not edit.
"""

UNKNOWN = "-"  # a file being replaced: its digest is known again once the run ends


@dataclass
class Manifest:
    """The generated files of one docs folder: path (POSIX, inside the folder) -> SHA-256
    of the content written, or None when a run stopped before it knew."""

    entries: dict[str, str | None] = field(default_factory=dict)

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        """The manifest in ``folder``; an empty one if there is none."""
        path = folder / MANIFEST_NAME
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls()
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigurationError(f"{path}: cannot read the manifest: {exc}") from None
        entries: dict[str, str | None] = {}
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip() or line.startswith("#"):
                continue
            digest, sep, name = line.partition("  ")
            if not sep or not name or not _is_digest(digest) or not _is_inside(name):
                raise ConfigurationError(
                    f"{path}:{number}: not a manifest line (SHA-256, two spaces, a path "
                    "inside the folder); restore the file or remove it with the files it listed"
                )
            entries[name] = None if digest == UNKNOWN else digest
        return cls(entries)

    def write(self, folder: Path) -> None:
        """Write the manifest into ``folder`` atomically."""
        lines = [f"{digest or UNKNOWN}  {name}\n" for name, digest in sorted(self.entries.items())]
        write_atomic(
            folder / MANIFEST_NAME, (_HEADER + "".join(lines)).encode("utf-8"), durable=False
        )

    def __contains__(self, name: object) -> bool:
        return name in self.entries


def digest(content: bytes) -> str:
    """The SHA-256 of ``content``, as the manifest records it."""
    return hashlib.sha256(content).hexdigest()


def file_digest(path: Path) -> str:
    """The SHA-256 of the file at ``path``."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _is_digest(text: str) -> bool:
    return text == UNKNOWN or (len(text) == 64 and all(c in "0123456789abcdef" for c in text))


def _is_inside(name: str) -> bool:
    parts = name.split("/")
    return not name.startswith("/") and all(part not in ("", ".", "..") for part in parts)

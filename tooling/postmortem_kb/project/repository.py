"""A postmortem repository: where its folders are and the rules in schema/."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from postmortem_kb.errors import ConfigurationError, UsageError
from postmortem_kb.loading.settings_yaml import read_yaml_mapping
from postmortem_kb.model.shape import RecordShape
from postmortem_kb.model.taxonomy import Taxonomy, parse_taxonomy

if TYPE_CHECKING:
    from postmortem_kb.loading.files import LoadedFile, LoadError

SCHEMA_FILE = "schema/postmortem.schema.json"


@dataclass(frozen=True)
class Config:
    """Team policy from schema/config.yml."""

    required_sections: tuple[str, ...] = ()
    sections_required_for: tuple[str, ...] = ("review", "published")
    max_file_bytes: int = 1024 * 1024
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Project:
    """A knowledge-base repository: its folders, schema, taxonomy and configuration."""

    root: Path

    @property
    def postmortems_dir(self) -> Path:
        """The folder of postmortem files."""
        return self.root / "postmortems"

    @property
    def schema_dir(self) -> Path:
        """The folder of the schema, taxonomy, config and template."""
        return self.root / "schema"

    @property
    def schema_path(self) -> Path:
        """schema/postmortem.schema.json."""
        return self.root / SCHEMA_FILE

    @cached_property
    def schema(self) -> dict[str, Any]:
        """The JSON Schema of the front matter; a broken file is a ConfigurationError."""
        try:
            loaded = json.loads(self.schema_path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise ConfigurationError(f"{self.schema_path}: cannot read: {exc.strerror}") from None
        except ValueError as exc:
            raise ConfigurationError(f"{self.schema_path}: not valid JSON: {exc}") from None
        if not isinstance(loaded, dict):
            raise ConfigurationError(f"{self.schema_path}: the schema must be a JSON object")
        return loaded

    @cached_property
    def shape(self) -> RecordShape:
        """Severity levels and statuses as the schema declares them."""
        return RecordShape.from_schema(self.schema)

    @cached_property
    def taxonomy(self) -> Taxonomy:
        """The controlled vocabulary of schema/taxonomy.yml."""
        return load_taxonomy(self.schema_dir / "taxonomy.yml")

    @cached_property
    def config(self) -> Config:
        """Team policy from schema/config.yml (defaults when it is absent)."""
        path = self.schema_dir / "config.yml"
        if not path.exists():
            return Config()
        raw = read_yaml_mapping(path, "the configuration", "settings")
        try:
            return Config(
                required_sections=tuple(str(s) for s in raw.get("required_sections") or ()),
                sections_required_for=tuple(
                    str(s) for s in raw.get("sections_required_for") or ("review", "published")
                ),
                max_file_bytes=int(raw.get("max_file_bytes", 1024 * 1024)),
                extra=raw,
            )
        except (TypeError, ValueError) as exc:
            raise ConfigurationError(f"{path}: {exc}") from None

    def postmortem_files(self) -> list[Path]:
        """Every *.md file in postmortems/, sorted by name."""
        if not self.postmortems_dir.is_dir():
            return []
        return sorted(self.postmortems_dir.glob("*.md"))

    def expand(self, paths: Iterable[Path]) -> list[Path]:
        """Files as given, folders as their *.md files; a missing path is a UsageError."""
        files: list[Path] = []
        for path in paths:
            if path.is_dir():
                files.extend(sorted(path.glob("*.md")))
            elif path.exists() or path.is_symlink():
                files.append(path)
            else:
                raise UsageError(f"{path}: no such file or folder")
        return files

    def load(self, path: Path) -> LoadedFile | LoadError:
        """Read one postmortem with every guard of `postmortem check` (size, symbolic
        links out of the repository); the one way any command reads a postmortem."""
        # Imported here: the YAML parser is not needed by a warm `postmortem search`.
        from postmortem_kb.loading.files import load_file

        return load_file(path, self.root, self.config.max_file_bytes)

    def read(self, path: Path, max_bytes: int | None = None) -> bytes | LoadError:
        """The bytes of one postmortem, with the guards of `load` but without parsing
        (for hashing it, or reading the words of one whose front matter is broken).
        ``max_bytes``: the size limit when the caller already knows it (the search
        index keeps it, so a warm search need not read config.yml with YAML)."""
        from postmortem_kb.loading.guarded import read_guarded

        limit = self.config.max_file_bytes if max_bytes is None else max_bytes
        return read_guarded(path, self.root, limit)

    def display_path(self, path: Path) -> str:
        """Paths in messages are relative to the repository root, as CI annotations need."""
        try:
            return path.absolute().relative_to(self.root).as_posix()
        except ValueError:
            return str(path)


def load_taxonomy(path: Path) -> Taxonomy:
    """The taxonomy in ``path`` (schema/taxonomy.yml); a broken file is a ConfigurationError."""
    raw = read_yaml_mapping(path, "the taxonomy", "groups", empty_is_mapping=False)
    return parse_taxonomy(raw, path)


def find_project(start: Path | None = None) -> Project:
    """The nearest folder at or above ``start`` that holds schema/postmortem.schema.json."""
    here = (start or Path.cwd()).absolute()
    for folder in (here, *here.parents):
        if (folder / SCHEMA_FILE).is_file():
            return Project(folder)
    raise ConfigurationError(
        f"no {SCHEMA_FILE} found in {here} or any folder above it; "
        "run this inside a postmortem-kb repository or pass --root"
    )

"""`postmortem init`: a new knowledge base from the starter files the package ships,
and `init --upgrade`: the tool's own files brought up to the installed version.

The starter lives in ``postmortem_kb/starter/`` (package data). Most of what it
writes is the team's from then on (the taxonomy, config.yml, blameless.yml, the
site's home text); three files are the tool's (:data:`TOOL_FILES`): the JSON
Schema, the template and the workflow. ``schema/postmortem-kb.lock`` records the
version that wrote them and each one's SHA-256, so that a newer version can tell
which of them it would change, and whether the team edited one since.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from postmortem_kb import __version__
from postmortem_kb.errors import ConfigurationError, UsageError
from postmortem_kb.model.kinds import KINDS, TAXONOMY_KINDS, Control, Kind
from postmortem_kb.project.repository import Project
from postmortem_kb.vcs.changes import import_git
from postmortem_kb.writing import write_atomic, write_new

# Target path in the knowledge base -> file under postmortem_kb/starter/.
# (Package data cannot hold dot-files reliably, so those are stored without the dot.)
STARTER_FILES: dict[str, str] = {
    "schema/postmortem.schema.json": "schema/postmortem.schema.json",
    "schema/taxonomy.yml": "schema/taxonomy.yml",
    "schema/config.yml": "schema/config.yml",
    "schema/template.md": "schema/template.md",
    "schema/blameless.yml": "schema/blameless.yml",
    "mkdocs.yml": "mkdocs.yml",
    "site/index.md": "site/index.md",
    "README.md": "README.md",
    ".github/workflows/postmortems.yml": "github/workflows/postmortems.yml",
    ".github/pull_request_template.md": "github/pull_request_template.md",
    ".pre-commit-config.yaml": "pre-commit-config.yaml",
    ".gitignore": "gitignore",
}
# The files that follow the tool's version; `init --upgrade` updates only these.
TOOL_FILES = (
    "schema/postmortem.schema.json",
    "schema/template.md",
    ".github/workflows/postmortems.yml",
)
LOCK_FILE = "schema/postmortem-kb.lock"
EXAMPLE_ID = "2026-01-12-example-checkout-errors-after-config-push"
KEEP_FILE = "postmortems/.gitkeep"
# What the workflow installs; replaced with the requirement when rendered.
REQUIREMENT_TOKEN = "@POSTMORTEM_KB@"
VERSION_TOKEN = "@VERSION@"
_EXAMPLE_SERVICE_ID = "example-api"
_EXAMPLE_SERVICE_TEXT = (
    "Example API",
    "The service of the example postmortem; remove it together with the example.",
)
_EXAMPLE_SERVICE = (
    f"services:\n  {_EXAMPLE_SERVICE_ID}:\n    title: {_EXAMPLE_SERVICE_TEXT[0]}\n"
    f"    description: {_EXAMPLE_SERVICE_TEXT[1]}\n"
)
_NO_SERVICES = "services: {}\n"


def starter_bytes(name: str) -> bytes:
    """A file of ``postmortem_kb/starter/`` as shipped in the package."""
    return (resources.files("postmortem_kb") / "starter" / name).read_bytes()


def workflow_text(requirement: str) -> str:
    """The CI workflow, installing ``requirement`` (``postmortem-kb==X.Y.Z``, or ``.``)."""
    text = starter_bytes(STARTER_FILES[".github/workflows/postmortems.yml"]).decode("utf-8")
    return text.replace(REQUIREMENT_TOKEN, requirement)


def rendered(target: str, *, version: str = __version__, example: bool = False) -> bytes:
    """The content ``init`` writes to ``target`` with the given tool version."""
    if target == ".github/workflows/postmortems.yml":
        return workflow_text(f"postmortem-kb=={version}").encode("utf-8")
    data = starter_bytes(STARTER_FILES[target])
    if target == "README.md":
        return data.replace(VERSION_TOKEN.encode(), version.encode())
    if target == "schema/taxonomy.yml" and example:
        return data.replace(_NO_SERVICES.encode(), _EXAMPLE_SERVICE.encode())
    return data


def sha256(data: bytes) -> str:
    """The hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Lock:
    """``schema/postmortem-kb.lock``: the version that wrote the tool's files, and their digests."""

    version: str
    files: dict[str, str] = field(default_factory=dict)

    @classmethod
    def read(cls, root: Path) -> Lock | None:
        """The lock of the knowledge base at ``root``; None if it has none (not made by init)."""
        path = root / LOCK_FILE
        try:
            raw: Any = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise ConfigurationError(f"{LOCK_FILE}: cannot be read ({exc})") from None
        if not isinstance(raw, dict) or not isinstance(raw.get("files"), dict):
            raise ConfigurationError(f"{LOCK_FILE}: expected {{'version': ..., 'files': {{...}}}}")
        files = {str(k): str(v) for k, v in raw["files"].items()}
        return cls(str(raw.get("version", "0")), files)

    def text(self) -> str:
        """The lock file's content."""
        data = {
            "comment": "Written by postmortem init / init --upgrade; do not edit.",
            "version": self.version,
            "files": dict(sorted(self.files.items())),
        }
        return json.dumps(data, indent=2) + "\n"


@dataclass(frozen=True)
class InitResult:
    """What `init` did: files written and left alone (each relative to ``root``)."""

    root: Path
    written: tuple[str, ...]
    kept: tuple[str, ...]  # existed already: never overwritten
    git_initialized: bool


def init_knowledge_base(root: Path, *, example: bool = False) -> InitResult:
    """Write the starter knowledge base into ``root``; never overwrite a file.

    Runs ``git init`` when ``root`` is not inside a git repository.
    """
    root = root.absolute()
    if root.exists() and not root.is_dir():
        raise UsageError(f"{root}: not a folder")
    targets = dict.fromkeys(STARTER_FILES, b"")
    for target in targets:
        targets[target] = rendered(target, example=example)
    if example:
        targets[f"postmortems/{EXAMPLE_ID}.md"] = starter_bytes(f"example/{EXAMPLE_ID}.md")
    else:
        targets[KEEP_FILE] = b""
    written: list[str] = []
    kept: list[str] = []
    try:
        root.mkdir(parents=True, exist_ok=True)
        (root / "postmortems").mkdir(exist_ok=True)
        git_initialized = _git_init(root)
        for target, content in targets.items():
            path = root / target
            path.parent.mkdir(parents=True, exist_ok=True)
            (written if write_new(path, content.decode("utf-8")) else kept).append(target)
        lock = Lock(__version__, {t: sha256((root / t).read_bytes()) for t in TOOL_FILES})
        if write_new(root / LOCK_FILE, lock.text()):
            written.append(LOCK_FILE)
        else:
            kept.append(LOCK_FILE)
        if example and "schema/taxonomy.yml" in kept:
            written += _example_service(root)
    except OSError as exc:
        raise UsageError(f"{exc.filename or root}: cannot write: {exc.strerror}") from None
    return InitResult(root, tuple(written), tuple(kept), git_initialized)


def _example_service(root: Path) -> list[str]:
    """The example's service, added to a taxonomy that was there before, so that the
    example postmortem passes the check (an edit in place, as `taxonomy add` makes)."""
    from postmortem_kb.authoring.taxonomy_edit import add_term, apply_edit

    project = Project(root)
    if project.taxonomy.get(Kind.SERVICE, _EXAMPLE_SERVICE_ID) is not None:
        return []
    title, description = _EXAMPLE_SERVICE_TEXT
    apply_edit(add_term(project, Kind.SERVICE, _EXAMPLE_SERVICE_ID, title, description))
    return ["schema/taxonomy.yml (added the service example-api)"]


def _git_init(root: Path) -> bool:
    """``git init`` in ``root`` unless it is inside a repository already; True if it ran."""
    git = import_git("init")
    try:
        git.Repo(root, search_parent_directories=True)
        return False
    except git.InvalidGitRepositoryError:
        # On main whatever the user's init.defaultBranch: the workflow publishes main, and
        # `check --changed` compares with origin/main (else main).
        git.Repo.init(root, initial_branch="main")
        return True


# --- upgrades ---


@dataclass(frozen=True)
class FileUpgrade:
    """One of the tool's files that the installed version would change."""

    target: str
    current: bytes | None  # None: the file is missing
    new: bytes
    edited: bool  # the team changed it since the tool wrote it: left alone unless forced

    def diff(self) -> str:
        """A unified diff from the file as it is to the installed version's."""
        old = (self.current or b"").decode("utf-8", "replace").splitlines(keepends=True)
        new = self.new.decode("utf-8", "replace").splitlines(keepends=True)
        return "".join(difflib.unified_diff(old, new, f"a/{self.target}", f"b/{self.target}"))


@dataclass(frozen=True)
class UpgradePlan:
    """What `init --upgrade` would do for the knowledge base at ``root``."""

    root: Path
    made_with: str  # the version in the lock
    files: tuple[FileUpgrade, ...]

    @property
    def pending(self) -> bool:
        """Whether any file would change."""
        return bool(self.files)


def _version_key(version: str) -> tuple[int, ...]:
    parts = []
    for part in version.split("."):
        digits = "".join(ch for ch in part if ch.isdigit())
        parts.append(int(digits or 0))
    return tuple(parts)


def plan_upgrade(root: Path) -> UpgradePlan | None:
    """The tool's files the installed version ships differently from those the
    knowledge base got; None when it was not made by `init` (it has no lock)."""
    lock = Lock.read(root)
    if lock is None:
        return None
    if _version_key(lock.version) > _version_key(__version__):
        return UpgradePlan(root, lock.version, ())  # an older tool never downgrades
    files = []
    for target in TOOL_FILES:
        new = rendered(target)
        if lock.files.get(target) == sha256(new):
            continue
        path = root / target
        current = path.read_bytes() if path.is_file() else None
        if current == new:
            continue
        edited = current is not None and sha256(current) != lock.files.get(target)
        files.append(FileUpgrade(target, current, new, edited))
    return UpgradePlan(root, lock.version, tuple(files))


def upgrade_notice(root: Path) -> str | None:
    """One line for `check` when the installed version would change the tool's files."""
    try:
        plan = plan_upgrade(root)
    except ConfigurationError:
        return None
    if plan is None or not plan.pending:
        return None
    names = ", ".join(f.target for f in plan.files)
    return (
        f"postmortem-kb {__version__} ships newer versions of {names} than this knowledge base "
        f"has (made with {plan.made_with}); 'postmortem init --upgrade --dry-run' shows the "
        "difference and 'postmortem init --upgrade' applies it (the taxonomy, config.yml and "
        "postmortems are never touched)"
    )


@dataclass(frozen=True)
class UpgradeResult:
    """What `init --upgrade` did."""

    updated: tuple[str, ...]
    left_edited: tuple[str, ...]  # changed by the team: shown, not applied
    notes: tuple[str, ...] = ()  # what the team may want to do next (a new taxonomy group)


def taxonomy_notes(root: Path) -> tuple[str, ...]:
    """For each kind the schema at ``root`` now has a field for, whose terms the taxonomy
    must list and does not (a knowledge base made before ``trigger``): what to do."""
    schema_path = root / "schema/postmortem.schema.json"
    taxonomy_path = root / "schema/taxonomy.yml"
    try:
        properties = json.loads(schema_path.read_text(encoding="utf-8")).get("properties", {})
        taxonomy = yaml.safe_load(taxonomy_path.read_text(encoding="utf-8")) or {}
    except (OSError, ValueError, yaml.YAMLError):
        return ()
    if not isinstance(properties, dict) or not isinstance(taxonomy, dict):
        return ()
    starter = yaml.safe_load(starter_bytes(STARTER_FILES["schema/taxonomy.yml"]))
    notes = []
    for kind in TAXONOMY_KINDS:
        spec = KINDS[kind]
        if spec.control is not Control.ALWAYS or spec.field not in properties:
            continue
        if kind.value in taxonomy:
            continue
        terms = ", ".join(list(starter.get(kind.value) or {})[:6])
        notes.append(
            f"schema/taxonomy.yml has no {kind.value} group yet, so `{spec.field}:` accepts "
            f"no {spec.singular}; add terms with `postmortem taxonomy add {kind.value} TERM "
            f"--title ... --description ...` (the starter's: {terms}, ...)"
        )
    return tuple(notes)


def apply_upgrade(plan: UpgradePlan, *, force: bool = False) -> UpgradeResult:
    """Write the installed version's tool files (each atomically) and the new lock.

    A file the team edited since the tool wrote it stays as it is unless ``force``.
    """
    root = plan.root
    lock = Lock.read(root) or Lock(plan.made_with)
    files = dict(lock.files)
    updated, left = [], []
    try:
        for upgrade in plan.files:
            if upgrade.edited and not force:
                left.append(upgrade.target)
                continue
            path = root / upgrade.target
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, upgrade.new)
            files[upgrade.target] = sha256(upgrade.new)
            updated.append(upgrade.target)
        for target in TOOL_FILES:
            if target not in left:
                files[target] = sha256(rendered(target))
        write_atomic(root / LOCK_FILE, Lock(__version__, files).text())
    except OSError as exc:
        raise UsageError(f"{exc.filename or root}: cannot write: {exc.strerror}") from None
    return UpgradeResult(tuple(updated), tuple(left), taxonomy_notes(root))

"""The package's layers depend one way: a module imports only from its own layer or below.

The data flow of DESIGN.md, bottom to top. Only cli/ imports click, only
mkdocs_plugin/ imports mkdocs (or Material), and the core never prints. Every
import counts, including those inside functions and under TYPE_CHECKING.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from postmortem_testkit import REPO_ROOT

PACKAGE = REPO_ROOT / "tooling" / "postmortem_kb"

# Bottom to top. Top-level modules (errors.py, writing.py, __init__.py) are the base.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("",),  # errors, writing, the package itself
    ("model",),
    ("loading",),
    ("project",),
    ("validation",),
    ("collection",),
    ("vcs",),
    ("analysis",),
    ("search",),
    ("reports",),
    ("pages",),
    ("site_search",),
    ("site_adapter",),
    ("authoring",),
    ("cli", "mkdocs_plugin"),  # the two front ends: neither imports the other
)
FRONT_END_ONLY = {"click": "cli", "mkdocs": "mkdocs_plugin", "material": "mkdocs_plugin"}
# The front ends talk to people; everything below them returns values.
MAY_PRINT = {"cli", "mkdocs_plugin"}


def layer_of(module: str) -> str:
    """``postmortem_kb.search.index`` -> ``search``; a top-level module -> ``""``."""
    parts = module.split(".")
    if len(parts) <= 2 and not (PACKAGE / parts[-1]).is_dir():
        return ""
    return parts[1]


def rank(layer: str) -> int:
    for index, names in enumerate(LAYERS):
        if layer in names:
            return index
    raise AssertionError(f"layer '{layer}' is not in LAYERS; add it where it belongs")


def module_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(tree: ast.AST, module: str, is_package: bool) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in ``tree``."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                base = base if is_package else base[:-1]
                base = base[: len(base) - (node.level - 1)]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            found.append((node.lineno, name))
    return found


def violations(path: Path) -> list[str]:
    """Every import in ``path`` that breaks a rule of this module's docstring."""
    module = module_name(path)
    layer = layer_of(module)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    shown = path.relative_to(REPO_ROOT).as_posix()
    problems = []
    for line, name in imported_modules(tree, module, path.name == "__init__.py"):
        top = name.split(".")[0]
        if top in FRONT_END_ONLY and layer != FRONT_END_ONLY[top]:
            problems.append(f"{shown}:{line}: imports {name}; only {FRONT_END_ONLY[top]}/ may")
        if top != "postmortem_kb" or name == "postmortem_kb":
            continue
        other = layer_of(name)
        if other == layer:
            continue
        if rank(other) >= rank(layer):
            problems.append(
                f"{shown}:{line}: {layer or 'the base'} imports {name} from a layer above or beside it"
            )
    if layer not in MAY_PRINT:
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "print"
            ):
                problems.append(f"{shown}:{node.lineno}: prints; the core returns values")
    return problems


def package_modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", package_modules(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_imports_follow_the_layers(path: Path) -> None:
    assert violations(path) == []


def test_every_folder_is_a_known_layer() -> None:
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    known = {name for names in LAYERS for name in names if name}
    assert folders <= known, f"folders without a layer: {sorted(folders - known)}"


def test_a_violation_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The rule itself works: a model module importing the CLI and printing is caught."""
    fake = tmp_path / "tooling" / "postmortem_kb"
    (fake / "model").mkdir(parents=True)
    (fake / "cli").mkdir()
    bad = fake / "model" / "bad.py"
    bad.write_text("import click\nfrom postmortem_kb.cli import main\nprint('hi')\n")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", fake)
    monkeypatch.setattr(sys.modules[__name__], "REPO_ROOT", tmp_path)
    found = violations(bad)
    assert len(found) == 3
    assert "imports click; only cli/ may" in found[0]
    assert "model imports postmortem_kb.cli" in found[1]
    assert "prints" in found[2]

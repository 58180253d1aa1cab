"""Every result has renderers by name, and every name leads to a function."""

from __future__ import annotations

from postmortem_kb.reports import RENDERERS, formats, renderer


def test_every_renderer_resolves() -> None:
    for result, by_format in RENDERERS.items():
        for name in by_format:
            assert callable(renderer(result, name)), (result, name)


def test_formats_and_defaults() -> None:
    assert formats("check")[0] == "text"
    assert set(formats("check")) == {"text", "json", "github"}
    assert formats("patterns") == ("text", "json")
    assert formats("review") == ("markdown",)


SHARED = {"postmortem_kb.cli.options", "postmortem_kb.cli.output"}


def test_every_command_module_imports_no_other_command() -> None:
    """cli/ modules share cli/options.py (options, exit codes) and cli/output.py (the
    output path), never each other."""
    import ast
    from pathlib import Path

    import postmortem_kb.cli as cli_package

    folder = Path(cli_package.__file__).parent
    for path in folder.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "postmortem_kb.cli."
            ):
                assert node.module in SHARED, f"{path.name}: {node.module}"

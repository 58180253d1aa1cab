"""YAML text for located in-place edits: one scalar as it would be written by hand."""

from __future__ import annotations

import yaml


def yaml_scalar(value: str) -> str:
    """A one-line YAML scalar, quoted only when plain text would read as something else."""
    dumped = yaml.safe_dump(value, allow_unicode=True, width=1_000_000)
    return dumped.removesuffix("\n").removesuffix("\n...").strip()

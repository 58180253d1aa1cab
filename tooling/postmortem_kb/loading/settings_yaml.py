"""Reading the YAML settings files in schema/ (config, taxonomy, blameless phrases).

One reader, so that every broken settings file fails the same way: a
ConfigurationError naming the file (exit 2), never a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from postmortem_kb.errors import ConfigurationError


def read_yaml_mapping(
    path: Path, what: str, contents: str, *, empty_is_mapping: bool = True
) -> dict[str, Any]:
    """The mapping in ``path``; ``what`` names the file in messages ("the taxonomy"),
    ``contents`` what the mapping holds ("groups"). An empty file is ``{}`` unless
    ``empty_is_mapping`` is false."""
    import yaml  # here, not at the top: a warm `postmortem search` never needs it

    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    except OSError as exc:
        raise ConfigurationError(f"{path}: cannot read {what}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigurationError(f"{path}: {what} is not valid UTF-8") from None
    except yaml.YAMLError as exc:
        raise ConfigurationError(f"{path}: {what} is not valid YAML: {exc}") from None
    if raw is None and empty_is_mapping:
        return {}
    if not isinstance(raw, dict):
        raise ConfigurationError(f"{path}: {what} must be a mapping of {contents}")
    return raw

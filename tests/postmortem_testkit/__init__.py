"""Helpers shared by the test suites: throw-away projects and valid postmortems.

Import from here (``from postmortem_testkit import TmpProject``), not from
``conftest``: several folders under tests/ have their own conftest.py, so the
module name ``conftest`` is ambiguous.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner, Result

from postmortem_kb.cli import cli
from postmortem_kb.project.repository import Project
from postmortem_kb.validation.checker import Checker, CheckResult

REPO_ROOT = Path(__file__).resolve().parents[2]

# The taxonomy every unit test sees. Deliberately small and stable.
UNIT_TAXONOMY = """\
causes:
  config-change:
    title: Configuration change
    description: A configuration change contributed.
    aliases: [bad-config, config-push]
  insufficient-testing:
    title: Insufficient testing
    description: Tests did not exercise the failing case.
  dns:
    title: DNS
    description: Name resolution failed.
  capacity-exhaustion:
    title: Capacity exhaustion
    description: A resource ran out.
  human-error:
    title: Human error
    description: Not blameless; kept so old postmortems still resolve.
    deprecated: true
    replaced_by: config-change
  legacy-thing:
    title: Legacy thing
    description: Deprecated without a replacement.
    deprecated: true
lucky_breaks:
  off-peak-timing:
    title: Off-peak timing
    description: It happened when traffic was low.
    aliases: [low-traffic]
  expert-on-hand:
    title: Expert on hand
    description: The one person who knew the system was online.
went_well:
  fast-rollback:
    title: Fast rollback
    description: The change was rolled back quickly.
    aliases: [quick-rollback]
  clear-runbook:
    title: Clear runbook
    description: The runbook described the fix.
detection:
  automated-alert:
    title: Automated alert
    description: An alert fired.
  customer-report:
    title: Customer report
    description: A customer told us.
trigger:
  deploy:
    title: Deploy
    description: A new version was rolled out.
    aliases: [release]
  traffic-surge:
    title: Traffic surge
    description: Load rose beyond what was planned for.
"""

UNIT_SERVICES = """\
services:
  payments-api:
    title: Payments API
    description: Takes payments.
  edge-lb:
    title: Edge load balancer
    description: Terminates TLS.
  checkout:
    title: Checkout
    description: The checkout flow.
"""

# The record from DESIGN.md, minus `related` (which must name a file that exists).
VALID_RECORD: dict[str, Any] = {
    "title": "Payments API returns 502 after load balancer config push",
    "status": "published",
    "severity": "SEV2",
    "started": "2025-03-14T09:12:00Z",
    "detected": "2025-03-14T09:20:00Z",
    "mitigated": "2025-03-14T09:41:00Z",
    "resolved": "2025-03-14T11:05:00Z",
    "authors": ["ana", "payments-team"],
    "services": ["payments-api", "edge-lb"],
    "summary": "One or two sentences.",
    "detection": "automated-alert",
    "causes": [
        {"term": "config-change", "detail": "The push skipped canary because ..."},
        "insufficient-testing",
    ],
    "lucky_breaks": [{"term": "off-peak-timing", "detail": "Happened at 09:00 UTC on a Sunday."}],
    "went_well": [{"term": "fast-rollback"}],
    "action_items": [
        {
            "id": "AI-1",
            "title": "Canary every load balancer config push",
            "owner": "edge-team",
            "type": "prevent",
            "priority": "P1",
            "due": "2025-04-30",
            "status": "open",
            "link": "https://tracker.example.com/EDGE-123",
        }
    ],
    "tags": ["load-balancer"],
}

VALID_ID = "2025-03-14-payments-502"

VALID_BODY = """\
## Summary

The payments API returned 502 for 22 minutes after a load balancer config push.

## Impact

About 4% of card payments failed and were retried by clients.

## Timeline

- 09:12 push reaches every load balancer
- 09:20 alert fires

## Contributing factors

The push skipped the canary stage.

## Action items

See the front matter.
"""


class _Remove:
    """Marker for an override that deletes a field."""

    def __repr__(self) -> str:
        return "REMOVE"


REMOVE = _Remove()


class _Dumper(yaml.SafeDumper):
    """Writes timestamps and dates unquoted, as people do (they stay strings when read)."""


_Dumper.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if not tag.endswith(":timestamp")]
    for first, resolvers in yaml.SafeDumper.yaml_implicit_resolvers.items()
}


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    flow = all(not isinstance(item, list | dict) for item in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


def _represent_dict(dumper: yaml.SafeDumper, data: dict[str, Any]) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=False)


_Dumper.add_representer(list, _represent_list)
_Dumper.add_representer(dict, _represent_dict)


def front_matter_yaml(record: dict[str, Any]) -> str:
    """Block YAML for ``record``, lists of plain values in flow style (`tags: [a, b]`)."""
    return yaml.dump(record, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1000)


def postmortem_text(
    overrides: dict[str, Any] | None = None, *, body: str = VALID_BODY, newline: str = "\n"
) -> str:
    """A postmortem built from VALID_RECORD with ``overrides`` (REMOVE deletes a field)."""
    record = copy.deepcopy(VALID_RECORD)
    for key, value in (overrides or {}).items():
        if value is REMOVE:
            record.pop(key, None)
        else:
            record[key] = value
    text = f"---\n{front_matter_yaml(record)}---\n{body}"
    return text.replace("\n", newline)


def write_postmortem(
    path: Path,
    overrides: dict[str, Any] | None = None,
    *,
    body: str = VALID_BODY,
    newline: str = "\n",
) -> Path:
    """Write a valid postmortem (changed by ``overrides``) to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(postmortem_text(overrides, body=body, newline=newline).encode("utf-8"))
    return path


def assert_no_crash(result: Result) -> None:
    """CliRunner swallows exceptions; a real one (not an exit) is a failed test."""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(
            f"the command raised {type(result.exception).__name__}: {result.exception}"
        ) from result.exception


def run_cli(args: list[str]) -> Result:
    result = CliRunner().invoke(cli, args, catch_exceptions=True)
    assert_no_crash(result)
    return result


@dataclass
class TmpProject:
    """A postmortem repository in a temporary folder."""

    root: Path

    @property
    def postmortems(self) -> Path:
        return self.root / "postmortems"

    def path(self, name: str) -> Path:
        return self.postmortems / (name if name.endswith(".md") else f"{name}.md")

    def write(
        self,
        name: str = VALID_ID,
        overrides: dict[str, Any] | None = None,
        *,
        body: str = VALID_BODY,
        newline: str = "\n",
    ) -> Path:
        return write_postmortem(self.path(name), overrides, body=body, newline=newline)

    def write_text(self, name: str, text: str) -> Path:
        path = self.path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
        return path

    def write_bytes(self, name: str, data: bytes) -> Path:
        path = self.path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path

    def cli(self, *args: str) -> Result:
        """`postmortem --root ROOT ARGS...` in-process."""
        return run_cli(["--root", str(self.root), *args])

    def check(self, *args: str | Path) -> Result:
        """`postmortem --root ROOT check ARGS...` in-process."""
        return self.cli("check", *(str(a) for a in args))

    def check_lines(self, *args: str | Path) -> list[str]:
        """The finding lines of a text-format check (the summary line dropped)."""
        return self.check(*args).stdout.splitlines()[:-1]

    def project(self) -> Project:
        return Project(self.root)

    def checker(self) -> Checker:
        return Checker(self.project())

    def result(self, *names: str) -> CheckResult:
        """Check the named files (default: all of postmortems/) through the library."""
        paths = [self.path(n) for n in names] if names else None
        return self.checker().check(paths)

    def rendered(self, *names: str) -> list[str]:
        return [f.render() for f in self.result(*names).findings]


MakeProject = Callable[..., TmpProject]


def fill_placeholders(text: str, sentence: str = "Written by the author in plain words.") -> str:
    """A postmortem from the template as its author finishes it: every ``<<placeholder>>``
    replaced (a quoted one by ``sentence``, a bare one by a word) and every section that
    holds only the template's comment given a sentence before that comment."""
    text = re.sub(r'"<<[^"]*>>"', f'"{sentence}"', text)
    text = re.sub(r"<<hh:mm>>", "09:00", text)
    text = re.sub(r"<<[^<>\n]*>>", "written", text)
    return re.sub(r"(?m)^(## .+)\n\n<!--", rf"\1\n\n{sentence}\n\n<!--", text)

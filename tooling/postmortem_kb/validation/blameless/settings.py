"""The blameless lint's settings: schema/blameless.yml and the team's people file.

A team extends the lint with data, not code: phrases (``phrase:`` plain words or
``pattern:`` a regular expression, each with a ``suggest:``), the roles that can
be the subject of a failure (``subjects:``), failure verbs (``failures:``), and
the names of people (``people_file`` in schema/config.yml).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from postmortem_kb.errors import ConfigurationError
from postmortem_kb.loading.settings_yaml import read_yaml_mapping
from postmortem_kb.project.repository import Project
from postmortem_kb.validation.backtracking import backtracking_risk

BLAMELESS_FILE = "schema/blameless.yml"


@dataclass(frozen=True)
class Rule:
    """A phrase or pattern that assigns blame, and the wording to suggest instead."""

    pattern: re.Pattern[str]
    suggest: str


@dataclass(frozen=True)
class BlamelessSettings:
    """Phrase rules, person subjects, failure verbs and people's names."""

    rules: tuple[Rule, ...] = ()
    subjects: tuple[str, ...] = ()
    failures: tuple[str, ...] = ()
    people: tuple[str, ...] = ()


def read_settings(project: Project) -> BlamelessSettings:
    """Read schema/blameless.yml and the people file; no file means no lint."""
    path = project.root / BLAMELESS_FILE
    if not path.exists():
        return BlamelessSettings()
    raw = read_yaml_mapping(path, "the blameless phrase list", "phrases, subjects and failures")
    rules = tuple(_rule(path, index, spec) for index, spec in enumerate(raw.get("phrases") or []))
    people_setting = project.config.extra.get("people_file")
    people: tuple[str, ...] = ()
    if people_setting:
        people = _read_people(project.root / str(people_setting))
    return BlamelessSettings(
        rules=rules,
        subjects=_strings(path, "subjects", raw.get("subjects")),
        failures=_strings(path, "failures", raw.get("failures")),
        people=people,
    )


def phrase_regex(phrase: str) -> str:
    """Whole words, case-insensitive (by the caller), any run of spaces between words;
    a straight apostrophe also matches a typographic one."""
    words = [re.escape(word).replace("'", "['’]") for word in phrase.split()]
    return r"\s+".join(words)


def _rule(path: Path, index: int, spec: Any) -> Rule:
    where = f"{path}: phrases[{index}]"
    if not isinstance(spec, dict):
        raise ConfigurationError(
            f"{where}: expected a mapping with phrase (or pattern) and suggest"
        )
    suggest = spec.get("suggest")
    if not isinstance(suggest, str) or not suggest.strip():
        raise ConfigurationError(f"{where}: 'suggest' is required: how to say it without blame")
    phrase, pattern = spec.get("phrase"), spec.get("pattern")
    if isinstance(phrase, str) and phrase.strip() and pattern is None:
        regex = rf"(?<![\w-]){phrase_regex(phrase)}(?![\w-])"
        return Rule(re.compile(regex, re.IGNORECASE), suggest.strip())
    if isinstance(pattern, str) and pattern and phrase is None:
        return Rule(_compiled(where, pattern), suggest.strip())
    raise ConfigurationError(
        f"{where}: give exactly one of 'phrase' (plain text) or 'pattern' (regex)"
    )


def _compiled(where: str, pattern: str) -> re.Pattern[str]:
    """A team's pattern, refused when it is invalid or could backtrack for ever."""
    risk = backtracking_risk(pattern) if len(pattern) < 10_000 else "it is over 10,000 characters"
    if risk is None:
        try:
            return re.compile(pattern, re.IGNORECASE)
        except re.error as exc:
            raise ConfigurationError(
                f"{where}: pattern is not a valid regular expression: {exc}"
            ) from None
        except RecursionError:
            risk = "it is nested too deeply to compile"
    if risk.startswith("it cannot be inspected"):
        try:
            re.compile(pattern)
        except (re.error, RecursionError) as exc:
            raise ConfigurationError(
                f"{where}: pattern is not a valid regular expression: {exc}"
            ) from None
    raise ConfigurationError(
        f"{where}: pattern could take exponential time on some lines ({risk}), and "
        "schema/blameless.yml must not be able to hang the check; write it without nested "
        "repetition, e.g. [ab]+ for (a|b)+, or (?:\\w+\\s?)*+ (possessive) for (\\w+\\s?)*"
    )


def _strings(path: Path, key: str, value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigurationError(f"{path}: '{key}' must be a list of words or phrases")
    return tuple(v.strip() for v in value)


def _read_people(path: Path) -> tuple[str, ...]:
    """``people: [Ana Lima, ana, ...]``: names and handles as they appear in prose."""
    if not path.exists():
        raise ConfigurationError(
            f"{path}: the people file named by people_file in schema/config.yml does not exist"
        )
    return _strings(
        path, "people", read_yaml_mapping(path, "the people file", "settings").get("people")
    )

"""Validate front matter against schema/postmortem.schema.json, in plain English.

jsonschema's raw messages dump whole instances and ``oneOf`` branches; a person
fixing a file wants "services: must be a list, not a string".

``pattern`` is an ECMA-262 regular expression, as JSON Schema specifies, in both
validators (through ``regress``, as check-jsonschema does): with Python's ``re``,
``$`` also matches before a final newline (so ``"database\n"`` passed a slug
pattern) and ``\\d`` matches any Unicode digit. What `check` accepts is what an
editor validating with the published schema accepts.
"""

from __future__ import annotations

import difflib
import functools
import json
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import fastjsonschema
import regress
from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import SchemaError, ValidationError, best_match

from postmortem_kb.errors import ConfigurationError
from postmortem_kb.validation.backtracking import backtracking_risk
from postmortem_kb.validation.problems import Problem

_TYPE_NAMES = {
    "string": "text",
    "array": "a list",
    "object": "a mapping",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "empty",
}


def _describe_value(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, str):
        return "text"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# Keywords whose meaning is the same in fastjsonschema (draft-07) and JSON Schema
# 2020-12. A schema using any other keyword (prefixItems, unevaluatedProperties...)
# is validated by jsonschema alone, so a team's schema edit can never be half-checked.
_FAST_KEYWORDS = frozenset(
    [
        "$schema",
        "$id",
        "$ref",
        "$defs",
        "$comment",
        "title",
        "description",
        "default",
        "examples",
        "type",
        "enum",
        "const",
        "properties",
        "required",
        "additionalProperties",
        "items",
        "minItems",
        "maxItems",
        "uniqueItems",
        "minLength",
        "maxLength",
        "pattern",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "oneOf",
        "anyOf",
        "allOf",
        "not",
        "format",
    ]
)


class SchemaChecker:
    """jsonschema's plain-English errors, with a compiled fast path for valid files.

    jsonschema takes about half a millisecond per postmortem; over 10,000 files that
    alone was more than twice the cost of parsing them. Most files are valid, so a
    validator compiled to Python code (fastjsonschema) answers "valid?" first, and
    jsonschema runs only on files that have something to report.
    """

    def __init__(self, schema: dict[str, Any]) -> None:
        try:
            Draft202012Validator.check_schema(schema)
        except SchemaError as exc:
            raise ConfigurationError(f"the postmortem schema is invalid: {exc.message}") from None
        for pattern in _patterns(schema):
            try:
                ecma_regex(pattern)
            except regress.RegressError as exc:
                raise ConfigurationError(
                    f"the postmortem schema is invalid: pattern {pattern!r} is not an "
                    f"ECMA-262 regular expression: {exc}"
                ) from None
            risk = _backtracking_risk(pattern)
            if risk:
                raise ConfigurationError(
                    f"the postmortem schema's pattern {pattern!r} could take exponential time "
                    f"on some values ({risk}); write it without nested repetition"
                )
        self._validator = _explaining_validator(schema)
        self._is_valid = _fast_validator(schema)

    def problems(self, data: dict[str, Any]) -> list[Problem]:
        """Schema problems of ``data`` in plain English (none for a valid file)."""
        if self._is_valid is not None and self._is_valid(data):
            return []
        found: list[Problem] = []
        seen: set[tuple[Any, str]] = set()
        for error in self._validator.iter_errors(data):
            for problem in _explain(error):
                key = (problem.field, problem.message)
                if key not in seen:
                    seen.add(key)
                    found.append(problem)
        return found


def _backtracking_risk(pattern: str) -> str | None:
    """backtracking_risk of a pattern Python's parser reads too (most ECMA-262 ones)."""
    try:
        re.compile(pattern)
    except (re.error, RecursionError, OverflowError):
        return None  # ECMA-only syntax: regress compiled it, nothing more can be said
    return backtracking_risk(pattern)


@functools.lru_cache(maxsize=256)
def ecma_regex(pattern: str) -> regress.Regex:
    """``pattern`` compiled with ECMA-262 semantics (the "u" flag: Unicode code points)."""
    return regress.Regex(pattern, flags="u")


class _EcmaSearch:
    """What fastjsonschema's generated code calls ``.search`` on, with ECMA-262 semantics."""

    def __init__(self, pattern: str) -> None:
        self._regex = ecma_regex(pattern)

    def search(self, text: str) -> bool:
        """Whether the pattern matches anywhere in ``text`` (unanchored, as ``re.search``);
        a bool, the only thing the generated code tests."""
        return self._regex.find(text) is not None


def _pattern_keyword(
    validator: Any, pattern: str, instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and ecma_regex(pattern).find(instance) is None:
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _pattern_properties_keyword(
    validator: Any, properties: dict[str, Any], instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    if not validator.is_type(instance, "object"):
        return
    for pattern, subschema in properties.items():
        for key, value in instance.items():
            if ecma_regex(pattern).find(key) is not None:
                yield from validator.descend(value, subschema, path=key, schema_path=pattern)


# Draft 2020-12 with ECMA-262 regular expressions, as JSON Schema specifies.
EcmaValidator = validators.extend(  # type: ignore[no-untyped-call]
    Draft202012Validator,
    {"pattern": _pattern_keyword, "patternProperties": _pattern_properties_keyword},
)
_ITEMS = Draft202012Validator.VALIDATORS["items"]


def _explaining_validator(schema: dict[str, Any]) -> Any:
    """EcmaValidator for ``schema``, whose ``items`` asks a compiled validator first.

    jsonschema takes tens of microseconds per list item, and explains a whole list
    when one entry is wrong: a file of 100,000 tags with one duplicate took half a
    minute. A valid item yields no error, so items the compiled validator of the
    item schema calls valid are skipped; the others are explained as before.
    """
    fast_items: dict[int, Any] = {}

    def items(validator: Any, item_schema: Any, instance: Any, parent: Any) -> Any:
        if not isinstance(item_schema, dict) or not validator.is_type(instance, "array"):
            yield from _ITEMS(validator, item_schema, instance, parent)
            return
        key = id(item_schema)  # the schema lives as long as this checker
        if key not in fast_items:
            # The item schema as a document of its own, where the root's $defs resolve.
            document: dict[str, Any] = {
                k: schema[k] for k in ("$schema", "$id", "$defs") if k in schema
            }
            fast_items[key] = _fast_validator({**document, **item_schema})
        is_valid = fast_items[key]
        prefix = len(parent.get("prefixItems", [])) if isinstance(parent, dict) else 0
        for index in range(prefix, len(instance)):
            if is_valid is not None and is_valid(instance[index]):
                continue
            yield from validator.descend(instance[index], item_schema, path=index)

    cls = validators.extend(EcmaValidator, {"items": items})  # type: ignore[no-untyped-call]
    return cls(schema)


def _patterns(schema: Any) -> set[str]:
    """Every ``pattern`` (and patternProperties key) in ``schema``."""
    found: set[str] = set()
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key == "pattern" and isinstance(value, str):
                found.add(value)
            elif key == "patternProperties" and isinstance(value, dict):
                found |= {name for name in value if isinstance(name, str)}
            if key not in ("enum", "const", "examples", "default"):
                found |= _patterns(value)
    elif isinstance(schema, list):
        for item in schema:
            found |= _patterns(item)
    return found


class _RemoteRef(Exception):
    pass


def _refuse_remote(uri: str) -> Any:
    raise _RemoteRef(uri)


def _fast_validator(schema: dict[str, Any]) -> Any:
    """A compiled ``data -> bool``, or None when the schema uses a keyword it cannot vouch for."""
    if not _keywords(schema) <= _FAST_KEYWORDS:
        return None
    # Formats are not asserted by our jsonschema validator either (no format checker).
    # Never fetch a remote $ref (fastjsonschema would, with urllib): no fast path then.
    handlers = dict.fromkeys(("http", "https", "ftp", "file"), _refuse_remote)
    try:
        validate = fastjsonschema.compile(
            schema, handlers=handlers, use_formats=False, detailed_exceptions=False
        )
    except (fastjsonschema.JsonSchemaDefinitionException, _RemoteRef):
        return None
    # The generated code looks patterns up in this table and calls .search(): give it
    # ECMA-262 ones. If fastjsonschema ever keeps them elsewhere, there is no fast path.
    compiled = getattr(validate, "__globals__", {}).get("REGEX_PATTERNS")
    if not isinstance(compiled, dict) or not set(compiled) <= _patterns(schema):
        return None
    for pattern in compiled:
        compiled[pattern] = _EcmaSearch(pattern)

    def is_valid(data: dict[str, Any]) -> bool:
        try:
            validate(data)
        except fastjsonschema.JsonSchemaException:
            return False
        return True

    return is_valid


def _keywords(schema: Any) -> set[str]:
    """Every keyword used anywhere in ``schema`` (names under properties/$defs are not keywords)."""
    found: set[str] = set()
    if isinstance(schema, dict):
        for key, value in schema.items():
            found.add(key)
            if key in ("properties", "$defs") and isinstance(value, dict):
                for sub in value.values():
                    found |= _keywords(sub)
            elif key not in ("enum", "const", "examples", "default", "required"):
                found |= _keywords(value)
    elif isinstance(schema, list):
        for item in schema:
            found |= _keywords(item)
    return found


def _equality_key(value: Any) -> Any:
    """Equal keys for values JSON Schema calls equal (1 and 1.0; not true and 1)."""
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, int | float):
        return ("number", value)
    if isinstance(value, str):
        return ("string", value)
    return ("json", json.dumps(value, sort_keys=True, default=str))


def _explain(error: ValidationError) -> Iterator[Problem]:
    path = tuple(error.absolute_path)
    validator = error.validator
    # jsonschema types these as "maybe unset"; for a reported error they are always set.
    value: Any = error.instance
    expected: Any = error.validator_value
    schema = error.schema if isinstance(error.schema, dict) else {}

    if validator in ("oneOf", "anyOf") and error.context:
        # Explain the branch written in the value's own shape: for a term written as a
        # mapping, the mapping branch's errors, not "must be text".
        branches: dict[int, list[ValidationError]] = {}
        for sub in error.context:
            branches.setdefault(int(sub.relative_schema_path[0]), []).append(sub)
        fitting = [
            errors
            for errors in branches.values()
            if not any(e.validator == "type" and not e.relative_path for e in errors)
        ]
        if fitting:
            for sub in fitting[0]:
                yield from _explain(sub)
        else:
            yield from _explain(best_match(error.context))
        return
    if validator == "required":
        for name in expected:
            if isinstance(value, dict) and name not in value:
                yield Problem(path, f"required field '{name}' is missing", code="required")
        return
    if validator == "additionalProperties":
        known = list(schema.get("properties", {}))
        for name in value:
            if name not in known:
                hint = difflib.get_close_matches(name, known, n=1)
                tip = (
                    f"; did you mean '{hint[0]}'?"
                    if hint
                    else f"; known fields: {', '.join(known)}"
                )
                yield Problem(
                    (*path, name), f"unknown field '{name}'{tip}", at_key=True, code="unknown-field"
                )
        return
    if validator == "type":
        expected = expected
        names = [expected] if isinstance(expected, str) else list(expected)
        wanted = " or ".join(_TYPE_NAMES.get(n, n) for n in names)
        yield Problem(path, f"must be {wanted}, not {_describe_value(value)}", code="type")
        return
    if validator == "enum":
        options = ", ".join(str(option) for option in expected)
        yield Problem(path, f"{_short(value)} is not one of: {options}", code="enum")
        return
    if validator == "pattern":
        form = schema.get("description") or f"the pattern {expected}"
        yield Problem(path, f"{_short(value)} is not in the expected form: {form}", code="pattern")
        return
    if validator == "minItems":
        count = expected
        yield Problem(
            path, f"must list at least {count} item{'s' if count != 1 else ''}", code="min-items"
        )
        return
    if validator == "minLength":
        if expected <= 1:
            yield Problem(path, "must not be empty", code="empty")
        else:
            yield Problem(path, f"must be at least {expected} characters long", code="too-short")
        return
    if validator == "maxLength":
        yield Problem(
            path,
            f"is {len(value)} characters long; the limit is {expected}",
            code="too-long",
        )
        return
    if validator in ("minimum", "maximum"):
        bound = "at least" if validator == "minimum" else "at most"
        yield Problem(path, f"must be {bound} {expected}, not {_short(value)}", code="range")
        return
    if validator == "uniqueItems":
        # Counted once each, not value.count() per item: a list can hold 100,000 entries.
        keys = [_equality_key(v) for v in value]
        seen = Counter(keys)
        dupes = sorted({repr(v) for v, key in zip(value, keys, strict=True) if seen[key] > 1})
        yield Problem(
            path, f"lists the same entry more than once: {', '.join(dupes)}", code="duplicate"
        )
        return
    yield Problem(path, error.message, code=str(validator))

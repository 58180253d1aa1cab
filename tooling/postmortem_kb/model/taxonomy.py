"""The controlled vocabulary: causes, lucky breaks, went-well terms, detection
methods and (optionally) services, each with aliases and deprecations.

A cause only recurs if it is named the same way each time, so every name a
postmortem uses is resolved here to one canonical term.
"""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from postmortem_kb.errors import ConfigurationError
from postmortem_kb.model.kinds import TAXONOMY_KINDS, Kind


def did_you_mean(suggestions: tuple[str, ...]) -> str:
    """``"; did you mean 'a' or 'b'?"`` for the end of an error message (from
    Taxonomy.suggest), or nothing when there are no suggestions."""
    if not suggestions:
        return ""
    return f"; did you mean {' or '.join(repr(s) for s in suggestions)}?"


@dataclass(frozen=True)
class Term:
    """One term of the taxonomy: its id, title, description, aliases and deprecation."""

    kind: Kind
    id: str
    title: str
    description: str
    aliases: tuple[str, ...] = ()
    deprecated: bool = False
    replaced_by: str | None = None


class Resolution(StrEnum):
    """What a name turned out to be: a term, an alias, a deprecated term, or unknown."""

    CANONICAL = "canonical"
    ALIAS = "alias"
    DEPRECATED = "deprecated"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Resolved:
    """The resolution of a name, the term it leads to, and suggestions for an unknown one."""

    outcome: Resolution
    term: Term | None  # the canonical term (for an alias) or the deprecated term itself
    suggestions: tuple[str, ...] = ()


@dataclass
class Taxonomy:
    """The terms of every group in taxonomy.yml, with their aliases."""

    terms: dict[Kind, dict[str, Term]] = field(default_factory=dict)
    _aliases: dict[Kind, dict[str, str]] = field(default_factory=dict)
    _suggest_cache: dict[Kind, tuple[tuple[int, int], _Suggester]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def has_group(self, kind: Kind) -> bool:
        """Whether taxonomy.yml has a group for ``kind`` (services are optional)."""
        return kind in self.terms

    def get(self, kind: Kind, term_id: str) -> Term | None:
        """The term ``term_id`` of ``kind`` (canonical ids only), or None."""
        return self.terms.get(kind, {}).get(term_id)

    def resolve(self, kind: Kind, name: str) -> Resolved:
        """What ``name`` is in the group of ``kind``: a term, an alias, deprecated, or unknown."""
        group = self.terms.get(kind, {})
        if name in group:
            term = group[name]
            outcome = Resolution.DEPRECATED if term.deprecated else Resolution.CANONICAL
            return Resolved(outcome, term)
        canonical = self._aliases.get(kind, {}).get(name)
        if canonical is not None:
            return Resolved(Resolution.ALIAS, group[canonical])
        return Resolved(Resolution.UNKNOWN, None, self.suggest(kind, name))

    def canonical_id(self, kind: Kind, name: str) -> str:
        """The id a name counts under: aliases fold into their term; unknown names stay as-is."""
        if name in self.terms.get(kind, ()):
            return name
        return self._aliases.get(kind, {}).get(name, name)

    def aliases(self, kind: Kind) -> dict[str, str]:
        """Every alias of ``kind`` and the term it names."""
        return dict(self._aliases.get(kind, {}))

    def suggest(self, kind: Kind, name: str) -> tuple[str, ...]:
        """Up to three canonical terms close to ``name``, best first.

        Spelling alone misleads on hyphenated terms: 'dns-failure' is closer in
        letters to 'cascading-failure' than to 'dns'. So a candidate whose words all
        appear in the name ranks first, then shared words, then spelling.
        """
        return self._suggester(kind).suggest(name)

    def _suggester(self, kind: Kind) -> _Suggester:
        """Made once per kind: a file can name 100,000 unknown terms, each compared."""
        group = self.terms.get(kind, {})
        aliases = self._aliases.get(kind, {})
        key = (len(group), len(aliases))  # the groups only grow or shrink, never in place
        cached = self._suggest_cache.get(kind)
        if cached is not None and cached[0] == key:
            return cached[1]
        names = {tid: tid for tid, t in group.items() if not t.deprecated}
        for alias, tid in aliases.items():
            names.setdefault(alias, tid)
        suggester = _Suggester(names)
        self._suggest_cache[kind] = (key, suggester)
        return suggester


_SUGGEST_FROM = 0.6  # the least score worth suggesting


class _Suggester:
    """Did-you-mean over one kind's names, in time linear in the names it asks about.

    The score of a candidate needs its spelling ratio (difflib), the costly part;
    the letters a name and a candidate have in common bound that ratio (difflib's
    quick_ratio), and a candidate with no letter in common can only score through
    shared words, which it cannot have. So an index from each letter to the
    candidates holding it finds the few candidates worth a ratio.
    """

    def __init__(self, names: dict[str, str]) -> None:
        self.names = list(names)  # candidate spellings: live terms, then aliases
        self.canonical = [names[n] for n in self.names]
        self.words = [frozenset(n.split("-")) for n in self.names]
        self.matchers = [difflib.SequenceMatcher(None, "", n) for n in self.names]
        self.by_letter: dict[str, list[tuple[int, int]]] = {}
        for index, candidate in enumerate(self.names):
            for letter, count in Counter(candidate).items():
                self.by_letter.setdefault(letter, []).append((index, count))

    def suggest(self, name: str) -> tuple[str, ...]:
        """Up to three canonical terms close to ``name``, best first."""
        common: dict[int, int] = {}
        for letter, count in Counter(name).items():
            for index, held in self.by_letter.get(letter, ()):
                common[index] = common.get(index, 0) + min(count, held)
        words = set(name.split("-"))
        scored: dict[str, float] = {}
        for index, letters in common.items():
            candidate_words = self.words[index]
            shared = len(words & candidate_words) / len(words | candidate_words)
            if candidate_words <= words or words <= candidate_words:
                score = 0.9 + 0.1 * shared  # 'dns' for 'dns-failure'
            else:
                bound = 2.0 * letters / (len(name) + len(self.names[index]))
                if max(bound, 0.6 * shared + 0.4 * bound) < _SUGGEST_FROM:
                    continue
                matcher = self.matchers[index]
                matcher.set_seq1(name)
                spelling = matcher.ratio()
                score = max(spelling, 0.6 * shared + 0.4 * spelling)
            if score >= _SUGGEST_FROM:
                term = self.canonical[index]
                scored[term] = max(score, scored.get(term, 0.0))
        ranked = sorted(scored, key=lambda term: (-scored[term], term))
        return tuple(ranked[:3])


def parse_taxonomy(raw: dict[str, Any], path: Path) -> Taxonomy:
    """The taxonomy in ``raw`` (taxonomy.yml as read); ``path`` names the file in errors."""
    taxonomy = Taxonomy()
    known = {kind.field: kind for kind in TAXONOMY_KINDS}
    for group_name, entries in raw.items():
        if group_name not in known:
            raise ConfigurationError(
                f"{path}: unknown taxonomy group '{group_name}'; expected one of {', '.join(known)}"
            )
        kind = known[group_name]
        if entries is not None and not isinstance(entries, dict):
            raise ConfigurationError(
                f"{path}: {group_name}: expected a mapping of term ids to "
                "title/description, not a list"
            )
        taxonomy.terms[kind] = {}
        taxonomy._aliases[kind] = {}
        for term_id, spec in (entries or {}).items():
            taxonomy.terms[kind][term_id] = _term(path, kind, str(term_id), spec)
        for term in taxonomy.terms[kind].values():
            for alias in term.aliases:
                if alias in taxonomy.terms[kind] or alias in taxonomy._aliases[kind]:
                    raise ConfigurationError(
                        f"{path}: {group_name}.{term.id}: alias '{alias}' is already used"
                    )
                taxonomy._aliases[kind][alias] = term.id
            if term.replaced_by and term.replaced_by not in taxonomy.terms[kind]:
                raise ConfigurationError(
                    f"{path}: {group_name}.{term.id}: replaced_by '{term.replaced_by}' "
                    "is not a term in this group"
                )
    return taxonomy


def _term(path: Path, kind: Kind, term_id: str, spec: Any) -> Term:
    where = f"{path}: {kind.value}.{term_id}"
    if not isinstance(spec, dict):
        raise ConfigurationError(f"{where}: expected a mapping with title and description")
    title = spec.get("title")
    if not isinstance(title, str) or not title:
        raise ConfigurationError(f"{where}: a title is required")
    aliases = spec.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise ConfigurationError(f"{where}: aliases must be a list of names")
    return Term(
        kind=kind,
        id=term_id,
        title=title,
        description=str(spec.get("description") or ""),
        aliases=tuple(aliases),
        deprecated=bool(spec.get("deprecated", False)),
        replaced_by=spec.get("replaced_by"),
    )

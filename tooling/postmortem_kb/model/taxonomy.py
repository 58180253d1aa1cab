"""The controlled vocabulary: causes, lucky breaks, went-well terms, detection
methods and (optionally) services, each with aliases and deprecations.

A cause only recurs if it is named the same way each time, so every name a
postmortem uses is resolved here to one canonical term.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from postmortem_kb.errors import ConfigurationError
from postmortem_kb.model.kinds import TAXONOMY_KINDS, Kind


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
        group = self.terms.get(kind, {})
        candidates = {tid: tid for tid, t in group.items() if not t.deprecated}
        for alias, tid in self._aliases.get(kind, {}).items():
            candidates.setdefault(alias, tid)
        words = set(name.split("-"))
        scored: dict[str, float] = {}
        for candidate, canonical in candidates.items():
            candidate_words = set(candidate.split("-"))
            spelling = difflib.SequenceMatcher(None, name, candidate).ratio()
            shared = len(words & candidate_words) / len(words | candidate_words)
            if candidate_words <= words or words <= candidate_words:
                score = 0.9 + 0.1 * shared  # 'dns' for 'dns-failure'
            else:
                score = max(spelling, 0.6 * shared + 0.4 * spelling)
            if score >= 0.6:
                scored[canonical] = max(score, scored.get(canonical, 0.0))
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

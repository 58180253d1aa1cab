"""Past incidents most similar to one postmortem, with the reason.

Similarity has two parts: the taxonomy terms and services two incidents share
(the strongest evidence of "the same failure again", because terms are
controlled) and TF-IDF cosine similarity of their title, summary and body text
(which catches what the terms miss). A shared term counts by its rarity across
the collection (a cause half the incidents name says little; one named twice
says a lot), a placeholder-like term (``unknown``, ``other``) is never shared,
and an incident scoring below MIN_SCORE is no close match. A target may be a record or a file that is
not yet valid, so an author can look for related incidents while writing.
"""

from __future__ import annotations

import math
import os
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from postmortem_kb.collection.index import Collection
from postmortem_kb.errors import UsageError
from postmortem_kb.loading.files import LoadedFile, LoadError, load_bytes
from postmortem_kb.model.kinds import Kind
from postmortem_kb.model.records import Postmortem
from postmortem_kb.model.taxonomy import Taxonomy
from postmortem_kb.project.repository import Project

# A shared cause says most about "the same failure again"; services are shared
# by many unrelated incidents; a lucky break in common is a weaker hint.
CAUSE_WEIGHT = 2.0
SERVICE_WEIGHT = 1.0
LUCKY_BREAK_WEIGHT = 1.0
# Cosine similarity is in [0, 1]; text this close (0.5) counts like 2.5 shared causes.
TEXT_WEIGHT = 10.0
# Below this, word overlap is mostly common vocabulary, not evidence.
MIN_TEXT_SIMILARITY = 0.05
# Below this score an incident is no close match: one generic shared cause and a little
# common vocabulary are not evidence of the same failure.
MIN_SCORE = 3.0
# Term ids that say "not classified" rather than what happened: two incidents that both
# name `unknown` share nothing.
PLACEHOLDER_TERMS = frozenset(
    """unknown other none n-a na tbd todo misc miscellaneous unclassified unspecified
    undetermined not-applicable placeholder uncategorized uncategorised""".split()  # noqa: SIM905
)
_PLACEHOLDER_AFFIXES = ("unknown", "other", "tbd", "todo")


def is_placeholder(term: str) -> bool:
    """Whether ``term`` names no real cause, service or lucky break (``unknown``,
    ``other-cause``, ``cause-tbd``): it is never counted as shared."""
    if term in PLACEHOLDER_TERMS:
        return True
    words = term.split("-")
    return len(words) > 1 and (
        words[0] in _PLACEHOLDER_AFFIXES or words[-1] in _PLACEHOLDER_AFFIXES
    )


def rarity(collection: Collection, kind: Kind, term: str) -> float:
    """How rare ``term`` is in the collection: about 0 for a term every incident names,
    more the fewer name it (smoothed inverse document frequency, ln((N + 1) / (n + 1)))."""
    total = len(collection)
    return math.log((total + 1) / (collection.count(kind, term) + 1))


_WORD = re.compile(r"[^\W_]{2,}")
# Words every postmortem uses (section headings and function words) carry no signal;
# IDF discounts them anyway, dropping them keeps the vectors small.
_STOPWORDS = frozenset(
    """
    the and for are but not you all any can had her was one our out has have this that with
    from they will would there their what about which when were been into more than then them
    these some also its after before over only such each other who how did does doing may
    while where because during until against between through both few most same very just
    should could being here off under again further once ours yours his him she it is in of on
    to as at by an be or if so no we us do up
    summary impact timeline contributing factors went well where got lucky action items
    lessons learned
    """.split()  # noqa: SIM905 - a word list reads better as text
)


@dataclass(frozen=True)
class SimilarityTarget:
    """What similarity needs to know about the incident to compare with."""

    id: str
    title: str
    summary: str
    body: str
    causes: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    lucky_breaks: tuple[str, ...] = ()

    @classmethod
    def from_record(cls, record: Postmortem) -> SimilarityTarget:
        """The target for a valid postmortem: its text, causes, services and lucky breaks."""
        return cls(
            id=record.id,
            title=record.title,
            summary=record.summary,
            body=_with_details(record.body, record.causes, record.lucky_breaks),
            causes=tuple(ref.term for ref in record.causes),
            services=record.services,
            lucky_breaks=tuple(ref.term for ref in record.lucky_breaks),
        )

    @classmethod
    def from_loaded(cls, loaded: LoadedFile, taxonomy: Taxonomy) -> SimilarityTarget:
        """Read what can be read from a file that may not pass `postmortem check` yet.

        Missing fields become empty, values of the wrong type are ignored, and
        aliases fold into canonical terms as they would in a record.
        """
        data = loaded.front_matter.data if isinstance(loaded.front_matter.data, dict) else {}
        causes, cause_details = _terms(data.get("causes"), Kind.CAUSE, taxonomy)
        lucky, lucky_details = _terms(data.get("lucky_breaks"), Kind.LUCKY_BREAK, taxonomy)
        services = tuple(
            taxonomy.canonical_id(Kind.SERVICE, s) for s in _strings(data.get("services"))
        )
        body = "\n".join([loaded.body, *cause_details, *lucky_details])
        return cls(
            id=loaded.id,
            title=_string(data.get("title")),
            summary=_string(data.get("summary")),
            body=body,
            causes=causes,
            services=_unique(services),
            lucky_breaks=lucky,
        )

    @classmethod
    def from_text(cls, target_id: str, text: str) -> SimilarityTarget:
        """A file that cannot even be parsed: compare its words only."""
        return cls(id=target_id, title="", summary="", body=text)

    @property
    def text(self) -> str:
        """Title, summary and body: the text compared by TF-IDF."""
        return "\n".join((self.title, self.summary, self.body))


@dataclass
class SimilarIncident:
    """One past incident like the target: its score and what it shares."""

    record: Postmortem
    score: float
    shared_causes: list[str] = field(default_factory=list)
    shared_services: list[str] = field(default_factory=list)
    shared_lucky_breaks: list[str] = field(default_factory=list)
    text_similarity: float = 0.0
    terms_score: float = 0.0  # the part of ``score`` from shared terms, rarity weighted

    @property
    def reason(self) -> str:
        """``shares causes: config-change; services: edge-lb; text 0.41``."""
        parts = []
        if self.shared_causes:
            parts.append("causes: " + ", ".join(self.shared_causes))
        if self.shared_services:
            parts.append("services: " + ", ".join(self.shared_services))
        if self.shared_lucky_breaks:
            parts.append("lucky breaks: " + ", ".join(self.shared_lucky_breaks))
        shared = ("shares " + "; ".join(parts)) if parts else ""
        text = f"text {self.text_similarity:.2f}"
        return f"{shared}; {text}" if shared else text


def similar_incidents(
    collection: Collection,
    target: SimilarityTarget,
    limit: int = 5,
    min_score: float = MIN_SCORE,
) -> list[SimilarIncident]:
    """The ``limit`` incidents most similar to ``target``, best first; never the target itself.

    Only incidents scoring ``min_score`` or more are returned, so the list may be
    shorter than ``limit``, or empty: no close match.
    """
    # Another write-up of the target's own incident is not a similar incident.
    candidates = collection.other_incidents(target.id)
    if not candidates or limit <= 0:
        return []
    rarities: dict[tuple[Kind, str], float] = {}

    def weight(kind: Kind, terms: list[str]) -> float:
        for term in terms:
            if (kind, term) not in rarities:
                rarities[(kind, term)] = rarity(collection, kind, term)
        return sum(rarities[(kind, term)] for term in terms)

    texts = [SimilarityTarget.from_record(r).text for r in candidates]
    similarities = text_similarities(target.text, texts)
    found = []
    for record, text_similarity in zip(candidates, similarities, strict=True):
        incident = SimilarIncident(
            record=record,
            score=0.0,
            shared_causes=_shared(target.causes, (ref.term for ref in record.causes)),
            shared_services=_shared(target.services, record.services),
            shared_lucky_breaks=_shared(
                target.lucky_breaks, (ref.term for ref in record.lucky_breaks)
            ),
            text_similarity=round(text_similarity, 2),
        )
        incident.terms_score = (
            CAUSE_WEIGHT * weight(Kind.CAUSE, incident.shared_causes)
            + SERVICE_WEIGHT * weight(Kind.SERVICE, incident.shared_services)
            + LUCKY_BREAK_WEIGHT * weight(Kind.LUCKY_BREAK, incident.shared_lucky_breaks)
        )
        text = TEXT_WEIGHT * text_similarity if text_similarity >= MIN_TEXT_SIMILARITY else 0.0
        incident.score = round(incident.terms_score + text, 3)
        if incident.score >= min_score:
            found.append(incident)
    found.sort(key=lambda s: (-s.score, s.record.recency, s.record.id))
    return found[:limit]


def tokens(text: str) -> list[str]:
    """Lower-cased words of two or more letters, without stop words and numbers."""
    return [w for w in _WORD.findall(text.lower()) if w not in _STOPWORDS and not w.isdigit()]


def text_similarities(query: str, documents: list[str]) -> list[float]:
    """TF-IDF cosine similarity of ``query`` to each document (sublinear tf, smoothed idf).

    Document frequencies count the documents and the query, so a word that only
    the query and one document use weighs the most.
    """
    query_counts = Counter(tokens(query))
    if not query_counts:
        return [0.0] * len(documents)
    counted = [Counter(tokens(doc)) for doc in documents]
    frequency: Counter[str] = Counter(query_counts.keys())
    for counts in counted:
        frequency.update(counts.keys())
    total = len(documents) + 1

    def idf(word: str) -> float:
        return math.log((total + 1) / (frequency[word] + 1)) + 1.0

    query_vector = {w: (1.0 + math.log(c)) * idf(w) for w, c in query_counts.items()}
    query_norm = _norm(query_vector.values())
    results = []
    for counts in counted:
        vector = {w: (1.0 + math.log(c)) * idf(w) for w, c in counts.items()}
        dot = sum(weight * vector[w] for w, weight in query_vector.items() if w in vector)
        results.append(dot / (query_norm * _norm(vector.values())) if dot else 0.0)
    return results


def _norm(values: Iterable[float]) -> float:
    return math.sqrt(sum(v * v for v in values)) or 1.0


def _shared(mine: Iterable[str], theirs: Iterable[str]) -> list[str]:
    other = set(theirs)
    return [term for term in _unique(tuple(mine)) if term in other and not is_placeholder(term)]


def _unique(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def _string(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str) and item]
    return []


def _terms(value: Any, kind: Kind, taxonomy: Taxonomy) -> tuple[tuple[str, ...], list[str]]:
    """Canonical term ids and detail texts from a loosely written list of terms."""
    items = value if isinstance(value, list) else [value] if value else []
    names: list[str] = []
    details: list[str] = []
    for item in items:
        name: Any = item
        if isinstance(item, Mapping):
            name = item.get("term")
            details.append(_string(item.get("detail")))
        if isinstance(name, str) and name:
            names.append(taxonomy.canonical_id(kind, name))
    return _unique(tuple(names)), [d for d in details if d]


def _with_details(body: str, *groups: Iterable[Any]) -> str:
    details = [ref.detail for group in groups for ref in group if ref.detail]
    return "\n".join([body, *details])


@dataclass(frozen=True)
class SimilarResult:
    """What `postmortem similar` found: the incidents like ``target`` among ``among``."""

    target: SimilarityTarget
    among: int  # postmortems compared with
    found: list[SimilarIncident]
    root: Path  # the repository root, for the paths shown
    not_analysed: int = 0  # of those compared, how many name no cause (text and services only)
    write_ups: int = 0  # the target's own other write-ups: the same incident, left out


def find_similar(project: Project, collection: Collection, what: str, limit: int) -> SimilarResult:
    """The incidents most like ``what``: a postmortem id or the path of a file."""
    target = resolve_target(project, collection, what)
    compared = collection.other_incidents(target.id)
    return SimilarResult(
        target,
        len(compared),
        similar_incidents(collection, target, limit),
        project.root,
        not_analysed=sum(1 for r in compared if not r.analysed),
        write_ups=len(collection.other_write_up_ids(target.id)),
    )


def resolve_target(project: Project, collection: Collection, what: str) -> SimilarityTarget:
    """A postmortem id, or the path of a file (committed or not, valid or not yet).

    A file that fails the check is read as far as it can be read; one whose front
    matter does not even parse is compared by its words.
    """
    path = Path(what)
    # lexists, not is_file: a FIFO or a link loop given by name is refused by the guards
    # below with the reason, not called missing.
    if what in collection.by_id and not (path.suffix == ".md" and os.path.lexists(path)):
        return SimilarityTarget.from_record(collection.by_id[what])
    if not os.path.lexists(path) or path.is_dir():
        in_folder = project.postmortems_dir / f"{what}.md"
        if what.endswith(".md") or "/" in what or not os.path.lexists(in_folder):
            raise UsageError(f"{what}: no postmortem with this id and no such file")
        path = in_folder  # an id whose file has errors: compare what can be read
    raw = project.read(path)  # the guards of `check`: size, links, special files
    if isinstance(raw, LoadError):
        raise UsageError(f"{what}: {raw.message}")
    loaded = load_bytes(path, raw)
    if isinstance(loaded, LoadError):
        # Not even parseable front matter: its words can still find similar incidents.
        return SimilarityTarget.from_text(path.stem, raw.decode("utf-8", errors="replace"))
    return SimilarityTarget.from_loaded(loaded, project.taxonomy)

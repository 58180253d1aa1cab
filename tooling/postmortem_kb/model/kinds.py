"""The kinds of terms a postmortem names, each declared once.

A cause, a trigger, a lucky break, a went-well term, a detection method, a
service and a tag are all "a name from a list, counted across incidents". What differs between
them (the front-matter field, how it is written, whether the taxonomy controls
it, what pages and search facets it gets, how it is labelled) is stated here,
in one table, and read by the records, the rules, the blameless lint, the
search index and filters, the pages and the guide. A new kind is one entry
here (plus its group in taxonomy.yml and its field in the schema).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, StrEnum


class Kind(StrEnum):
    """A kind of term, named as its front-matter field (and its taxonomy.yml group)."""

    CAUSE = "causes"
    TRIGGER = "trigger"
    LUCKY_BREAK = "lucky_breaks"
    WENT_WELL = "went_well"
    DETECTION = "detection"
    SERVICE = "services"
    TAG = "tags"

    @property
    def spec(self) -> KindSpec:
        """Everything the tooling says about this kind (model.kinds.KINDS)."""
        return KINDS[self]

    @property
    def field(self) -> str:
        """The front-matter field that holds terms of this kind."""
        return self.value

    @property
    def singular(self) -> str:
        """The kind in messages: "cause", "lucky break"."""
        return KINDS[self].singular


class Shape(Enum):
    """How the front matter writes terms of a kind."""

    TERMS = "terms"  # a list; each item a term id or {term, detail}
    REF = "ref"  # one term id or {term, detail}
    TERM = "term"  # one term id
    NAMES = "names"  # a list of ids, without detail

    @property
    def is_list(self) -> bool:
        """Whether the field holds a list of terms (else exactly one)."""
        return self in (Shape.TERMS, Shape.NAMES)

    @property
    def has_detail(self) -> bool:
        """Whether a term may be written as ``{term, detail}``."""
        return self in (Shape.TERMS, Shape.REF)


class Control(Enum):
    """How far the taxonomy controls a kind's names."""

    ALWAYS = "always"  # every name must be a term of its group
    IF_LISTED = "if listed"  # only when taxonomy.yml has the group (services are optional)
    NEVER = "never"  # free-form (tags): no group in taxonomy.yml


@dataclass(frozen=True)
class KindSpec:
    """Everything the tooling says about one kind of term."""

    kind: Kind
    shape: Shape
    control: Control
    singular: str  # in messages: "'x' is not a known <singular>"
    title: str  # one term's page: "Cause: Configuration change"
    heading: str  # a group of them: "Causes (3)", "Often occurs with: Causes"
    card_label: str  # the incident page's header card
    guide_heading: str  # the taxonomy's section in the writing guide
    index_title: str  # the kind's index page and its nav entry
    index_intro: str = ""  # the sentence under the index page's heading
    folder: str | None = None  # URL folder of its pages; None: no pages of its own
    facet: str | None = None  # site and command-line search filter; None: not a filter
    facet_label: str = ""  # the filter's label on the search page
    cli_help: str = ""  # the filter's help on `postmortem search`
    co_kinds: tuple[Kind, ...] = ()  # what its term pages list as "often occurs with"
    feed: bool = False  # each term has an Atom feed of its postmortems (needs a folder)

    @property
    def field(self) -> str:
        """The front-matter field (and taxonomy.yml group) of this kind."""
        return self.kind.value

    @property
    def in_taxonomy(self) -> bool:
        """Whether schema/taxonomy.yml may hold a group of this kind."""
        return self.control is not Control.NEVER

    @property
    def has_detail(self) -> bool:
        """Whether each term may carry a ``detail`` (prose that is linted and searched)."""
        return self.shape.has_detail

    @property
    def cli_option(self) -> str | None:
        """``--lucky-break`` for the facet ``lucky_break``."""
        return "--" + self.facet.replace("_", "-") if self.facet else None

    @property
    def anchor(self) -> str:
        """The kind's anchor in generated pages: ``lucky-breaks``."""
        return self.field.replace("_", "-")


_ALL = (
    KindSpec(
        Kind.CAUSE,
        Shape.TERMS,
        Control.ALWAYS,
        singular="cause",
        title="Cause",
        heading="Causes",
        card_label="Contributing factors",
        guide_heading="Causes (contributing factors)",
        index_title="Recurring causes",
        index_intro="Contributing factors ranked by how many incidents they contributed to. "
        "A cause only recurs if it is named the same way each time: see the taxonomy in the guide.",
        folder="causes",
        facet="cause",
        facet_label="Cause",
        cli_help="Has this cause.",
        co_kinds=(Kind.CAUSE, Kind.SERVICE, Kind.LUCKY_BREAK),
        feed=True,
    ),
    KindSpec(
        Kind.TRIGGER,
        Shape.REF,
        Control.ALWAYS,
        singular="trigger",
        title="Trigger",
        heading="Triggers",
        card_label="Trigger",
        guide_heading="Triggers (what set the incident off)",
        index_title="Triggers",
        index_intro="The events that set incidents off, distinct from the contributing factors "
        "that let them do harm.",
        folder="triggers",
        facet="trigger",
        facet_label="Trigger",
        cli_help="Was set off by this trigger.",
        co_kinds=(Kind.CAUSE, Kind.SERVICE),
    ),
    KindSpec(
        Kind.LUCKY_BREAK,
        Shape.TERMS,
        Control.ALWAYS,
        singular="lucky break",
        title="Lucky break",
        heading="Lucky breaks",
        card_label="Where we got lucky",
        guide_heading="Lucky breaks",
        index_title="Lucky breaks ledger",
        folder="lucky-breaks",
        facet="lucky_break",
        facet_label="Lucky break",
        cli_help="Has this lucky break.",
        co_kinds=(Kind.CAUSE, Kind.LUCKY_BREAK, Kind.SERVICE),
    ),
    KindSpec(
        Kind.WENT_WELL,
        Shape.TERMS,
        Control.ALWAYS,
        singular="went-well term",
        title="What went well",
        heading="What went well",
        card_label="What went well",
        guide_heading="What went well",
        index_title="What went well",
        index_intro="What worked during incidents, so that teams can copy it.",
        folder="went-well",
        facet="went_well",
        facet_label="Went well",
        cli_help="Has this went-well term.",
        co_kinds=(Kind.CAUSE, Kind.WENT_WELL, Kind.SERVICE),
    ),
    KindSpec(
        Kind.DETECTION,
        Shape.TERM,
        Control.ALWAYS,
        singular="detection method",
        title="Detection",
        heading="Detection methods",
        card_label="Detection",
        guide_heading="Detection methods",
        index_title="Detection methods",
    ),
    KindSpec(
        Kind.SERVICE,
        Shape.NAMES,
        Control.IF_LISTED,
        singular="service",
        title="Service",
        heading="Services",
        card_label="Services",
        guide_heading="Services",
        index_title="Services",
        index_intro="Services and how many incidents involved them.",
        folder="services",
        facet="service",
        facet_label="Service",
        cli_help="Involved this service.",
        co_kinds=(Kind.CAUSE, Kind.SERVICE, Kind.LUCKY_BREAK),
        feed=True,
    ),
    KindSpec(
        Kind.TAG,
        Shape.NAMES,
        Control.NEVER,
        singular="tag",
        title="Tag",
        heading="Tags",
        card_label="Tags",
        guide_heading="Tags",
        index_title="Tags",
        index_intro="Free-form labels for what the taxonomy does not cover.",
        folder="tags",
    ),
)

# Declaration order is display order everywhere (card, guide, facets).
KINDS: dict[Kind, KindSpec] = {spec.kind: spec for spec in _ALL}
assert list(KINDS) == list(Kind), "every Kind is declared exactly once"

# The groups schema/taxonomy.yml may hold.
TAXONOMY_KINDS: tuple[Kind, ...] = tuple(s.kind for s in _ALL if s.in_taxonomy)
# Kinds with pages of their own (an index page and one page per term).
PAGED_KINDS: tuple[Kind, ...] = tuple(s.kind for s in _ALL if s.folder)
# Kinds that are search filters, on the site and on the command line.
FACET_KINDS: tuple[Kind, ...] = tuple(s.kind for s in _ALL if s.facet)
# Kinds whose terms each have an Atom feed of their postmortems.
FEED_KINDS: tuple[Kind, ...] = tuple(s.kind for s in _ALL if s.feed and s.folder)
# Taxonomy kinds with pages of their own (tags have pages too, but no taxonomy terms).
TERM_PAGE_KINDS: tuple[Kind, ...] = tuple(k for k in PAGED_KINDS if KINDS[k].in_taxonomy)


@dataclass(frozen=True)
class WrittenTerm:
    """One term as the front matter writes it: where its name is, the name, its detail."""

    path: tuple[str | int, ...]  # the name's field path: ("causes", 0, "term"), ("detection",)
    name: str
    detail: str = ""
    item: tuple[str | int, ...] = ()  # the path of the whole item (a list entry or the field)


def written_terms(spec: KindSpec, value: object) -> list[WrittenTerm]:
    """Every term name in ``value`` (the raw front-matter field of ``spec``'s kind), read
    defensively: entries of the wrong type are skipped (the schema reports them)."""
    field: str = spec.field
    if spec.shape.is_list:
        if not isinstance(value, list):
            return []
        found = []
        for index, item in enumerate(value):
            written = _written(spec, item, (field, index))
            if written is not None:
                found.append(written)
        return found
    written = _written(spec, value, (field,))
    return [written] if written is not None else []


def _written(spec: KindSpec, item: object, at: tuple[str | int, ...]) -> WrittenTerm | None:
    if isinstance(item, str):
        return WrittenTerm(at, item, "", at)
    if spec.has_detail and isinstance(item, dict) and isinstance(item.get("term"), str):
        detail = item.get("detail")
        return WrittenTerm(
            (*at, "term"), item["term"], detail if isinstance(detail, str) else "", at
        )
    return None

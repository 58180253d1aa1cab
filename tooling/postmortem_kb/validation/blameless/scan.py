"""The blameless-language lint: warnings for wording that points at a person.

A postmortem asks "what happened?", not "who did it?". Every hit is a warning at
its body line (or front-matter value) with a systems-focused rewording. The
people whose names must not be the subject of a failure are the postmortem's
authors and the people in its roles, plus the people file. ``<!-- blameless:
ignore -->`` on a line (or alone on the line before) silences it; fenced and
inline code are never linted, and neither is quoted text (a Markdown block quote,
lines starting with ``>``): it is someone else's words, such as the original
write-up of an imported postmortem.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from postmortem_kb.loading.files import LoadedFile
from postmortem_kb.loading.markdown import code_lines
from postmortem_kb.model.facts import Roles
from postmortem_kb.model.findings import Level
from postmortem_kb.model.kinds import KINDS, written_terms
from postmortem_kb.project.repository import Project
from postmortem_kb.validation.blameless.literals import all_known, required_words
from postmortem_kb.validation.blameless.settings import (
    BlamelessSettings,
    Rule,
    phrase_regex,
    read_settings,
)
from postmortem_kb.validation.problems import Problem

CODE = "blameless"
IGNORE = re.compile(r"<!--\s*blameless:\s*ignore\s*-->", re.IGNORECASE)
_QUOTED = re.compile(r" {0,3}>")
_INLINE_CODE = re.compile(r"`[^`\n]*`")
_NAME_SUGGESTION = (
    "describe what the system let happen, not what a person did: "
    "name the missing safeguard, signal or step"
)


@dataclass(frozen=True)
class _TriggerPlan:
    needs: tuple[frozenset[str], ...]  # per phrase rule: one of these words is in any match
    verbs: frozenset[str]  # one of these is in any "<person> failed to" match
    words: frozenset[str]  # all of the above


@dataclass(frozen=True)
class BlamelessLint:
    """The lint for one project: phrase rules, person subjects and failure verbs."""

    settings: BlamelessSettings = field(default_factory=BlamelessSettings)

    @property
    def rules(self) -> tuple[Rule, ...]:
        """The phrase rules of schema/blameless.yml."""
        return self.settings.rules

    @property
    def subjects(self) -> tuple[str, ...]:
        """Roles that count as a person ("the on-call engineer")."""
        return self.settings.subjects

    @property
    def failures(self) -> tuple[str, ...]:
        """Verbs that make their subject the cause of a failure ("forgot to")."""
        return self.settings.failures

    @property
    def people(self) -> tuple[str, ...]:
        """People's names from the people file."""
        return self.settings.people

    @functools.cached_property
    def _plan(self) -> _TriggerPlan | None:
        """Which lower-case words each rule needs to see before its regex can match.

        None: some rule has no such word, so every line is scanned with every rule.
        """
        needs = all_known(required_words(rule.pattern.pattern) for rule in self.rules)
        verb_needs = all_known(required_words(phrase_regex(verb)) for verb in self.failures)
        if needs is None or verb_needs is None:
            return None
        verbs = frozenset[str]().union(*verb_needs)
        return _TriggerPlan(needs, verbs, verbs.union(*needs))

    @functools.cached_property
    def _failure_verbs(self) -> re.Pattern[str] | None:
        if not self.failures:
            return None
        verbs = "|".join(phrase_regex(v) for v in sorted(set(self.failures), key=len, reverse=True))
        return re.compile(rf"(?<![\w-])(?:{verbs})(?![\w-])", re.IGNORECASE)

    def _subject_failures(
        self, text: str, subject_rules: list[re.Pattern[str]]
    ) -> Iterator[tuple[int, int]]:
        """Spans of "<person> [adverb] <failure verb>": the verb first (rare), then
        whether the words just before it name a person."""
        verbs = self._failure_verbs
        if verbs is None:
            return
        for verb in verbs.finditer(text):
            window_start = max(0, verb.start() - _SUBJECT_WINDOW)
            before = text[window_start : verb.start()]
            starts = [m.start("who") for rule in subject_rules if (m := rule.search(before))]
            if starts:
                yield window_start + min(starts), verb.end()

    @classmethod
    def for_project(cls, project: Project) -> BlamelessLint:
        """The lint as schema/blameless.yml and the people file configure it."""
        return cls(read_settings(project))

    def problems(self, loaded: LoadedFile) -> list[Problem]:
        """Warnings for the body and the front matter's prose of ``loaded``."""
        if not self.rules and not self.failures:
            return []
        authors = loaded.front_matter.data.get("authors")
        names = list(self.people)
        if isinstance(authors, list):
            names += [a for a in authors if isinstance(a, str) and a.strip()]
        roles = Roles.from_front_matter(loaded.front_matter.data.get("roles"))
        if roles is not None:
            names += [name for name in roles.people() if name.strip()]
        subject_rules = [_subject_rule(tuple(self.subjects))] if self.subjects else []
        subject_rules += [_subject_rule((name,)) for name in sorted(set(names))]
        lines = loaded.body.split("\n")
        fenced = code_lines(loaded.body, lines)
        found: list[Problem] = []
        for offset, seen in self._candidate_lines(loaded.body, lines):
            text = _lintable(lines, offset, fenced)
            if text is not None:
                found.extend(
                    self._line_problems(loaded.body_line + offset, text, subject_rules, seen)
                )
        found.extend(self._front_matter_problems(loaded, subject_rules))
        return found

    def _front_matter_problems(
        self, loaded: LoadedFile, subject_rules: list[re.Pattern[str]]
    ) -> Iterator[Problem]:
        """The prose fields of the front matter (title, summary, details, action items),
        located at their value; ``# blameless: ignore`` on the value's line silences one."""
        plan = self._plan
        for path, text in _prose_fields(loaded.front_matter.data):
            flat = " ".join(text.split("\n"))
            seen = None
            if plan is not None:
                lowered = flat.lower()
                seen = frozenset(word for word in plan.words if word in lowered)
                if not seen:
                    continue
            hits = list(self._line_problems(0, flat, subject_rules, seen))
            if hits and not _ignored_in_front_matter(loaded, path):
                for hit in hits:
                    yield Problem(path, hit.message, level=hit.level, code=CODE)

    def _candidate_lines(
        self, body: str, lines: list[str]
    ) -> Iterable[tuple[int, frozenset[str] | None]]:
        """The lines a rule can match, each with the trigger words found on it.

        Running every rule's regex over every line cost more than all other checks
        together; finding the few lines that hold a trigger word is a substring search.
        None for the words: scan that line with every rule.
        """
        plan = self._plan
        lowered = body.lower()
        if plan is None or len(lowered) != len(body):  # lower() changed offsets
            return ((offset, None) for offset in range(len(lines)))
        # Where each line starts, so that a hit's line is a binary search, not a count
        # of the newlines before it (which made 170,000 hits on one line quadratic).
        starts = list(itertools.accumulate((len(line) + 1 for line in lines[:-1]), initial=0))
        seen: dict[int, set[str]] = {}
        for word in plan.words:
            at = lowered.find(word)
            while at >= 0:
                seen.setdefault(bisect.bisect_right(starts, at) - 1, set()).add(word)
                at = lowered.find(word, at + 1)
        return ((offset, frozenset(seen[offset])) for offset in sorted(seen))

    def _line_problems(
        self,
        line: int,
        text: str,
        subject_rules: list[re.Pattern[str]],
        seen: frozenset[str] | None,
    ) -> Iterator[Problem]:
        """Warnings for one line (or flattened front-matter value), in pieces of at most
        _PIECE characters: a regex's backtracking, quadratic on an adversarial line,
        is then bounded by the piece, and the whole stays linear in the line's length."""
        taken: list[Span] = []  # hits kept so far that may reach into the next piece
        for start, end in _pieces(text):
            taken = [span for span in taken if span[1] > start]
            yield from self._piece_problems(
                line, text[start:end], start, subject_rules, seen, taken
            )

    def _piece_problems(
        self,
        line: int,
        piece: str,
        offset: int,
        subject_rules: list[re.Pattern[str]],
        seen: frozenset[str] | None,
        taken: list[Span],
    ) -> Iterator[Problem]:
        """Hits in ``piece`` (at ``offset`` in its line) that overlap none already ``taken``:
        person subjects first, then each phrase rule in order."""
        plan = self._plan
        if subject_rules and (seen is None or plan is None or plan.verbs & seen):
            spans = _disjoint(
                (offset + s, offset + e) for s, e in self._subject_failures(piece, subject_rules)
            )
            for start, end in _claim(taken, spans):
                yield Problem(
                    (),
                    f"'{piece[start - offset : end - offset]}' makes a person the subject of "
                    f"a failure; {_NAME_SUGGESTION}",
                    level=Level.WARNING,
                    code=CODE,
                    line=line,
                    column=start + 1,
                )
        for index, rule in enumerate(self.rules):
            if seen is not None and plan is not None and not (plan.needs[index] & seen):
                continue
            matches = [(offset + m.start(), offset + m.end()) for m in rule.pattern.finditer(piece)]
            for start, end in _claim(taken, matches):
                yield Problem(
                    (),
                    f"'{piece[start - offset : end - offset]}' assigns blame; {rule.suggest}",
                    level=Level.WARNING,
                    code=CODE,
                    line=line,
                    column=start + 1,
                )


Span = tuple[int, int]  # start, end of a hit in its line
_PIECE = 2048  # characters of a long line linted at once
_REACH = 256  # a piece reaches this far past its end, so a phrase across the cut is found


def _pieces(text: str) -> Iterator[Span]:
    """Where the pieces of ``text`` start and end: each starts where the last one's own
    part ended (at a space when there is one near), and reaches _REACH further."""
    if len(text) <= _PIECE + _REACH:
        yield 0, len(text)
        return
    start = 0
    while True:
        cut = _cut(text, start + _PIECE)
        end = _cut(text, cut + _REACH)
        yield start, end
        if end >= len(text):
            return
        start = cut


def _cut(text: str, at: int) -> int:
    """A place near ``at`` to cut ``text``: just after a space, else ``at`` itself."""
    if at >= len(text):
        return len(text)
    space = text.rfind(" ", at - _REACH // 2, at)
    return space + 1 if space >= 0 else at


def _disjoint(spans: Iterable[Span]) -> list[Span]:
    """Spans in order of their ends, each dropped if it overlaps one kept before it."""
    kept: list[Span] = []
    reached = -1
    for start, end in spans:
        if start >= reached:
            kept.append((start, end))
            reached = end
    return kept


def _claim(taken: list[Span], spans: list[Span]) -> list[Span]:
    """The ``spans`` (in order, disjoint) that overlap none of ``taken`` (in order,
    disjoint), which then holds them too. Linear: one walk through both, then a merge
    of two sorted runs, where testing each span against every taken one was
    quadratic (170,000 hits on one line took 15 minutes)."""
    kept: list[Span] = []
    index = 0
    for start, end in spans:
        while index < len(taken) and taken[index][1] <= start:
            index += 1
        if index < len(taken) and taken[index][0] < end:
            continue
        kept.append((start, end))
    if kept:
        taken[:] = sorted(taken + kept)  # timsort merges the two runs in linear time
    return kept


_SUBJECT_WINDOW = 120  # characters before a failure verb searched for its subject


@functools.lru_cache(maxsize=4096)
def _subject_rule(subjects: tuple[str, ...]) -> re.Pattern[str]:
    """Subjects ending the text before a failure verb: "Ana ", "the engineer quickly "."""
    who = "|".join(phrase_regex(s) for s in sorted(set(subjects), key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?P<who>{who})\s+(?:\w+ly\s+)?$", re.IGNORECASE)


_PROSE_FIELDS = (("title",), ("summary",), ("impact", "summary"))
# Each term's detail (model.kinds says which kinds have one), and action items' text.
_DETAIL_KINDS = tuple(spec for spec in KINDS.values() if spec.has_detail)
_PROSE_LISTS = {"action_items": ("title", "reason")}
_FRONT_MATTER_IGNORE = re.compile(r"#\s*blameless:\s*ignore", re.IGNORECASE)


def _prose_fields(data: dict[str, Any]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    for path in _PROSE_FIELDS:
        value: Any = data
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        if isinstance(value, str):
            yield path, value
    for spec in _DETAIL_KINDS:
        for written in written_terms(spec, data.get(spec.field)):
            if written.detail:
                yield (*written.item, "detail"), written.detail
    for name, keys in _PROSE_LISTS.items():
        items = data.get(name)
        if not isinstance(items, list):
            continue
        for index, item in enumerate(items):
            if isinstance(item, dict):
                for key in keys:
                    if isinstance(item.get(key), str):
                        yield (name, index, key), item[key]


def _ignored_in_front_matter(loaded: LoadedFile, path: tuple[str | int, ...]) -> bool:
    position = loaded.front_matter.value_positions.get(path)
    if position is None:
        return False
    lines = loaded.front_matter.text.split("\n")
    index = position.line - loaded.front_matter.first_line
    return 0 <= index < len(lines) and bool(_FRONT_MATTER_IGNORE.search(lines[index]))


def _lintable(lines: list[str], offset: int, fenced: set[int]) -> str | None:
    """The line to lint with inline code blanked, or None: fenced code, or silenced
    by an ignore comment on the line or alone on the line before."""
    text = lines[offset]
    if offset in fenced or IGNORE.search(text) or _QUOTED.match(text):
        return None
    if offset > 0 and IGNORE.fullmatch(lines[offset - 1].strip()):
        return None
    # Blank inline code rather than delete it, so columns stay right.
    return _INLINE_CODE.sub(lambda m: " " * len(m.group(0)), text)

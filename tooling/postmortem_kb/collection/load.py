"""Loading a knowledge base: every postmortem checked, the valid ones collected.

The one way every command and the site get their records, so that what
`postmortem check` rejects is left out everywhere, and counted.
"""

from __future__ import annotations

from dataclasses import dataclass

from postmortem_kb.collection.index import Collection
from postmortem_kb.processes import default_jobs
from postmortem_kb.project.repository import Project
from postmortem_kb.validation.checker import Checker, CheckResult


@dataclass(frozen=True)
class KnowledgeBase:
    """A project's check result and the collection of its valid records."""

    project: Project
    check: CheckResult
    collection: Collection

    @property
    def files_with_errors(self) -> int:
        """Postmortems left out of the collection because they have errors."""
        return len({finding.path for finding in self.check.errors})


def load_knowledge_base(project: Project, *, checker: Checker | None = None) -> KnowledgeBase:
    """Check every postmortem of ``project`` and collect the valid ones."""
    checker = checker or Checker(project)
    result = checker.check(jobs=default_jobs())
    collection = Collection(result.records, project.taxonomy, project.shape)
    return KnowledgeBase(project, result, collection)

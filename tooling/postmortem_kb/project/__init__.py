"""A knowledge-base repository on disk: where its folders are and the rules in schema/."""

from postmortem_kb.project.repository import Config, Project, find_project

__all__ = ["Config", "Project", "find_project"]

"""Blameless-language lint: settings (schema/blameless.yml), the regex-literal
pre-filter, and the scan of bodies and front-matter prose."""

from postmortem_kb.validation.blameless.literals import required_words
from postmortem_kb.validation.blameless.scan import CODE, IGNORE, BlamelessLint
from postmortem_kb.validation.blameless.settings import BLAMELESS_FILE, BlamelessSettings

__all__ = [
    "BLAMELESS_FILE",
    "CODE",
    "IGNORE",
    "BlamelessLint",
    "BlamelessSettings",
    "required_words",
]

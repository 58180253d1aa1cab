"""Domain errors. The library raises these; only the front ends turn them into
messages and exit codes (exit 2: usage or environment)."""


class PostmortemKbError(Exception):
    """Base class for errors that are not findings in a postmortem."""


class ConfigurationError(PostmortemKbError):
    """schema/ or the repository layout is missing or broken."""


class UsageError(PostmortemKbError):
    """The command was asked for something impossible (a path that does not exist...)."""

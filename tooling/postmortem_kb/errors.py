"""Domain errors. The library raises these; only the front ends turn them into
messages and exit codes (exit 2: usage or environment)."""


class PostmortemKbError(Exception):
    """Base class for errors that are not findings in a postmortem."""


class ConfigurationError(PostmortemKbError):
    """schema/ or the repository layout is missing or broken."""


class UsageError(PostmortemKbError):
    """The command was asked for something impossible (a path that does not exist...)."""


def one_line(text: str, limit: int) -> str:
    """``text`` with every run of whitespace as one space, cut to ``limit`` characters
    ("..." marks a cut): for a message that must stay on one line of a log."""
    squeezed = " ".join(text.split())
    return squeezed if len(squeezed) <= limit else squeezed[: limit - 3] + "..."


def exception_line(exc: BaseException) -> str:
    """An unexpected exception as ``ValueError: what it says``, on one line: how the
    command line and the MkDocs plugin both report a bug."""
    return f"{type(exc).__name__}: {one_line(str(exc), 500) or '(no message)'}"

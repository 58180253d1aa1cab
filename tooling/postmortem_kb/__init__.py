"""postmortem-kb: a Git-native postmortem knowledge base."""

__version__ = "0.2.0"

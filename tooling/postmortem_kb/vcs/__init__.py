"""Git: when each postmortem was written, and which ones a branch changes."""

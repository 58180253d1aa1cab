"""Acceptance tests for the pull-request workflow: `new`, `check --changed`, `review`,
the blameless-language lint and the CI integration files. A package (like tests/search)
so its conftest does not shadow tests/conftest.py, the shared fixtures."""

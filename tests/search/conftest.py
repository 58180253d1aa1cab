"""Fixtures for search, patterns and similar: small projects with known incidents."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from postmortem_testkit import MakeProject, TmpProject
from search.helpers import incident


@pytest.fixture(autouse=True)
def _own_cache(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # The index goes to the project's .postmortem-cache/ unless a test says otherwise,
    # whatever the environment running the tests has set.
    monkeypatch.delenv("POSTMORTEM_CACHE_DIR", raising=False)
    yield


@pytest.fixture
def incidents(make_project: MakeProject) -> TmpProject:
    """Five valid incidents with distinct words, terms, services, severities and dates."""
    project = make_project()
    project.write(
        "2023-02-10-dns-resolver-timeouts",
        incident(
            "2023-02-10",
            title="Checkout fails while DNS resolvers time out",
            summary="Resolvers timed out under a query flood.",
            severity="SEV1",
            causes=["dns", "capacity-exhaustion"],
            services=["checkout"],
            lucky_breaks=["off-peak-timing"],
        ),
    )
    project.write(
        "2024-05-01-edge-config-push",
        incident(
            "2024-05-01",
            title="Edge load balancer drops TLS after a config push",
            summary="A configuration push removed the certificate chain.",
            causes=[{"term": "config-change", "detail": "The quokka flag was flipped globally."}],
            services=["edge-lb"],
            went_well=["fast-rollback"],
        ),
    )
    project.write(
        "2024-08-20-payments-capacity",
        incident(
            "2024-08-20",
            title="Payments API slow during a sale",
            summary="Database connections ran out during the summer sale.",
            severity="SEV3",
            status="review",
            causes=["capacity-exhaustion", "insufficient-testing"],
            services=["payments-api", "checkout"],
            lucky_breaks=["expert-on-hand"],
        ),
    )
    project.write(
        "2025-01-15-bad-config-payments",
        incident(
            "2025-01-15",
            title="Payments API errors after a config push",
            summary="Written with an alias of config-change.",
            causes=["bad-config"],  # an alias: a warning, the record counts as config-change
            services=["payments-api"],
            went_well=["clear-runbook"],
        ),
    )
    project.write(
        "2025-03-01-draft-checkout",
        incident(
            "2025-03-01",
            title="Checkout button hidden on small screens",
            summary="A stylesheet change hid the button.",
            severity="SEV4",
            status="draft",
            causes=["insufficient-testing"],
            services=["checkout"],
            minutes=None,
        ),
    )
    return project

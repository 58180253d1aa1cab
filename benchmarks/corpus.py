"""Generate a realistic, deterministic corpus of valid postmortems for benchmarks.

    python benchmarks/corpus.py OUT_DIR --n 2000 --seed 42

writes a complete project: OUT_DIR/schema/ (a copy of this repository's schema/)
and OUT_DIR/postmortems/*.md, N postmortems that pass `postmortem check --strict`.

Term ids come from the real schema/taxonomy.yml (deprecated terms skipped), so
the corpus stays valid when the taxonomy changes. When the taxonomy lists
services, the corpus uses them plus generated ones, which it appends to the
COPIED taxonomy (never the repository's own).

The spread is meant to look like a real incident history: a few causes are very
common (Zipf-like), services are used with skewed frequency, severities are
weighted (SEV1 5%, SEV2 20%, SEV3 45%, SEV4 30%), start times span four years,
durations are log-normal, and bodies of 300-900 words are composed from varied
sentence templates so that full-text search has something to chew on. The same
seed always gives the same bytes.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import shutil
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
REPO_SCHEMA = REPO_ROOT / "schema"

EPOCH = datetime(2021, 1, 1, tzinfo=UTC)
SPAN_MINUTES = 4 * 365 * 24 * 60
SEVERITY_WEIGHTS = {"SEV1": 5, "SEV2": 20, "SEV3": 45, "SEV4": 30}
STATUS_WEIGHTS = {"published": 80, "review": 12, "draft": 8}

# Used only when the copied schema/ has no taxonomy.yml (a fresh checkout in progress).
FALLBACK_TAXONOMY: dict[str, dict[str, dict[str, str]]] = {
    "causes": {
        "config-change": {"title": "Configuration change", "description": "A config change."},
        "insufficient-testing": {"title": "Insufficient testing", "description": "Untested."},
        "capacity-exhaustion": {"title": "Capacity exhaustion", "description": "Ran out."},
        "dependency-failure": {"title": "Dependency failure", "description": "Upstream."},
        "dns": {"title": "DNS", "description": "Name resolution failed."},
    },
    "lucky_breaks": {
        "off-peak-timing": {"title": "Off-peak timing", "description": "Low traffic."},
        "domain-expert-available": {"title": "Expert available", "description": "Online."},
    },
    "went_well": {
        "fast-rollback": {"title": "Fast rollback", "description": "Rolled back fast."},
        "fast-diagnosis": {"title": "Fast diagnosis", "description": "Found it fast."},
    },
    "detection": {
        "automated-alert": {"title": "Automated alert", "description": "An alert fired."},
        "customer-report": {"title": "Customer report", "description": "A customer told us."},
    },
}

OFFSETS = [("Z", 0), ("+00:00", 0), ("+01:00", 60), ("+02:00", 120), ("-05:00", -300)]
OFFSETS += [("-08:00", -480), ("+05:30", 330), ("+09:00", 540), ("-03:00", -180)]
OFFSET_WEIGHTS = [40, 5, 12, 8, 12, 10, 5, 5, 3]

SERVICE_PREFIXES = [
    "payments", "checkout", "search", "auth", "billing", "inventory", "catalog", "orders",
    "shipping", "notifications", "profile", "ledger", "pricing", "recommendations", "media",
    "upload", "session", "gateway", "identity", "reporting", "fraud", "tax", "loyalty",
    "messaging", "analytics", "geo", "wallet", "subscriptions", "feed", "webhooks",
]  # fmt: skip
SERVICE_SUFFIXES = ["api", "db", "worker", "cache", "queue", "frontend", "service", "store"]

COMPONENTS = [
    "the Postgres primary", "a Redis cluster", "the Kafka brokers", "the Envoy sidecars",
    "the nginx ingress", "the etcd quorum", "the Kubernetes control plane", "a gRPC client pool",
    "the CDN edge", "the object store", "the Elasticsearch cluster", "the RabbitMQ queues",
    "the connection pooler", "the service mesh", "the job scheduler", "the feature-flag service",
    "the TLS terminators", "the DNS resolvers", "the autoscaler", "the batch importer",
    "the read replicas", "the rate limiter", "the session store", "the search indexer",
    "the Terraform pipeline", "the Helm release", "the OAuth provider", "the webhook relay",
]  # fmt: skip
SYMPTOMS = [
    ("returns 502 errors", "502-errors"), ("times out for many requests", "timeouts"),
    ("shows elevated latency", "latency"), ("serves stale data", "stale-data"),
    ("drops messages", "dropped-messages"), ("rejects logins", "login-failures"),
    ("has a partial outage", "partial-outage"), ("has a full outage", "outage"),
    ("delays notifications", "delayed-notifications"), ("loses writes", "lost-writes"),
    ("returns empty results", "empty-results"), ("double-charges some orders", "double-charges"),
    ("fails health checks", "health-check-failures"), ("runs out of memory", "oom"),
]  # fmt: skip
TRIGGERS = [
    ("a configuration push", "config-push"), ("a certificate rotation", "cert-rotation"),
    ("a database failover", "db-failover"), ("a traffic surge", "traffic-surge"),
    ("a dependency upgrade", "dependency-upgrade"), ("a schema migration", "schema-migration"),
    ("a DNS change", "dns-change"), ("a cache flush", "cache-flush"),
    ("a network partition", "network-partition"), ("a feature flag change", "flag-change"),
    ("a routine deploy", "deploy"), ("a region evacuation", "region-evacuation"),
    ("a full disk", "disk-full"), ("a clock step", "clock-step"),
    ("a vendor outage", "vendor-outage"), ("a kernel update", "kernel-update"),
]  # fmt: skip
METRICS = [
    "p99 latency", "error rate", "queue depth", "CPU saturation", "heap usage",
    "connection count", "replication lag", "cache hit ratio", "disk usage", "GC pause time",
    "request rate", "retry rate", "open file descriptors", "consumer lag",
]  # fmt: skip
ERRORS = [
    "HTTP 503", "ECONNRESET", "deadlock detected", "too many connections",
    "certificate has expired", "context deadline exceeded", "OOMKilled", "read-only file system",
    "NXDOMAIN", "SERVFAIL", "429 Too Many Requests", "connection refused", "broken pipe",
    "lock wait timeout exceeded", "no space left on device", "upstream connect error",
]  # fmt: skip
REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1", "sa-east-1"]
TOOLS = [
    "Grafana", "PagerDuty", "the runbook", "kubectl", "the deploy dashboard", "Jaeger traces",
    "the status page", "Sentry", "the on-call handbook", "the incident channel", "pg_stat_activity",
]  # fmt: skip
PEOPLE = [
    "ana", "bo", "chen", "dara", "eli", "farah", "gus", "hana", "ivan", "jun", "kofi", "lena",
    "mateo", "nia", "omar", "priya", "quinn", "rosa", "sven", "tariq", "uma", "vik", "wen",
    "xavi", "yara", "zoe",
]  # fmt: skip
TEAMS = [
    "sre", "platform-team", "edge-team", "data-team", "payments-team", "identity-team",
    "observability", "storage-team", "network-team", "release-eng", "security-team",
]  # fmt: skip
TAGS = [
    "kubernetes", "postgres", "redis", "kafka", "tls", "dns", "cdn", "deploy", "migration",
    "autoscaling", "rate-limiting", "caching", "networking", "observability", "failover",
    "batch", "mobile", "api", "queueing", "storage",
]  # fmt: skip
TRACKERS = ["OPS", "SRE", "EDGE", "PAY", "DATA", "PLAT"]

# Sentence templates, grouped by section. Slots are filled from the incident.
# They describe systems and conditions, never people (the blameless lint is on).
S_SUMMARY = [
    "{Service} {symptom} for {duration} after {trigger}.",
    "Between {start} and {end} UTC, {service} {symptom} for users in {region}.",
    "The incident began with {trigger} and ended when {component} recovered.",
    "Requests to {service} were affected while {component} recovered from {trigger}.",
    "This review covers {duration} of degraded service in {service} and the recovery.",
    "{Component} reached its limits and {service} {symptom} until traffic was shifted.",
    "Users in {region2} noticed first; monitoring of {service} caught up minutes later.",
    "The fault stayed inside {service} thanks to circuit breakers on {component2}.",
    "Recovery needed a restart of {component} and a replay of queued work.",
    "The first signal was '{error}' from {component2}, not an error rate alert.",
]  # fmt: skip
S_IMPACT = [
    "About {pct}% of requests to {service} failed during the worst {minutes} minutes.",
    "Roughly {count} customers saw errors, and {count2} support tickets were opened.",
    "The {metric} rose to {factor} times its usual value in {region}.",
    "No data was lost, but {count} background jobs had to be replayed afterwards.",
    "Dependent services, including {other}, saw retries and a higher {metric}.",
    "Revenue impact is estimated at {pct}% of a normal hour of orders.",
    "Internal dashboards were slow, which made the picture harder to read at first.",
    "Mobile clients retried aggressively, so load on {service} briefly doubled.",
    "Logs from {service} filled with '{error}' at a rate of {count} lines a minute.",
    "Partners calling {service} through {region2} saw '{error}' responses.",
    "Batch exports scheduled during the window were delayed by {minutes} minutes.",
    "The {metric} of {other} stayed within budget, so the blast radius was contained.",
    "Checkout conversion dropped by {pct}% compared with the same hour a week earlier.",
    "Search results were incomplete for {minutes} minutes while indexes caught up.",
]  # fmt: skip
S_TIMELINE = [
    "{trigger_cap} reaches {region}.",
    "An alert on {metric} fires for {service}.",
    "The incident channel is opened and roles are assigned.",
    "Responders correlate the start with {trigger}.",
    "Traffic is drained from {region}.",
    "{Component} is restarted with the previous settings.",
    "The {metric} returns to its baseline.",
    "Status page updated with a customer-facing summary.",
    "A rollback of {trigger} is started.",
    "Error rates for {service} are back to normal.",
    "Monitoring continues for an hour before the incident is closed.",
]  # fmt: skip
S_FACTOR = [
    "{Cause} played a part: {detail}",
    "The change path for {component} had no automated check for this case.",
    "Alerting watched {metric} but not the signal that moved first.",
    "The runbook described an older layout of {component}.",
    "Retries from {other} amplified the load on {service}.",
    "Capacity planning assumed a {factor}x margin that no longer held.",
    "A default timeout of {seconds} seconds was longer than the client's own deadline.",
    "The staging environment did not reproduce the traffic mix of {region}.",
    "Ownership of {component} had moved between teams and the dashboards had not followed.",
    "Clients treated '{error}' as retryable, which multiplied the load on {component2}.",
    "The health check for {service} passed while {component2} was unreachable.",
    "A limit of {count2} connections per host had not been revisited since launch.",
    "The deploy pipeline for {team} skipped the soak stage when the queue was long.",
    "Dashboards for {region2} showed averages, which hid the failing {metric}.",
    "Failover to {region2} depended on {component2}, which shared the fault.",
    "Log sampling dropped most '{error}' lines, so the pattern was invisible for a while.",
]  # fmt: skip
S_WELL = [
    "{Good} helped: {detail}",
    "The rollback for {service} took {minutes} minutes from decision to effect.",
    "Clear roles in the incident channel kept the discussion focused.",
    "{Tool} showed the failing dependency within minutes.",
    "Customer support had a holding statement ready early.",
    "The {team} on-call rotation had rehearsed this failover two weeks earlier.",
    "Feature flags let {service} shed the expensive path within {minutes} minutes.",
    "Tracing in {tool} made the slow hop to {component2} obvious.",
    "Regular status updates every {minutes} minutes kept partners informed.",
    "Read-only mode protected data while {component2} was repaired.",
]  # fmt: skip
S_LUCKY = [
    "{Lucky}: {detail}",
    "Traffic was low at the time, which limited the number of affected users.",
    "A responder who knew {component} well happened to be online.",
    "The same fault in {other} would have been far harder to contain.",
    "A scheduled maintenance window in {region2} had already moved most traffic away.",
    "The faulty build had reached only {pct}% of hosts when the alert fired.",
    "A recent snapshot of {component2} existed because of an unrelated migration.",
]  # fmt: skip
S_ACTIONS = [
    "The action items in the front matter turn each contributing factor into a safeguard.",
    "Each action item has an owner and a due date and is reviewed in the weekly operations meeting.",
    "The highest-priority item closes the gap that let {trigger} reach every region at once.",
    "Items that rely on luck today are marked with the lucky break they replace.",
    "The {team} will report progress on these items in the monthly reliability review.",
    "Two items depend on work in {component2} and are sequenced after it.",
    "A follow-up review in {minutes} days checks whether the new alerts fire as expected.",
]  # fmt: skip
S_LESSONS = [
    "Changes to {component} need the same staged rollout as code.",
    "Signals that move first deserve alerts, not only dashboards.",
    "Recovery steps that are never rehearsed tend to take longer than expected.",
    "Small defaults, such as a {seconds} second timeout, can decide the size of an outage.",
    "Shared dependencies like {component} deserve their own error budgets.",
    "Errors such as '{error}' should page only when they affect users.",
    "Regional isolation only helps when {component2} is regional too.",
    "Load tests should include the retry behaviour of clients like {other}.",
]  # fmt: skip
DETAILS = [
    "the check that would have caught it ran only in staging",
    "the safeguard existed but was disabled during a migration",
    "nothing in the pipeline compared the new value with the old one",
    "the alert threshold had been tuned for last year's traffic",
    "the fallback path had not been exercised in months",
    "two systems disagreed about which one owned the setting",
    "the rollout went to every region within a minute",
    "the dashboard hid the signal behind an average",
]  # fmt: skip
AI_TITLES = [
    ("Add a canary stage for {component} changes", "prevent"),
    ("Alert on {metric} for {service}", "detect"),
    ("Add a synthetic check for {service} in {region}", "detect"),
    ("Rehearse failover of {component} quarterly", "process"),
    ("Cap retries from {other} with a budget", "mitigate"),
    ("Validate {component} settings in CI", "prevent"),
    ("Update the runbook for {component}", "process"),
    ("Add a kill switch for {trigger_short}", "mitigate"),
    ("Raise capacity headroom for {service} to {factor}x", "mitigate"),
    ("Shorten the client timeout for {service} to {seconds} seconds", "mitigate"),
]  # fmt: skip
SECTION_ORDER = [
    "Summary", "Impact", "Timeline", "Contributing factors", "What went well",
    "Where we got lucky", "Action items", "Lessons learned",
]  # fmt: skip
WONT_DO_REASONS = [
    "Superseded by the platform migration planned for next quarter.",
    "The cost outweighs the risk now that the service is being retired.",
    "Covered by another action item with a broader scope.",
]  # fmt: skip


POOLS = {
    "Summary": S_SUMMARY,
    "Impact": S_IMPACT,
    "Contributing factors": S_FACTOR[1:],
    "Action items": S_ACTIONS,
    "What went well": S_WELL[1:],
    "Where we got lucky": S_LUCKY[1:],
    "Lessons learned": S_LESSONS,
}


@dataclass
class Vocabulary:
    """Live term ids per group, in taxonomy order, with titles for prose."""

    causes: list[str]
    lucky_breaks: list[str]
    went_well: list[str]
    detection: list[str]
    services: list[str]  # every service a postmortem may name
    titles: dict[str, str] = field(default_factory=dict)
    triggers: list[str] = field(default_factory=list)  # schema version 2's trigger group
    sections: list[str] = field(default_factory=list)  # required body sections


def _live_terms(group: Any) -> list[str]:
    if not isinstance(group, dict):
        return []
    return [
        str(term_id)
        for term_id, spec in group.items()
        if not (isinstance(spec, dict) and spec.get("deprecated"))
    ]


def _taken_names(group: Any) -> list[str]:
    """Ids and aliases already used in a taxonomy group (generated names must avoid them)."""
    names: list[str] = []
    for term_id, spec in (group or {}).items() if isinstance(group, dict) else ():
        names.append(str(term_id))
        if isinstance(spec, dict):
            names += [str(a) for a in spec.get("aliases") or []]
    return names


def _zipf_weights(count: int, exponent: float) -> list[float]:
    return [1.0 / (rank + 1) ** exponent for rank in range(count)]


def _service_names(rng: random.Random, count: int, taken: list[str]) -> list[str]:
    names: list[str] = []
    pairs = [f"{p}-{s}" for p in SERVICE_PREFIXES for s in SERVICE_SUFFIXES]
    rng.shuffle(pairs)
    for name in pairs:
        if len(names) == count:
            break
        if name not in taken:
            names.append(name)
    index = 0
    while len(names) < count:  # only for absurd counts
        index += 1
        if f"svc-{index:02d}" not in taken:
            names.append(f"svc-{index:02d}")
    return names


def prepare_schema(out_dir: Path, rng: random.Random, schema_src: Path = REPO_SCHEMA) -> Vocabulary:
    """Copy schema/ into OUT_DIR and return the vocabulary postmortems may use.

    Adds generated services to the COPIED taxonomy when it has a services group.
    """
    schema_dir = out_dir / "schema"
    if schema_dir.exists():
        shutil.rmtree(schema_dir)
    shutil.copytree(schema_src, schema_dir)
    taxonomy_path = schema_dir / "taxonomy.yml"
    if taxonomy_path.exists():
        raw = yaml.load(taxonomy_path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    else:
        raw = None
    if not isinstance(raw, dict) or not all(_live_terms(raw.get(g)) for g in FALLBACK_TAXONOMY):
        raw = json.loads(json.dumps(FALLBACK_TAXONOMY))
        taxonomy_path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")

    service_count = rng.randint(20, 60)
    if isinstance(raw.get("services"), dict):
        existing = _live_terms(raw["services"])
        extra = _service_names(
            rng, max(0, service_count - len(existing)), _taken_names(raw["services"])
        )
        if extra:
            _append_services(taxonomy_path, extra)
        services = existing + extra
    else:
        services = _service_names(rng, service_count, [])

    titles: dict[str, str] = {}
    for group in ("causes", "lucky_breaks", "went_well"):
        for term_id, spec in (raw.get(group) or {}).items():
            if isinstance(spec, dict) and isinstance(spec.get("title"), str):
                titles[f"{group}:{term_id}"] = spec["title"]

    config_path = schema_dir / "config.yml"
    sections = ["Summary", "Impact", "Timeline", "Contributing factors", "Action items"]
    if config_path.exists():
        config = yaml.load(config_path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        if isinstance(config, dict) and isinstance(config.get("required_sections"), list):
            sections = [str(s) for s in config["required_sections"]]

    return Vocabulary(
        causes=_live_terms(raw["causes"]),
        lucky_breaks=_live_terms(raw["lucky_breaks"]),
        went_well=_live_terms(raw["went_well"]),
        detection=_live_terms(raw["detection"]),
        services=services,
        titles=titles,
        sections=sections,
        triggers=_live_terms(raw.get("trigger")),
    )


def _append_services(taxonomy_path: Path, names: list[str]) -> None:
    """Add services to the copied taxonomy, keeping its comments where possible."""
    text = taxonomy_path.read_text(encoding="utf-8")
    header = re.search(r"(?m)^services:[ \t]*(?:#.*)?\n", text)
    if header is not None:
        # Match the indentation of the group's first entry (two spaces if it is empty).
        first = re.compile(r"(?m)^([ \t]+)[^\s#]").search(text, header.end())
        indent = first.group(1) if first else "  "
        entries = "".join(
            f"{indent}{name}:\n{indent * 2}title: {name.replace('-', ' ').title()}\n"
            f"{indent * 2}description: Generated for the benchmark corpus.\n"
            for name in names
        )
        text = text[: header.end()] + entries + text[header.end() :]
    else:  # `services: {}` or some other shape: rewrite the copy without comments
        raw = yaml.load(text, Loader=yaml.CSafeLoader)
        group = raw.get("services") or {}
        for name in names:
            group[name] = {
                "title": name.replace("-", " ").title(),
                "description": "Generated for the benchmark corpus.",
            }
        raw["services"] = group
        text = yaml.safe_dump(raw, sort_keys=False, allow_unicode=True)
    check = yaml.load(text, Loader=yaml.CSafeLoader)
    if not all(name in check["services"] for name in names):
        raise RuntimeError(f"could not add services to {taxonomy_path}")
    taxonomy_path.write_text(text, encoding="utf-8")


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _timestamp(moment: datetime, offset: tuple[str, int]) -> str:
    name, minutes = offset
    local = moment.astimezone(timezone(timedelta(minutes=minutes)))
    text = local.strftime("%Y-%m-%dT%H:%M:%S")
    return text + ("Z" if name == "Z" else name)


def _lognormal_minutes(rng: random.Random, median: float, sigma: float, cap: float) -> float:
    return min(cap, max(1.0, rng.lognormvariate(math.log(median), sigma)))


def _choice_weighted(rng: random.Random, items: Sequence[str], weights: Sequence[float]) -> str:
    return rng.choices(list(items), weights=list(weights), k=1)[0]


def _distinct(
    rng: random.Random, items: Sequence[str], weights: Sequence[float], k: int
) -> list[str]:
    chosen: list[str] = []
    pool, pool_weights = list(items), list(weights)
    while pool and len(chosen) < k:
        index = rng.choices(range(len(pool)), weights=pool_weights, k=1)[0]
        chosen.append(pool.pop(index))
        pool_weights.pop(index)
    return chosen


def _duration_text(minutes: float) -> str:
    if minutes < 90:
        return f"{round(minutes)} minutes"
    return f"{minutes / 60:.1f} hours"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass
class Incident:
    id: str
    started: datetime
    services: list[str]
    causes: list[str]
    front_matter: str = ""
    body: str = ""


class _Generator:
    def __init__(self, rng: random.Random, vocab: Vocabulary) -> None:
        self.rng = rng
        self.vocab = vocab
        # Which terms are common is itself random (per seed), the skew is not.
        self.causes = self._skewed(vocab.causes, 1.1)
        self.lucky = self._skewed(vocab.lucky_breaks, 1.0)
        self.well = self._skewed(vocab.went_well, 0.9)
        self.detection = self._skewed(vocab.detection, 1.4)
        self.services = self._skewed(vocab.services, 1.0)
        self.triggers = self._skewed(vocab.triggers, 1.2)

    def _skewed(self, items: list[str], exponent: float) -> tuple[list[str], list[float]]:
        order = list(items)
        self.rng.shuffle(order)
        return order, _zipf_weights(len(order), exponent)

    def pick(self, skewed: tuple[list[str], list[float]], k: int) -> list[str]:
        return _distinct(self.rng, skewed[0], skewed[1], k)

    def incident(self, started: datetime, earlier: list[Incident], used: set[str]) -> Incident:
        rng = self.rng
        services = self.pick(self.services, rng.choices([1, 2, 3], weights=[60, 30, 10])[0])
        causes = self.pick(self.causes, rng.choices([1, 2, 3], weights=[45, 40, 15])[0])
        symptom, symptom_slug = rng.choice(SYMPTOMS)
        trigger, trigger_slug = rng.choice(TRIGGERS)
        slug = f"{services[0]}-{symptom_slug}"
        if rng.random() < 0.5:
            slug += f"-{trigger_slug}"
        base_id = f"{started.date().isoformat()}-{slug}"
        incident_id, suffix = base_id, 1
        while incident_id in used:
            suffix += 1
            incident_id = f"{base_id}-{suffix}"
        used.add(incident_id)
        incident = Incident(incident_id, started, services, causes)

        offset = OFFSETS[rng.choices(range(len(OFFSETS)), weights=OFFSET_WEIGHTS)[0]]
        detect = _lognormal_minutes(rng, 9, 1.1, 3 * 24 * 60)
        mitigate = detect + _lognormal_minutes(rng, 35, 1.0, 5 * 24 * 60)
        resolve = mitigate + _lognormal_minutes(rng, 150, 1.2, 20 * 24 * 60)
        has_detected, has_mitigated = rng.random() < 0.95, rng.random() < 0.9
        has_resolved = has_mitigated and rng.random() < 0.85

        def at(minutes: float) -> datetime:
            return started + timedelta(seconds=round(minutes * 60))

        slots = self._slots(incident, symptom, trigger, trigger_slug, mitigate)
        severity = _choice_weighted(rng, list(SEVERITY_WEIGHTS), list(SEVERITY_WEIGHTS.values()))
        status = _choice_weighted(rng, list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values()))
        authors = rng.sample(PEOPLE, rng.choices([1, 2, 3], weights=[50, 35, 15])[0])
        if rng.random() < 0.3:
            authors.append(rng.choice(TEAMS))

        lines = ["---"]
        title = f"{slots['Service']} {symptom} after {trigger}"
        lines.append(f"title: {_quoted(title)}")
        lines.append(f"status: {status}")
        lines.append(f"severity: {severity}")
        lines.append(f"started: {_timestamp(started, offset)}")
        if has_detected:
            lines.append(f"detected: {_timestamp(at(detect), offset)}")
        if has_mitigated:
            lines.append(f"mitigated: {_timestamp(at(mitigate), offset)}")
        if has_resolved:
            lines.append(f"resolved: {_timestamp(at(resolve), offset)}")
        lines.append(f"authors: [{', '.join(authors)}]")
        lines.append(f"services: [{', '.join(services)}]")
        summary = self.sentence(rng.choice(S_SUMMARY[:2]), slots)
        lines.append(f"summary: {_quoted(summary)}")
        if rng.random() < 0.92:
            lines.append(f"detection: {self.pick(self.detection, 1)[0]}")
        if self.triggers[0] and rng.random() < 0.7:
            trigger_term = self.pick(self.triggers, 1)[0]
            if rng.random() < 0.6:
                detail = _quoted(_cap(rng.choice(DETAILS)) + ".")
                lines += ["trigger:", f"  term: {trigger_term}", f"  detail: {detail}"]
            else:
                lines.append(f"trigger: {trigger_term}")

        lines.append("causes:")
        cause_details: list[tuple[str, str]] = []
        for cause in causes:
            detail = rng.choice(DETAILS)
            cause_details.append((cause, detail))
            if rng.random() < 0.6:
                lines += [f"  - term: {cause}", f"    detail: {_quoted(_cap(detail) + '.')}"]
            else:
                lines.append(f"  - {cause}")
        lucky = self.pick(self.lucky, rng.choices([0, 1, 2], weights=[50, 38, 12])[0])
        if lucky or rng.random() < 0.3:
            lines.append("lucky_breaks:" if lucky else "lucky_breaks: []")
            for term in lucky:
                if rng.random() < 0.5:
                    detail = _quoted(_cap(rng.choice(DETAILS)) + ".")
                    lines += [f"  - term: {term}", f"    detail: {detail}"]
                else:
                    lines.append(f"  - {term}")
        well = self.pick(self.well, rng.choices([0, 1, 2, 3], weights=[20, 40, 28, 12])[0])
        if well:
            lines.append("went_well:")
            lines += [f"  - {term}" for term in well]

        items = self._action_items(started, slots, causes + lucky)
        item_count = sum(1 for line in items if line.startswith("  - id:"))
        if items or rng.random() < 0.5:
            lines.append("action_items:" if items else "action_items: []")
            lines += items

        lines += self._v2_facts(rng)
        related = self._related(incident, earlier)
        if related:
            lines.append(f"related: [{', '.join(related)}]")
        tags = rng.sample(TAGS, rng.choices([0, 1, 2, 3], weights=[30, 35, 25, 10])[0])
        if tags:
            lines.append(f"tags: [{', '.join(tags)}]")
        lines.append("---")
        incident.front_matter = "\n".join(lines) + "\n"
        incident.body = self._body(slots, cause_details, well, lucky, item_count, started, mitigate)
        return incident

    def _v2_facts(self, rng: random.Random) -> list[str]:
        """Impact, roles and responders, as often as teams that use them would give them."""
        lines: list[str] = []
        if rng.random() < 0.45:
            facing = "true" if rng.random() < 0.7 else "false"
            lines += ["impact:", f"  customer_facing: {facing}"]
            if rng.random() < 0.5:
                share = rng.random() < 0.5
                affected = f"{rng.randint(1, 100)}%" if share else str(rng.randint(1, 10**6))
                lines.append(f"  customers_affected: {affected}")
            if rng.random() < 0.4:
                lines.append(f"  regions: [{', '.join(rng.sample(REGIONS, rng.randint(1, 3)))}]")
            if rng.random() < 0.4:
                lines.append(f"  failed_requests_percent: {round(rng.uniform(0.1, 60), 1)}")
            if rng.random() < 0.3:
                lines.append(f"  support_tickets: {rng.randint(0, 500)}")
        if rng.random() < 0.3:
            commander, scribe = rng.sample(PEOPLE, 2)
            lines += ["roles:", f"  incident_commander: {commander}", f"  scribe: {scribe}"]
            lines.append(f"responders: {rng.randint(2, 30)}")
        return lines

    def _slots(
        self, incident: Incident, symptom: str, trigger: str, trigger_slug: str, mitigate: float
    ) -> dict[str, str]:
        rng = self.rng
        service = incident.services[0]
        others = [s for s in self.vocab.services if s != service]
        component = rng.choice(COMPONENTS)
        end = incident.started + timedelta(minutes=mitigate)
        return {
            "service": service,
            "Service": _cap(service),
            "symptom": symptom,
            "trigger": trigger,
            "trigger_cap": _cap(trigger),
            "trigger_short": trigger_slug.replace("-", " "),
            "component": component,
            "Component": _cap(component),
            "other": rng.choice(others) if others else "the API gateway",
            "region": rng.choice(REGIONS),
            "metric": rng.choice(METRICS),
            "duration": _duration_text(mitigate),
            "start": incident.started.strftime("%H:%M"),
            "end": end.strftime("%H:%M"),
        }

    def sentence(self, template: str, slots: dict[str, str], **extra: str) -> str:
        rng = self.rng
        numbers = {
            "error": rng.choice(ERRORS),
            "region2": rng.choice(REGIONS),
            "component2": rng.choice(COMPONENTS),
            "team": rng.choice(TEAMS),
            "tool": rng.choice(TOOLS),
            "Tool": _cap(rng.choice(TOOLS)),
            "pct": str(rng.choice([1, 2, 3, 4, 5, 8, 12, 15, 20, 35, 60])),
            "count": f"{rng.randint(20, 90_000):,}",
            "count2": str(rng.randint(3, 400)),
            "minutes": str(rng.randint(3, 120)),
            "factor": str(rng.choice([2, 3, 4, 5, 10])),
            "seconds": str(rng.choice([5, 10, 30, 60, 120])),
        }
        return template.format(**{**slots, **numbers, **extra})

    def _action_items(
        self, started: datetime, slots: dict[str, str], terms: list[str]
    ) -> list[str]:
        rng = self.rng
        count = rng.choices([0, 1, 2, 3, 4], weights=[10, 25, 30, 20, 15])[0]
        lines: list[str] = []
        for number, (template, kind) in enumerate(rng.sample(AI_TITLES, count), start=1):
            status = _choice_weighted(
                rng, ["done", "open", "in-progress", "wont-do"], [50, 22, 16, 12]
            )
            due = started.date() + timedelta(days=rng.randint(7, 120))
            lines += [
                f"  - id: AI-{number}",
                f"    title: {_quoted(self.sentence(template, slots))}",
                f"    owner: {rng.choice(TEAMS)}",
                f"    type: {kind}",
                f"    priority: P{rng.choices([1, 2, 3, 4], weights=[15, 40, 30, 15])[0]}",
                f"    due: {due.isoformat()}",
                f"    status: {status}",
            ]
            if status == "wont-do":
                lines.append(f"    reason: {_quoted(rng.choice(WONT_DO_REASONS))}")
            if rng.random() < 0.6:
                ticket = f"{rng.choice(TRACKERS)}-{rng.randint(100, 9999)}"
                lines.append(f"    link: https://tracker.example.com/{ticket}")
            if terms and rng.random() < 0.25:
                lines.append(f"    addresses: [{rng.choice(terms)}]")
        return lines

    def _related(self, incident: Incident, earlier: list[Incident]) -> list[str]:
        rng = self.rng
        if not earlier or rng.random() > 0.15:
            return []
        recent = earlier[-400:]
        sharing = [
            other.id
            for other in recent
            if other.services[0] in incident.services or other.causes[0] in incident.causes
        ]
        pool = sharing or [other.id for other in recent]
        return rng.sample(pool, min(len(pool), rng.choice([1, 1, 2])))

    def _body(
        self,
        slots: dict[str, str],
        cause_details: list[tuple[str, str]],
        well: list[str],
        lucky: list[str],
        item_count: int,
        started: datetime,
        mitigate: float,
    ) -> str:
        rng = self.rng
        titles = self.vocab.titles

        def title_of(group: str, term: str) -> str:
            return titles.get(f"{group}:{term}", term.replace("-", " "))

        def detail_sentence(template: str, **names: str) -> str:
            return self.sentence(template, slots, detail=rng.choice(DETAILS), **names) + "."

        # Required sections (schema/config.yml) plus, sometimes, the optional ones.
        names = list(self.vocab.sections)
        for optional, chance in (
            ("What went well", 0.8 if well else 0.3),
            ("Where we got lucky", 0.9 if lucky else 0.2),
            ("Lessons learned", 0.5),
        ):
            if optional not in names and rng.random() < chance:
                names.append(optional)
        names.sort(key=lambda n: SECTION_ORDER.index(n) if n in SECTION_ORDER else 99)

        sections: dict[str, list[str]] = {name: [] for name in names}
        if "Contributing factors" in sections:
            sections["Contributing factors"] = [
                self.sentence(S_FACTOR[0], slots, Cause=title_of("causes", c), detail=d) + "."
                for c, d in cause_details
            ]
        if "What went well" in sections:
            sections["What went well"] = [
                detail_sentence(S_WELL[0], Good=title_of("went_well", t)) for t in well
            ]
        if "Where we got lucky" in sections:
            sections["Where we got lucky"] = [
                detail_sentence(S_LUCKY[0], Lucky=title_of("lucky_breaks", t)) for t in lucky
            ]
        if "Action items" in sections:
            count = f"{item_count} follow-up item{'s' if item_count != 1 else ''}"
            sections["Action items"] = [f"This incident has {count} in the front matter."]

        timeline: list[str] = []
        moments = sorted(rng.uniform(0, mitigate * 1.3) for _ in range(rng.randint(4, 9)))
        events = [S_TIMELINE[i] for i in sorted(rng.sample(range(len(S_TIMELINE)), len(moments)))]
        for minutes, event in zip(moments, events, strict=True):
            when = (started + timedelta(minutes=minutes)).strftime("%H:%M")
            timeline.append(f"- {when} {self.sentence(event, slots)}")

        prose = [name for name in sections if name != "Timeline"]
        unused: dict[str, list[str]] = {}

        def next_sentence(name: str) -> str:
            # Each template once per section before any repeats.
            if not unused.get(name):
                unused[name] = list(POOLS.get(name, S_LESSONS))
                rng.shuffle(unused[name])
            return self.sentence(unused[name].pop(), slots)

        for name in prose:
            if not sections[name]:
                sections[name].append(next_sentence(name))
        target = rng.randint(300, 900)
        words = sum(len(s.split()) for lines in sections.values() for s in lines)
        words += sum(len(t.split()) for t in timeline) + 2 * len(sections)
        while words < target:
            name = rng.choice(prose)
            sentence = next_sentence(name)
            sections[name].append(sentence)
            words += len(sentence.split())

        out: list[str] = []
        for name, sentences in sections.items():
            if name == "Timeline":
                text = "All times UTC.\n\n" + "\n".join(timeline)
            else:
                text = "\n\n".join(
                    " ".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4)
                )
            out.append(f"## {name}\n\n{text}\n")
        return "\n".join(out)


def generate(folder: Path, n: int, seed: int = 42, *, schema_src: Path = REPO_SCHEMA) -> list[Path]:
    """Write a complete project of ``n`` valid postmortems into ``folder``.

    ``folder`` becomes the project root: folder/schema/ (copied, with generated
    services added to its taxonomy) and folder/postmortems/. Refuses to write into a
    postmortems/ folder that already holds .md files. Returns the postmortem paths in
    the order written (oldest first).
    """
    if n < 0:
        raise ValueError("n must be zero or more")
    postmortems = folder / "postmortems"
    if postmortems.is_dir() and any(postmortems.glob("*.md")):
        raise FileExistsError(f"{postmortems} already holds postmortems; use an empty folder")
    postmortems.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    vocab = prepare_schema(folder, rng, schema_src)
    generator = _Generator(rng, vocab)
    starts = sorted(EPOCH + timedelta(minutes=rng.randrange(SPAN_MINUTES)) for _ in range(n))
    written: list[Path] = []
    done: list[Incident] = []
    used: set[str] = set()
    for started in starts:
        incident = generator.incident(started, done, used)
        path = postmortems / f"{incident.id}.md"
        path.write_text(incident.front_matter + incident.body, encoding="utf-8", newline="\n")
        written.append(path)
        done.append(incident)
    return written


def reuse_or_generate(folder: Path, n: int, seed: int) -> None:
    """Generate ``n`` postmortems into ``folder``, or reuse what a kept folder holds."""
    existing = len(list((folder / "postmortems").glob("*.md")))
    if existing == n:
        print(f"reusing the {existing:,} postmortems in {folder}")
        return
    started = time.perf_counter()
    generate(folder, n, seed)
    print(f"generated {n:,} postmortems in {time.perf_counter() - started:.1f} s")


def postmortem_script() -> str:
    """The installed `postmortem` command beside this interpreter (else on the PATH)."""
    beside = Path(sys.executable).parent / "postmortem"
    found = str(beside) if beside.exists() else shutil.which("postmortem")
    if not found:
        raise SystemExit("benchmarks: the postmortem command is not installed (make test)")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Write N valid postmortems and a copy of schema/ into OUT_DIR.",
        epilog="Example: python benchmarks/corpus.py /tmp/corpus --n 2000 --seed 42",
    )
    parser.add_argument("out_dir", type=Path, metavar="OUT_DIR")
    parser.add_argument("--n", type=int, default=2000, help="how many postmortems (2000)")
    parser.add_argument("--seed", type=int, default=42, help="random seed (42)")
    args = parser.parse_args(argv)
    try:
        paths = generate(args.out_dir, args.n, args.seed)
    except (FileExistsError, ValueError) as exc:
        print(f"corpus: error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {len(paths)} postmortems to {args.out_dir / 'postmortems'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`postmortem init` and `init --upgrade`: the starter knowledge base the package ships."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from postmortem_kb import __version__
from postmortem_kb.authoring import starter
from postmortem_kb.authoring.starter import LOCK_FILE, STARTER_FILES, workflow_text
from postmortem_testkit import REPO_ROOT
from postmortem_testkit.git import git


def test_init_writes_a_knowledge_base_that_checks_and_never_overwrites(
    tmp_path: Path, run_postmortem
) -> None:  # type: ignore[no-untyped-def]
    kb = tmp_path / "kb"
    kb.mkdir()
    (kb / "README.md").write_text("our own readme\n", encoding="utf-8")
    done = run_postmortem("init", "kb", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "initialized an empty git repository in kb" in done.stdout
    assert "left alone (they exist already): README.md" in done.stdout
    assert (kb / "README.md").read_text(encoding="utf-8") == "our own readme\n"
    assert (kb / ".git").is_dir()
    for target in STARTER_FILES:
        assert (kb / target).is_file(), target
    workflow = (kb / ".github/workflows/postmortems.yml").read_text(encoding="utf-8")
    assert f'python -m pip install "postmortem-kb=={__version__}"' in workflow
    assert "schedule:" in workflow
    assert list((kb / "postmortems").glob("*.md")) == []
    check = run_postmortem("check", cwd=kb)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "checked 0 postmortems" in check.stdout
    again = run_postmortem("init", cwd=kb)
    assert again.returncode == 0
    assert "created" not in again.stdout and "left alone" in again.stdout


def test_init_starts_the_repository_on_main_whatever_git_defaults_to(
    tmp_path: Path, run_postmortem, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    # The workflow publishes main and `check --changed` compares with (origin/)main.
    config = tmp_path / "gitconfig"
    config.write_text(
        "[user]\n\tname = A\n\temail = a@example.com\n[init]\n\tdefaultBranch = master\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    assert run_postmortem("init", "kb", cwd=tmp_path).returncode == 0
    kb = tmp_path / "kb"
    git(kb, "add", "-A")
    git(kb, "commit", "-q", "-m", "Start our postmortems")
    assert git(kb, "branch", "--show-current") == "main"
    changed = run_postmortem("check", "--changed", cwd=kb)
    assert changed.returncode == 0, changed.stderr
    assert changed.stdout == "checked 0 postmortems: no problems\n"


def test_the_starter_taxonomy_is_vendor_neutral_with_an_empty_services_list(tmp_path: Path) -> None:
    starter.init_knowledge_base(tmp_path)
    text = (tmp_path / "schema/taxonomy.yml").read_text(encoding="utf-8")
    assert "services: {}\n" in text
    for vendor in ("cloudflare", "facebook", "gitlab", "aws", "crowdstrike"):
        assert vendor not in text.lower()


def test_this_repositorys_tool_files_are_the_starters() -> None:
    """One source: the repository's workflow is the package's, installing from source."""
    ours = (REPO_ROOT / ".github/workflows/postmortems.yml").read_text(encoding="utf-8")
    assert ours == workflow_text(".")
    for name in ("postmortem.schema.json", "template.md", "config.yml", "blameless.yml"):
        assert (REPO_ROOT / "schema" / name).read_bytes() == starter.starter_bytes(f"schema/{name}")


def test_the_workflow_pins_actions_and_keeps_no_credentials() -> None:
    text = workflow_text(".")
    uses = [line.split("uses:", 1)[1].strip() for line in text.splitlines() if "uses:" in line]
    assert len(uses) == 7  # checkout and setup-python twice, three more
    for use in uses:
        _action, _, rest = use.partition("@")
        sha, _, comment = rest.partition(" # ")
        assert len(sha) == 40 and all(c in "0123456789abcdef" for c in sha), use
        assert comment.startswith("v"), use
    assert text.count("persist-credentials: false") == text.count("actions/checkout@")
    for path in ('"tooling/**"', '"pyproject.toml"', '"mkdocs.yml"', '"site/**"'):
        assert path in text
    assert "postmortem check --changed --strict" in text and "mkdocs build --strict" in text


def test_upgrade_updates_only_the_tools_files(tmp_path: Path, run_postmortem) -> None:  # type: ignore[no-untyped-def]
    kb = tmp_path / "kb"
    assert run_postmortem("init", "kb", "--example", cwd=tmp_path).returncode == 0
    # As if an older version had written an older schema and workflow.
    schema = kb / "schema/postmortem.schema.json"
    old_schema = schema.read_text(encoding="utf-8").replace('"title"', '"title" ', 1)
    schema.write_text(old_schema, encoding="utf-8")
    workflow = kb / ".github/workflows/postmortems.yml"
    workflow.write_text(workflow.read_text("utf-8").replace(__version__, "0.0.9"), encoding="utf-8")
    lock = json.loads((kb / LOCK_FILE).read_text(encoding="utf-8"))
    lock["version"] = "0.0.9"
    lock["files"]["schema/postmortem.schema.json"] = starter.sha256(schema.read_bytes())
    lock["files"][".github/workflows/postmortems.yml"] = starter.sha256(workflow.read_bytes())
    (kb / LOCK_FILE).write_text(json.dumps(lock), encoding="utf-8")
    team_files = [
        "schema/taxonomy.yml",
        "schema/config.yml",
        "schema/blameless.yml",
        "site/index.md",
    ]
    team_files += [f"postmortems/{starter.EXAMPLE_ID}.md"]
    before = {name: (kb / name).read_bytes() for name in team_files}

    check = run_postmortem("check", cwd=kb)
    assert check.returncode == 0
    notes = [line for line in check.stderr.splitlines() if "init --upgrade" in line]
    assert len(notes) == 1
    assert "schema/postmortem.schema.json" in notes[0] and "(made with 0.0.9)" in notes[0]

    dry = run_postmortem("init", "--upgrade", "--dry-run", cwd=kb)
    assert dry.returncode == 0
    assert f'+        run: python -m pip install "postmortem-kb=={__version__}"' in dry.stdout
    assert schema.read_text(encoding="utf-8") == old_schema

    done = run_postmortem("init", "--upgrade", cwd=kb)
    assert done.returncode == 0, done.stderr
    assert "updated schema/postmortem.schema.json" in done.stdout
    assert schema.read_bytes() == starter.starter_bytes("schema/postmortem.schema.json")
    assert {name: (kb / name).read_bytes() for name in team_files} == before
    assert "init --upgrade" not in run_postmortem("check", cwd=kb).stderr
    assert "up to date" in run_postmortem("init", "--upgrade", cwd=kb).stdout


def test_upgrade_leaves_a_file_the_team_edited(tmp_path: Path) -> None:
    starter.init_knowledge_base(tmp_path)
    lock_path = tmp_path / LOCK_FILE
    lock = json.loads(lock_path.read_text(encoding="utf-8"))
    lock["files"]["schema/template.md"] = "0" * 64  # the tool wrote another version
    lock_path.write_text(json.dumps(lock), encoding="utf-8")
    template = tmp_path / "schema/template.md"
    template.write_text(template.read_text("utf-8") + "\n## Our own section\n", encoding="utf-8")
    plan = starter.plan_upgrade(tmp_path)
    assert plan is not None and [f.target for f in plan.files] == ["schema/template.md"]
    result = starter.apply_upgrade(plan)
    assert result.left_edited == ("schema/template.md",)
    assert template.read_text(encoding="utf-8").endswith("## Our own section\n")


def test_example_added_to_an_existing_knowledge_base_passes_the_check(
    tmp_path: Path, run_postmortem: Any
) -> None:
    """`init --example` later: the taxonomy is left alone except for the example's service."""
    kb = tmp_path / "kb"
    starter.init_knowledge_base(kb)
    before = (kb / "schema/taxonomy.yml").read_text(encoding="utf-8")
    starter.init_knowledge_base(kb, example=True)
    after = (kb / "schema/taxonomy.yml").read_text(encoding="utf-8")
    assert after != before and "example-api:" in after
    assert after.replace(after[after.index("services:") :], "") == before.replace(
        before[before.index("services:") :], ""
    )  # everything before the services group is byte for byte as it was
    check = run_postmortem("check", cwd=kb)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "checked 1 postmortem: no problems" in check.stdout


# --- issue 12: a knowledge base made with schema version 1 is offered version 2 ---

V1_SCHEMA = Path(__file__).parent / "fixtures" / "postmortem.schema.v1.json"


def test_upgrade_offers_schema_version_2_to_a_knowledge_base_made_with_version_1(
    tmp_path: Path, run_postmortem
) -> None:  # type: ignore[no-untyped-def]
    kb = tmp_path / "kb"
    assert run_postmortem("init", "kb", "--example", cwd=tmp_path).returncode == 0
    # As version 0.1.0 left it: the schema of version 1, a taxonomy without triggers.
    schema = kb / "schema/postmortem.schema.json"
    schema.write_bytes(V1_SCHEMA.read_bytes())
    taxonomy = kb / "schema/taxonomy.yml"
    text = taxonomy.read_text(encoding="utf-8")
    start, end = text.index("trigger:\n"), text.index("lucky_breaks:\n")
    taxonomy.write_text(text[:start] + text[end:], encoding="utf-8")
    lock = json.loads((kb / LOCK_FILE).read_text(encoding="utf-8"))
    lock["version"] = "0.1.0"
    lock["files"]["schema/postmortem.schema.json"] = starter.sha256(schema.read_bytes())
    (kb / LOCK_FILE).write_text(json.dumps(lock), encoding="utf-8")
    imported = kb / "postmortems/2017-02-00-storage-outage-known-to-the-month.md"
    imported.write_text(
        "---\ntitle: Storage outage known only to the month\nstatus: draft\nseverity: unknown\n"
        "started: 2017-02\nauthors: [Example Inc.]\nservices: [example-api]\n"
        "summary: A storage service was down in one region for some hours.\ncauses: []\n"
        "source:\n  url: https://status.example.com/2017-02\n---\n",
        encoding="utf-8",
    )
    assert json.loads(V1_SCHEMA.read_text())["properties"]["severity"]["enum"][-1] == "SEV4"

    before = run_postmortem("check", cwd=kb)
    assert before.returncode == 1  # version 1 knows neither a month, unknown nor source
    assert "severity: 'unknown' is not one of: SEV1, SEV2, SEV3, SEV4" in before.stdout
    assert "unknown field 'source'" in before.stdout
    assert "schema/postmortem.schema.json" in before.stderr and "(made with 0.1.0)" in before.stderr

    dry = run_postmortem("init", "--upgrade", "--dry-run", cwd=kb)
    assert dry.returncode == 0
    added = [line for line in dry.stdout.splitlines() if line.startswith("+")]
    assert any('"enum": ["SEV1", "SEV2", "SEV3", "SEV4", "unknown"]' in line for line in added)
    assert '+    "same_incident_as": {' in dry.stdout
    assert schema.read_bytes() == V1_SCHEMA.read_bytes()

    done = run_postmortem("init", "--upgrade", cwd=kb)
    assert done.returncode == 0, done.stderr
    assert "updated schema/postmortem.schema.json" in done.stdout
    assert (
        "note: schema/taxonomy.yml has no trigger group yet, so `trigger:` accepts no trigger; "
        "add terms with `postmortem taxonomy add trigger TERM" in done.stdout
    )
    assert json.loads(schema.read_text())["$defs"]["schemaVersion"]["const"] == 2
    after = run_postmortem("check", "--strict", cwd=kb)
    assert after.returncode == 0, after.stdout
    assert "init --upgrade" not in after.stderr

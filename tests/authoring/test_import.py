"""`postmortem import`: other tools' postmortems as ours, with nothing invented.

The fixtures under fixtures/import/ were written for these tests with the messy
shapes of real exports: no date, a month only, times without a zone, categories
that do not map, duplicate titles, non-ASCII company names, HTML entities, a date
centuries ago, a leap second, TOML and JSON front matter, a broken file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from postmortem_kb.authoring import starter
from postmortem_kb.loading.files import LoadedFile, load_file
from postmortem_testkit import TmpProject, run_cli

FIXTURES = Path(__file__).parent / "fixtures" / "import"
ICCO = FIXTURES / "icco"
CSV = FIXTURES / "csv"
WIKI = FIXTURES / "markdown"


@pytest.fixture
def kb(tmp_path: Path) -> TmpProject:
    """A knowledge base as `postmortem init` makes it (the starter taxonomy, no services)."""
    starter.init_knowledge_base(tmp_path / "kb")
    return TmpProject(tmp_path / "kb")


def front_matter(path: Path) -> dict[str, object]:
    loaded = load_file(path, path.parent.parent, 1 << 20)
    assert isinstance(loaded, LoadedFile), loaded
    return loaded.front_matter.data


def lines_by_input(output: str) -> dict[str, str]:
    """Each input's line, keyed by the input's file name (and :ROW for CSV)."""
    found = {}
    for line in output.splitlines():
        label, sep, rest = line.partition(": ")
        if sep and label.startswith(str(FIXTURES)):
            found[label.rsplit("/", 1)[1]] = rest
    return found


def imported_ids(output: str) -> dict[str, str]:
    return {
        name: rest.split()[2].rstrip(";")
        for name, rest in lines_by_input(output).items()
        if rest.startswith("imported as ")
    }


def files(project: TmpProject) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(project.postmortems.glob("*.md"))}


# --- the icco/postmortems layout, with the mapping that ships --------------------------


def test_a_folder_in_the_icco_layout_imports_with_nothing_invented(kb: TmpProject) -> None:
    result = kb.cli("import", "frontmatter", str(ICCO), "--map", "icco-postmortems", "--add-terms")
    assert result.exit_code == 1, result.output  # two inputs failed: no date, broken YAML
    lines = lines_by_input(result.stdout)
    assert len(lines) == 14  # one line per input
    assert lines["00724a47066bd25a.md"] == (
        "error: no date: started is required and is never guessed; map the key that holds it "
        "(fields: started: in the mapping) or add the date to the source"
    )
    assert lines["a4b5-broken-yaml.md"] == (
        "error: its front matter cannot be read: line 4: expected ',' or ']', but got ':'"
    )
    ids = imported_ids(result.stdout)
    assert len(ids) == 12
    assert ids["38dfc6f4-1ea0-4d1f-8fc6-e3b5a9e0ab9b.md"] == (
        "2017-02-28-summary-of-the-amazon-s3-service-disruption-in-the-northern"
    )
    assert ids["0b9c79f2-month-only.md"] == "2019-06-00-message-queue-backlog-delays-every-webhook"
    assert ids["1a2b-no-zone.md"] == "2018-10-21-october-21-post-incident-analysis"
    assert ids["2c3d-duplicate-title-a.md"] == "2020-03-03-elevated-error-rates"
    assert ids["2c3d-duplicate-title-b.md"] == "2020-03-03-elevated-error-rates-2"
    assert ids["3d4e-non-ascii.md"] == "2021-04-03-nedostupnost-pochty-3-aprelya"
    assert ids["5f60-entities.md"] == "2024-02-22-at-t-911-outage-the-fcc-s-report"
    assert ids["6071-centuries-ago.md"].startswith("1859-09-01-telegraph-lines-fail")
    assert (
        ids["7182-leap-second.md"]
        == "2016-12-31-how-and-why-the-leap-second-affected-cloudflare-dns"
    )
    assert "; started: 22:52 has no UTC offset: only the date is kept" in lines["1a2b-no-zone.md"]
    assert (
        "source.url: 'ftp://archive.example.com/reports/db-failover.txt' is not an http or "
        "https address: left out" in lines["93a4-json.md"]
    )
    assert "imported 12, skipped 0, failed 2" in result.stdout

    # Every file passes the strict check.
    check = kb.check("--strict")
    assert check.exit_code == 0, check.stdout
    assert "checked 12 postmortems: no problems" in check.stdout

    data = {name: front_matter(kb.path(pid)) for name, pid in ids.items()}
    # Nothing invented: no severity, no time the source did not give, no cause it did not name.
    assert {d["severity"] for d in data.values()} == {"unknown"}
    assert all("detected" not in d and "mitigated" not in d for d in data.values())
    assert data["1a2b-no-zone.md"]["started"] == "2018-10-21"  # the time had no zone
    assert data["0b9c79f2-month-only.md"]["started"] == "2019-06"
    assert data["7182-leap-second.md"]["started"] == "2016-12-31T23:59:60Z"
    assert data["6071-centuries-ago.md"]["started"] == "1859-09-01"
    assert data["3d4e-non-ascii.md"]["started"] == "2021-04-03T08:15:00+03:00"
    assert data["93a4-json.md"]["started"] == "2015-08-14T03:10:00Z"  # "... UTC"
    assert data["8293-toml.md"]["started"] == "2023-05-09T00:00:00Z"  # a TOML datetime
    assert data["4e5f-societe.md"]["causes"] == []  # not yet analysed
    assert data["38dfc6f4-1ea0-4d1f-8fc6-e3b5a9e0ab9b.md"]["causes"] == ["config-change"]
    assert data["7182-leap-second.md"]["causes"] == ["time-handling-bug"]
    assert data["1a2b-no-zone.md"]["causes"] == ["cascading-failure"]
    assert data["1a2b-no-zone.md"]["trigger"] == "hardware-failure"  # the mapping moved it
    assert data["38dfc6f4-1ea0-4d1f-8fc6-e3b5a9e0ab9b.md"]["tags"] == [
        "cloud",
        "s3",
        "us-east",
        "typo",
    ]
    # The source, with its own id; entities decoded; the company is the publisher.
    s3 = data["38dfc6f4-1ea0-4d1f-8fc6-e3b5a9e0ab9b.md"]
    assert s3["source"] == {
        "url": "https://aws.amazon.com/message/41926/",
        "publisher": "Amazon",
        "imported_from": "frontmatter: " + str(ICCO / "38dfc6f4-1ea0-4d1f-8fc6-e3b5a9e0ab9b.md"),
        "id": "38dfc6f4-1ea0-4d1f-8fc6-e3b5a9e0ab9b",
    }
    assert s3["authors"] == ["Amazon"] and s3["services"] == ["s3"]
    assert data["5f60-entities.md"]["title"] == "AT&T 911 outage – the FCC's report"
    assert data["5f60-entities.md"]["source"]["publisher"] == "AT&T"  # type: ignore[index]
    assert data["4e5f-societe.md"]["services"] == ["societe-generale"]  # no product: the company
    assert data["3d4e-non-ascii.md"]["authors"] == ["Яндекс"]
    assert "source" in data["93a4-json.md"] and "url" not in data["93a4-json.md"]["source"]  # type: ignore[operator]


def test_the_source_words_are_quoted_and_not_linted(kb: TmpProject) -> None:
    kb.cli("import", "frontmatter", str(ICCO), "--map", "icco-postmortems", "--add-terms")
    path = kb.path("2017-02-28-summary-of-the-amazon-s3-service-disruption-in-the-northern")
    text = path.read_text(encoding="utf-8")
    body = text.split("\n---\n", 1)[1]
    assert "## Summary\n\n> An authorized S3 team member" in body
    assert (
        "> and a larger set of servers was removed. The press called it human error; the engineer"
        in body
    )
    # The summary in the front matter is the source's own words too: marked for the lint.
    summary = next(line for line in text.splitlines() if line.startswith("summary: "))
    assert summary.endswith("mistakenly removed too much capacity.  # blameless: ignore")
    html = kb.path("2024-02-22-at-t-911-outage-the-fcc-s-report").read_text(encoding="utf-8")
    assert "&lt;b>Ninety-two million&lt;/b>" in html  # the source's HTML is text on the page
    assert kb.check("--strict").exit_code == 0


def test_running_it_again_changes_nothing(kb: TmpProject) -> None:
    first = kb.cli("import", "frontmatter", str(ICCO), "--map", "icco-postmortems", "--add-terms")
    before = files(kb)
    taxonomy = (kb.root / "schema/taxonomy.yml").read_bytes()
    again = kb.cli("import", "frontmatter", str(ICCO), "--map", "icco-postmortems", "--add-terms")
    assert again.exit_code == 1  # the same two inputs fail again
    assert files(kb) == before
    assert (kb.root / "schema/taxonomy.yml").read_bytes() == taxonomy
    lines = lines_by_input(again.stdout)
    for name, pid in imported_ids(first.stdout).items():
        assert lines[name].startswith(f"skipped: already imported as {pid} (the same source.")
    assert "imported 0, skipped 12, failed 2" in again.stdout


def test_without_add_terms_unknown_services_fail_with_a_did_you_mean_report(
    kb: TmpProject,
) -> None:
    (kb.root / "schema/taxonomy.yml").write_text(
        (kb.root / "schema/taxonomy.yml")
        .read_text(encoding="utf-8")
        .replace(
            "services: {}\n",
            "services:\n  amazon-s3:\n    title: Amazon S3\n    description: Object storage.\n",
        ),
        encoding="utf-8",
    )
    result = kb.cli("import", "frontmatter", str(ICCO), "--map", "icco-postmortems")
    assert result.exit_code == 1
    lines = lines_by_input(result.stdout)
    assert lines["38dfc6f4-1ea0-4d1f-8fc6-e3b5a9e0ab9b.md"] == (
        "error: 's3' is not a known service; did you mean 'amazon-s3'? (map it under values: "
        "services: in the mapping, or pass --add-terms to add it)"
    )
    assert (
        "not in schema/taxonomy.yml, so left out (a service fails its input); map them under "
        "values: in a mapping file, or pass --add-terms to add them:" in result.stdout
    )
    assert "  cause 'networking' (1 input)" in result.stdout
    assert "  service 'api' (2 inputs)" in result.stdout
    assert "imported 0, skipped 0, failed 14" in result.stdout
    assert files(kb) == {}


def test_a_dry_run_writes_nothing(kb: TmpProject) -> None:
    taxonomy = (kb.root / "schema/taxonomy.yml").read_bytes()
    result = kb.cli(
        "import", "frontmatter", str(ICCO), "--map", "icco-postmortems", "--add-terms", "--dry-run"
    )
    assert result.exit_code == 1
    assert (
        "2c3d-duplicate-title-b.md: would import as 2020-03-03-elevated-error-rates-2"
        in result.stdout
    )
    assert "would add to schema/taxonomy.yml: service 'webhooks'" in result.stdout
    assert "would import 12, skipped 0, failed 2" in result.stdout
    assert files(kb) == {}
    assert (kb.root / "schema/taxonomy.yml").read_bytes() == taxonomy


def test_an_existing_file_is_never_overwritten(kb: TmpProject) -> None:
    taken = kb.write_text("2020-03-03-elevated-error-rates", "our own notes\n")
    result = kb.cli(
        "import", "frontmatter", str(ICCO / "2c3d-duplicate-title-a.md"), "--map", "icco-postmortems",
        "--add-terms",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "imported as 2020-03-03-elevated-error-rates-2" in result.stdout
    assert taken.read_text(encoding="utf-8") == "our own notes\n"


# --- a CSV export ----------------------------------------------------------------------


def test_a_csv_export_with_a_mapping(kb: TmpProject) -> None:
    result = kb.cli(
        "import", "csv", str(CSV / "incidents.csv"), "--map", str(CSV / "incident-tool.yml"),
        "--add-terms",
    )  # fmt: skip
    assert result.exit_code == 1
    lines = lines_by_input(result.stdout)
    assert list(lines) == [f"incidents.csv:{n}" for n in range(2, 8)]  # one line per row
    assert lines["incidents.csv:6"].startswith("error: no date:")
    assert lines["incidents.csv:4"] == (
        "imported as 2023-03-00-payments-billing-emails-delayed; severity 'critical' is not one "
        "of SEV1, SEV2, SEV3, SEV4: written as unknown (map it under values: severity: in the "
        "mapping)"
    )
    assert lines["incidents.csv:5"] == "imported as 2024-04-10-search-is-slow-2"  # same title
    assert kb.check("--strict").exit_code == 0
    first = front_matter(kb.path("2024-03-05-checkout-returns-500-after-a-deploy"))
    assert first["severity"] == "SEV1"
    assert first["started"] == "2024-03-05T14:02:00+01:00"
    assert first["trigger"] == "deploy"  # "Bad deploy" is a trigger, not a cause
    assert first["causes"] == []
    assert first["impact"] == {"customer_facing": True, "customers_affected": "100%"}
    assert first["roles"] == {"incident_commander": "Dana Reyes"}
    assert first["responders"] == 14
    assert first["services"] == ["checkout", "payments"]
    assert first["source"]["publisher"] == "Example Shop"  # type: ignore[index]
    slow = front_matter(kb.path("2024-04-10-search-is-slow"))
    assert (slow["started"], slow["resolved"]) == ("2024-04-10", "2024-04-10")  # no zone
    assert slow["impact"] == {"customer_facing": False}
    month = front_matter(kb.path("2023-03-00-payments-billing-emails-delayed"))
    assert month["title"] == "Payments & Billing emails delayed"
    assert month["started"] == "2023-03" and month["impact"]["customers_affected"] == 1200  # type: ignore[index]
    old = front_matter(kb.path("1987-10-19-mainframe-batch-overran-into-the-morning"))
    assert old["severity"] == "SEV4" and "url" not in old["source"]  # type: ignore[operator]
    again = kb.cli(
        "import", "csv", str(CSV / "incidents.csv"), "--map", str(CSV / "incident-tool.yml")
    )
    assert "imported 0, skipped 5, failed 1" in again.stdout


# --- Markdown and HTML from a wiki -------------------------------------------------------


def test_wiki_pages_map_their_sections_and_a_date_in_the_text(kb: TmpProject) -> None:
    kb.cli(
        "taxonomy", "add", "services", "checkout", "--title", "Checkout", "--description", "Pay."
    )
    result = kb.cli(
        "import", "markdown", str(WIKI), "--map", str(WIKI / "wiki.yml"), "--status", "review"
    )
    assert result.exit_code == 1  # the note without a date
    lines = lines_by_input(result.stdout)
    assert lines["undated-note.md"].startswith("error: no date:")
    # The page's "Date:" line says when; the HTML page has a date in its title only.
    assert lines["s3-outage-wiki.md"] == "imported as 2017-02-28-storage-outage-in-the-east-region"
    assert lines["checkout-outage.html"] == (
        "imported as 2024-03-05-checkout-outage-on-5-march-2024-what-we-learned; started: the "
        "date was found in the text; check it"
    )
    assert kb.check("--strict").exit_code == 0
    wiki = kb.path("2017-02-28-storage-outage-in-the-east-region")
    data = front_matter(wiki)
    assert data["started"] == "2017-02-28"  # a date in the text: date precision
    assert data["authors"] == ["storage team"]  # the page's "Owner:" line
    assert data["status"] == "review" and data["causes"] == []
    body = wiki.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    assert "## Contributing factors\n\n> A capacity-removal command ran" in body  # Root cause
    assert "## Timeline\n\n> - 17:37 servers removed" in body  # Resolution
    assert "## Action items\n\n> - Make the tool remove capacity slowly" in body  # Follow-up
    assert "## Impact\n\n_Not in the original write-up._" in body  # required under review
    page = kb.path("2024-03-05-checkout-outage-on-5-march-2024-what-we-learned")
    html = page.read_text(encoding="utf-8")
    assert "title: Checkout outage on 5 March 2024 & what we learned" in html
    assert "alert" not in html and "color: red" not in html  # script and style dropped
    assert "> Release 4.2 called a removed endpoint &lt;v1/charge>." in html
    assert "## Lessons learned\n\n> - Contract tests for every endpoint we call." in html


# --- mistakes in the command or the mapping: exit 2, one line ----------------------------


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ("fields:\n  titel: name\n", "fields.titel: not a field an import fills"),
        ("colour: red\n", "unknown key colour"),
        ("values:\n  summary: {a: b}\n", "values.summary: values can be mapped for"),
        ("timezone: Mars/Olympus\n", "'Mars/Olympus' is not a time zone"),
        ("fields: [", "the mapping is not valid YAML"),
    ],
)
def test_a_bad_mapping_is_a_usage_error(
    kb: TmpProject, tmp_path: Path, mapping: str, message: str
) -> None:
    path = tmp_path / "mapping.yml"
    path.write_text(mapping, encoding="utf-8")
    result = kb.cli("import", "frontmatter", str(ICCO), "--map", str(path))
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.output
    assert files(kb) == {}


def test_a_missing_mapping_or_input_is_a_usage_error(kb: TmpProject) -> None:
    missing = kb.cli("import", "frontmatter", str(ICCO), "--map", "nowhere.yml")
    assert missing.exit_code == 2
    assert (
        "nowhere.yml: no such mapping file, and no mapping of that name ships (icco-postmortems)"
        in missing.stderr
    )
    nothing = kb.cli("import", "csv", "no-such.csv")
    assert nothing.exit_code == 2 and "no-such.csv: no such file or folder" in nothing.stderr
    status = kb.cli("import", "csv", str(CSV / "incidents.csv"), "--status", "done")
    assert status.exit_code == 2 and "'done' is not a status" in status.stderr


def test_every_command_has_help_including_import() -> None:
    result = run_cli(["import", "--help"])
    assert result.exit_code == 0
    assert "frontmatter" in result.stdout and "--add-terms" in result.stdout

"""The benchmark corpus generator: valid, deterministic, realistic enough."""

from __future__ import annotations

import importlib.util
import re
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from postmortem_testkit import REPO_ROOT, run_cli


@pytest.fixture(scope="module")
def corpus() -> ModuleType:
    name = "benchmarks_corpus"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, REPO_ROOT / "benchmarks/corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generated(corpus: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    paths: list[Path] = corpus.generate(tmp_path_factory.mktemp("corpus"), 30, seed=7)
    return paths


def front_matter(path: Path) -> dict[str, object]:
    text = path.read_text(encoding="utf-8")
    loaded: dict[str, object] = yaml.safe_load(text.split("---\n")[1])
    return loaded


def test_writes_n_postmortems_into_a_complete_project(generated: list[Path]) -> None:
    root = generated[0].parent.parent
    assert len(generated) == 30
    assert sorted(generated) == sorted((root / "postmortems").glob("*.md"))
    assert (root / "schema/postmortem.schema.json").is_file()
    assert (root / "schema/taxonomy.yml").is_file()


def test_corpus_passes_strict_check(generated: list[Path]) -> None:
    root = generated[0].parent.parent
    result = run_cli(["--root", str(root), "check", "--strict"])
    assert result.stdout == "checked 30 postmortems: no problems\n"
    assert result.exit_code == 0


def test_same_seed_same_bytes(corpus: ModuleType, tmp_path: Path) -> None:
    first = corpus.generate(tmp_path / "a", 30, seed=7)
    second = corpus.generate(tmp_path / "b", 30, seed=7)
    assert [p.name for p in first] == [p.name for p in second]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(first, second, strict=True))
    taxonomy = "schema/taxonomy.yml"
    assert (tmp_path / "a" / taxonomy).read_bytes() == (tmp_path / "b" / taxonomy).read_bytes()


def test_other_seed_other_corpus(corpus: ModuleType, tmp_path: Path) -> None:
    first = corpus.generate(tmp_path / "a", 10, seed=1)
    second = corpus.generate(tmp_path / "b", 10, seed=2)
    assert [p.read_bytes() for p in first] != [p.read_bytes() for p in second]


def test_refuses_a_folder_that_already_has_postmortems(corpus: ModuleType, tmp_path: Path) -> None:
    corpus.generate(tmp_path, 2)
    with pytest.raises(FileExistsError):
        corpus.generate(tmp_path, 2)


def test_ids_are_unique_and_dated_by_utc_start(generated: list[Path]) -> None:
    ids = [p.stem for p in generated]
    assert len(set(ids)) == len(ids)
    assert all(re.match(r"^\d{4}-\d{2}-\d{2}-[a-z0-9]+(-[a-z0-9]+)*$", i) for i in ids)


def test_bodies_have_the_required_sections_and_300_to_900_words(generated: list[Path]) -> None:
    for path in generated:
        body = path.read_text(encoding="utf-8").split("---\n", 2)[2]
        for section in ("Summary", "Impact", "Timeline", "Contributing factors", "Action items"):
            assert f"## {section}\n" in body, (path.name, section)
        words = len(re.sub(r"(?m)^#+ .*$", "", body).split())
        assert 250 <= words <= 1000, (path.name, words)


def test_spread_of_values(corpus: ModuleType, tmp_path: Path) -> None:
    paths = corpus.generate(tmp_path, 200, seed=3)
    records = [front_matter(p) for p in paths]
    severities = Counter(str(r["severity"]) for r in records)
    assert set(severities) <= {"SEV1", "SEV2", "SEV3", "SEV4"}
    assert severities["SEV3"] > severities["SEV1"]
    causes = Counter(
        c if isinstance(c, str) else c["term"]  # type: ignore[index]
        for r in records
        for c in r["causes"]  # type: ignore[attr-defined]
    )
    top = causes.most_common(3)
    assert top[0][1] >= 3 * causes.most_common()[-1][1]  # skewed, not uniform
    assert all(1 <= len(r["causes"]) <= 3 for r in records)  # type: ignore[arg-type]
    assert any(r.get("related") for r in records)
    assert any("+" in str(r["started"]) or str(r["started"]).count("-") > 2 for r in records)
    years = Counter(str(r["started"])[:4] for r in records)
    assert len(years) >= 4
    services = Counter(s for r in records for s in r["services"])  # type: ignore[attr-defined]
    assert len(services) >= 15

import os
import re
import shutil
from pathlib import Path

import pytest

# A key without a text fails the tests (sctdash.core.i18n.strict): in this process, and in the
# servers and commands the tests start, which inherit the environment.
os.environ.setdefault("SCT_STRICT_TEXT", "1")

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "data"
# SYNTHETIC: a planner's yearly extracts, 2015–2023 for every district (tests/fixtures/yearly).
YEARLY = Path(__file__).resolve().parent / "fixtures" / "yearly"
YEARLY_FILES = ("sources", "indicators", "observations")
# SYNTHETIC: figures across the merger of 2025 (tests/fixtures/merger): the districts of both former
# provinces 2021–2024, the communes 2025–2026, the province every year.
MERGER = Path(__file__).resolve().parent / "fixtures" / "merger"
MERGER_FILES = ("sources", "observations")
# SYNTHETIC: results, targets, estimates 2021–2026 and a later import revising one value
# (tests/fixtures/targets): markets and a less-is-better share of late dossiers, Ba Tơ and Sơn Hà
# until 2024 and the communes that took their land after, the province every year.
TARGETS = Path(__file__).resolve().parent / "fixtures" / "targets"
TARGETS_FILES = ("sources", "indicators", "observations", "observations-revised")
REPORT = DATA / "source" / "report-nq05-2016-2020.txt"


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="session")
def report_text() -> str:
    return squash(REPORT.read_text(encoding="utf-8"))


def import_files(folder: Path, names: tuple[str, ...], data_dir: Path) -> None:
    """Import `folder`'s extracts `names` into `data_dir` as a planner would: through the
    importer's checks, one file after the other, each taken whole."""
    from sctdash.editing import importer

    for name in names:
        preview = importer.check_file(folder / f"{name}.csv", data_dir)
        assert preview.ok and not preview.nothing_to_change, preview.messages()
        preview.apply()


def bundled_copy(target: Path) -> Path:
    """A copy of the bundled extracts at `target`, without their change log."""
    shutil.copytree(DATA, target, ignore=shutil.ignore_patterns("history"))
    return target


def private_copy(source: Path, tmp_path: Path, monkeypatch, keep_history: bool = False) -> Path:
    """A copy of `source` for one test, and the app pointed at it."""
    target = tmp_path / "data"
    shutil.copytree(source, target, ignore=None if keep_history else shutil.ignore_patterns("history"))
    monkeypatch.setenv("SCT_DATA_DIR", str(target))
    monkeypatch.setenv("SCT_CACHE_DIR", str(tmp_path / "cache"))
    return target


def checked_store(data_dir: Path, tmp_path_factory):
    """The store of `data_dir`, which must load without a problem."""
    from sctdash.store.db import Store

    s = Store(data_dir, tmp_path_factory.mktemp("cache"))
    assert not s.problems, s.problems
    return s


@pytest.fixture
def data_copy(tmp_path, monkeypatch) -> Path:
    """A private copy of the bundled extracts, and the app pointed at it."""
    return private_copy(DATA, tmp_path, monkeypatch)


@pytest.fixture(scope="session")
def store(tmp_path_factory):
    return checked_store(DATA, tmp_path_factory)


def apply_yearly(data_dir: Path) -> None:
    """Import the SYNTHETIC yearly extracts into `data_dir` as a planner would."""
    import_files(YEARLY, YEARLY_FILES, data_dir)


@pytest.fixture(scope="session")
def yearly_data(tmp_path_factory) -> Path:
    """A copy of the bundled extracts with the SYNTHETIC yearly extracts imported."""
    target = bundled_copy(tmp_path_factory.mktemp("yearly") / "data")
    apply_yearly(target)
    return target


@pytest.fixture(scope="session")
def yearly_store(yearly_data, tmp_path_factory):
    return checked_store(yearly_data, tmp_path_factory)


@pytest.fixture
def yearly_copy(tmp_path, monkeypatch, yearly_data) -> Path:
    """A private copy of the yearly data, and the app pointed at it."""
    return private_copy(yearly_data, tmp_path, monkeypatch)


@pytest.fixture(scope="session")
def merger_data(tmp_path_factory) -> Path:
    """A copy of the bundled extracts with the SYNTHETIC figures across the merger imported."""
    target = bundled_copy(tmp_path_factory.mktemp("merger") / "data")
    import_files(MERGER, MERGER_FILES, target)
    return target


@pytest.fixture(scope="session")
def merger_store(merger_data, tmp_path_factory):
    return checked_store(merger_data, tmp_path_factory)


@pytest.fixture
def merger_copy(tmp_path, monkeypatch, merger_data) -> Path:
    """A private copy of the merger data, and the app pointed at it."""
    return private_copy(merger_data, tmp_path, monkeypatch)


def apply_targets(data_dir: Path, files: tuple[str, ...] = TARGETS_FILES) -> None:
    """Import the SYNTHETIC targets fixture into `data_dir` through the importer's checks, one file
    after the other: the last (observations-revised.csv) revises the 2026 estimate of the
    province's markets, so the change log holds a revision."""
    import_files(TARGETS, files, data_dir)


@pytest.fixture(scope="session")
def targets_data(tmp_path_factory) -> Path:
    """A copy of the bundled extracts with the SYNTHETIC targets fixture imported, its revision
    last; data/history holds the change log of the four imports."""
    target = bundled_copy(tmp_path_factory.mktemp("targets") / "data")
    apply_targets(target)
    return target


@pytest.fixture(scope="session")
def targets_store(targets_data, tmp_path_factory):
    return checked_store(targets_data, tmp_path_factory)


@pytest.fixture
def targets_copy(tmp_path, monkeypatch, targets_data) -> Path:
    """A private copy of the targets data with its change log, and the app pointed at it."""
    return private_copy(targets_data, tmp_path, monkeypatch, keep_history=True)


@pytest.fixture(scope="session")
def fixture_store(tmp_path_factory):
    return checked_store(FIXTURES, tmp_path_factory)


@pytest.fixture(autouse=True, scope="session")
def pages_are_st_page_scripts():
    """Under AppTest, as under sctdash.serving.serve: pages/ holds st.Page scripts (sctdash/app/site.py)."""
    from sctdash.app import site

    undo = site.pages_are_st_page_scripts()
    yield
    undo()

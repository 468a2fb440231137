"""Where the project's files live; tests and benchmarks point these elsewhere by env."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
QUERIES_DIR = ROOT / "queries"


def data_dir() -> Path:
    return Path(os.environ.get("SCT_DATA_DIR", ROOT / "data"))


def shown(path: Path) -> str:
    """A path as messages name it: from the project's folder when it is inside it
    (data/history/changelog.jsonl), else whole (/srv/sctdash/data/history/changelog.jsonl, where
    SCT_DATA_DIR points a server), so that a reader finds the file where the message says."""
    path = Path(path).resolve()
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)


def cache_dir() -> Path:
    return Path(os.environ.get("SCT_CACHE_DIR", ROOT / ".cache"))

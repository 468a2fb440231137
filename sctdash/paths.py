"""Where the project's files live; tests and benchmarks point these elsewhere by env."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES_DIR = ROOT / "queries"


def data_dir() -> Path:
    return Path(os.environ.get("SCT_DATA_DIR", ROOT / "data"))


def cache_dir() -> Path:
    return Path(os.environ.get("SCT_CACHE_DIR", ROOT / ".cache"))

"""docs/report-coverage.md, the report figure by figure, against the report and the extracts:
its words are the report's, its references name rows that exist, every number of the report
is in some row (or is a kind of number that is not a figure), and every row the extracts take
from the report is named by some row of it."""

import csv
import re

import pytest

from tests.conftest import DATA, ROOT, squash
from tests.test_data import quoted_in, vietnamese_forms

DOC = ROOT / "docs" / "report-coverage.md"
REPORT_ID = "bc-sct-2021"


def table_rows() -> list[dict]:
    rows = []
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if not re.match(r"\| \d+ \|", line):
            continue
        cells = [c.strip().replace(r"\*", "*").replace(r"\|", "|") for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        number, section, words, figure, where, remark = cells
        refs = [r.strip().strip("`") for r in where.split(";")] if not where.startswith("left out") else []
        rows.append({"n": int(number), "section": section, "words": words, "refs": refs, "where": where})
    return rows


def extract(table: str) -> list[dict]:
    with (DATA / f"{table}.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def observation(ref: str) -> dict:
    """obs:<indicator>/<category>/<year or from-to>[#variant] → the province's row."""
    m = re.fullmatch(r"obs:([a-z0-9_]+)/([a-z0-9_]+)/(\d{4})(?:-(\d{4}))?(?:#(.+))?", ref)
    assert m, f"not a reference: {ref}"
    indicator, category, y0, y1, variant = m.groups()
    key = (indicator, category, y0, y1 or y0, variant or "")
    hits = [
        r
        for r in extract("observations")
        if (r["indicator_id"], r["category"], r["year_from"], r["year_to"], r["variant"]) == key
        and r["area_code"] == "51"
    ]
    assert len(hits) == 1, f"{ref}: {len(hits)} rows"
    return hits[0]


def selected(ref: str) -> tuple[str, list[dict]]:
    """<table>[col=value,…]=<n> → the table and its matching rows (checked to be n)."""
    m = re.fullmatch(r"([a-z_]+)\[([^\]]+)\]=(\d+)", ref)
    assert m, f"not a reference: {ref}"
    table, conditions, n = m.group(1), dict(c.split("=", 1) for c in m.group(2).split(",")), int(m.group(3))
    hits = [r for r in extract(table) if all(r[k] == v for k, v in conditions.items())]
    assert len(hits) == n, f"{ref}: {len(hits)} rows, not {n}"
    return table, hits


ROWS = table_rows()


def test_the_table_is_numbered_in_order_and_in_the_reports_order(report_text):
    assert [r["n"] for r in ROWS] == list(range(1, len(ROWS) + 1))
    assert len(ROWS) >= 70
    at = [report_text.find(squash(r["words"].split(" … ")[0])) for r in ROWS]
    assert at == sorted(at), [r["n"] for r, a, b in zip(ROWS[1:], at[1:], at) if a < b]


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"row{r['n']}")
def test_each_row_gives_the_reports_words_and_real_rows(row, report_text):
    assert quoted_in(row["words"], report_text), row["words"]
    if not row["refs"]:
        assert row["where"].startswith("left out: ") and len(row["where"]) > 20, row
    numbers = set(re.findall(r"\d[\d.]*(?:,\d+)?", row["words"]))
    for ref in row["refs"]:
        if ref.startswith("obs:"):
            obs = observation(ref)
            assert obs["source_id"] == REPORT_ID, ref
            if obs["value_kind"] == "reported":
                assert vietnamese_forms(float(obs["value"])) & numbers, f"{ref}: {obs['value']} not in the words"
        else:
            selected(ref)


def references() -> dict[str, list]:
    named = {"observations": [], "electrified_communes": [], "power_projects": [], "market_facilities": []}
    named["legal_documents"] = []
    for row in ROWS:
        for ref in row["refs"]:
            if ref.startswith("obs:"):
                named["observations"].append(observation(ref))
            else:
                table, hits = selected(ref)
                named.setdefault(table, []).extend(hits)
    return named


def test_every_row_the_extracts_take_from_the_report_is_in_the_table():
    named = references()
    key = ("indicator_id", "area_code", "year_from", "year_to", "category", "variant")
    taken = {tuple(r[k] for k in key) for r in named["observations"]}
    missing = [
        tuple(r[k] for k in key)
        for r in extract("observations")
        if r["source_id"] == REPORT_ID and r["section"] != "fixture" and tuple(r[k] for k in key) not in taken
    ]
    assert not missing, missing
    for table, column in (
        ("electrified_communes", "commune_code"),
        ("power_projects", "project_id"),
        ("market_facilities", "facility_id"),
        ("legal_documents", "doc_number"),
    ):
        left = {r[column] for r in extract(table)} - {r[column] for r in named[table]}
        assert not left, (table, left)


# The kinds of number that are not figures (docs/report-coverage.md lists them in words).
NOT_FIGURES = [
    r"ngày \d+ tháng \d+ năm \d{4}",  # the report's own date
    r"\b\d{1,2}/\d{1,2}/ ?\d{4}\b",  # dates
    r"tháng \d{1,2}/\d{4}",  # months
    r"Việt Nam (?:15/3|20/4)",  # the consumer and brand days
    r"\b\d+ ?(?:/\d{4})?/[A-ZĐ][\w-]*",  # 225/QĐ-TTg, 12/2017/QĐ-UBND, 647 /QCPH-…
    r"\b\d+ ?- ?(?:NQ|KL|KH|CTr|QĐ|QCPH)\b",  # 05-NQ/TU, 125 - KH/TU, 01 - QCPH
    r"ISO \d+:\d{4}",
    r"(?:Nghị quyết|Nghị định|Chỉ thị)(?: số| TW)? \d+(?:, Nghị quyết số \d+)*",
    r"\b(?:19|20)\d{2}\b",  # years, and the ends of periods
    r"Sơn Trà 1C?|Đăkdrinh 2|Trà Khúc 1|Covid-19|bão số 9|tiêu chí số \d|mức độ \d(?:,\d)?|Chỉ số [A-Z]\d|lần thứ \d",
    r"(?:^|(?<=\s))(?:[IV]+\.|\d\.(?:\d\.)?(?:\*\*)?)(?=\s)",  # headings: I. 1. 2.1. - 1.**
    r"\ba[12]\)",
]


def test_every_number_in_the_report_is_in_a_row_or_is_not_a_figure(report_text):
    covered = [False] * len(report_text)

    def cover(start: int, end: int) -> None:
        covered[start:end] = [True] * (end - start)

    for pattern in NOT_FIGURES:
        for m in re.finditer(pattern, report_text):
            cover(m.start(), m.end())
    for row in ROWS:
        at = 0
        for part in squash(row["words"]).split(" … "):
            found = report_text.find(part, at)
            while found >= 0:  # every place the report writes these words
                cover(found, found + len(part))
                found = report_text.find(part, found + 1)
    loose = [
        report_text[max(0, m.start() - 50) : m.end() + 30]
        for m in re.finditer(r"\d+(?:[.,]\d+)*", report_text)
        if not all(covered[m.start() : m.end()])
    ]
    assert not loose, loose


def test_the_extracts_readme_links_the_table():
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    assert "](../docs/report-coverage.md)" in readme

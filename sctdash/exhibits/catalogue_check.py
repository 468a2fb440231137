"""What the catalogues must hold, checked like code: at start-up (sctdash.serving.serve refuses to
start on a problem) and in a test.

    check() -> ["charts.toml [charts.x]: unknown key 'colour'", …]   (empty when all is sound)

charts.toml and maps.toml: known keys of the right types, every word in both languages, every
query named existing in queries/, every placeholder of a title one the rows can fill, the
meeting order naming charts, maps and tile groups that exist, each once. text*.toml: every
entry a pair of non-empty strings, one per language, with the same placeholders in both.
"""

from __future__ import annotations

import string

from sctdash.core import catalogue
from sctdash.core.catalogue import CHART_KEYS, FIXED_SHAPES, LANGS, MAP_KEYS, MAP_PLACEHOLDERS, PLACEHOLDERS, TILE_KEYS
from sctdash.exhibits import phrases
from sctdash.store import db


def _words_problems(where: str, entry, required: bool = True) -> list[str]:
    if entry is None:
        return [f"{where}: missing"] if required else []
    if not isinstance(entry, dict):
        return [f"{where}: not a {{vi, en}} pair"]
    problems = [f"{where}: no {lang} words" for lang in LANGS if not str(entry.get(lang, "")).strip()]
    problems += [f"{where}: unknown language {k!r}" for k in entry if k not in LANGS]
    return problems


def _keys_problems(where: str, entry: dict, allowed: dict) -> list[str]:
    problems = [f"{where}: unknown key {k!r}" for k in entry if k not in allowed]
    problems += [
        f"{where}.{k}: should be {allowed[k].__name__}, is {type(v).__name__}"
        for k, v in entry.items()
        if k in allowed and not isinstance(v, allowed[k])
    ]
    return problems


def _template_problems(where: str, entry: dict | None, allowed: set[str]) -> list[str]:
    problems = []
    for lang, text in (entry or {}).items():
        unknown = phrases.placeholders(text) - allowed
        problems += [f"{where}.{lang}: unknown placeholder {{{name}}}" for name in sorted(unknown)]
    if entry and len({frozenset(phrases.placeholders(text)) for text in entry.values()}) > 1:
        problems.append(f"{where}: the languages name different placeholders")
    return problems


def check() -> list[str]:
    """Every problem of charts.toml, maps.toml and the text catalogues; empty when all are sound."""
    return check_charts_and_maps() + [
        p for path in catalogue.TEXT_FILES for p in check_texts(path.name, catalogue.text_file(path))
    ]


def check_texts(name: str, data: dict) -> list[str]:
    """Every entry of a text catalogue: a {vi, en} pair of non-empty strings, the same
    placeholders in both."""
    problems: list[str] = []

    def fields(text: str) -> set[str]:
        return {f for _, f, _, _ in string.Formatter().parse(text) if f}

    def walk(node, where: str) -> None:
        if not isinstance(node, dict):
            problems.append(f"{name} {where}: a bare value, not a {{vi, en}} pair")
            return
        langs = set(node) & set(LANGS)
        if not langs:
            for key, value in node.items():
                walk(value, f"{where}.{key}" if where else key)
            return
        if set(node) - set(LANGS):
            problems.append(f"{name} {where}: mixes languages with {sorted(set(node) - set(LANGS))}")
        for lang in LANGS:
            if not isinstance(node.get(lang), str) or not node[lang].strip():
                problems.append(f"{name} {where}: no {lang} words")
        if all(isinstance(node.get(lang), str) for lang in LANGS):
            try:
                if fields(node["vi"]) != fields(node["en"]):
                    problems.append(f"{name} {where}: the languages name different placeholders")
            except ValueError as exc:
                problems.append(f"{name} {where}: {exc}")

    walk(data, "")
    return problems


def check_charts_and_maps() -> list[str]:
    """Every problem of charts.toml and maps.toml."""
    cf, mf = catalogue.charts_file(), catalogue.maps_file()
    queries = set(db.query_names())
    problems = [f"charts.toml: unknown table [{k}]" for k in cf if k not in ("charts", "tiles", "pages", "meeting")]
    for cid, entry in cf.get("charts", {}).items():
        problems += _chart_problems(cid, entry, queries, set(cf.get("pages", {})))
    for page, entry in cf.get("pages", {}).items():
        problems += _keys_problems(f"charts.toml [pages.{page}]", entry, {"topics": list})
    for page, entries in cf.get("tiles", {}).items():
        problems += _tile_problems(page, entries, set(cf.get("pages", {})))
    problems += _meeting_problems(cf, set(mf.get("maps", {})))
    problems += _map_problems(mf, queries)
    return problems


def _chart_problems(cid: str, entry: dict, queries: set[str], known_pages: set[str]) -> list[str]:
    where = f"charts.toml [charts.{cid}]"
    problems = _keys_problems(where, entry, CHART_KEYS)
    problems += [f"{where}: missing {key}" for key in ("page", "query", "name", "title") if key not in entry]
    if entry.get("query") and entry["query"] not in queries:
        problems.append(f"{where}: no query named {entry['query']!r} in queries/")
    if entry.get("page") and entry["page"] not in known_pages:
        problems.append(f"{where}: page {entry['page']!r} is not in [pages]")
    if entry.get("shape") and entry["shape"] not in FIXED_SHAPES:
        problems.append(f"{where}: shape must be one of {', '.join(FIXED_SHAPES)}")
    if entry.get("bars") and entry["bars"] not in ("h", "v"):
        problems.append(f"{where}: bars must be 'h' or 'v'")
    for key in ("name", "title", "subtitle"):
        problems += _words_problems(f"{where}.{key}", entry.get(key), required=key != "subtitle")
    for key in ("title", "subtitle"):
        problems += _template_problems(f"{where}.{key}", entry.get(key), PLACEHOLDERS)
    return problems


def _tile_problems(page: str, entries: list[dict], known_pages: set[str]) -> list[str]:
    problems = [] if page in known_pages else [f"charts.toml [[tiles.{page}]]: page {page!r} is not in [pages]"]
    for i, entry in enumerate(entries):
        where = f"charts.toml [[tiles.{page}]] #{i + 1}"
        problems += _keys_problems(where, entry, TILE_KEYS)
        if "indicator" not in entry:
            problems.append(f"{where}: missing indicator")
        problems += _words_problems(f"{where}.label", entry.get("label"))
    return problems


def _meeting_problems(cf: dict, map_ids: set[str]) -> list[str]:
    meeting = cf.get("meeting", {})
    problems = _keys_problems("charts.toml [meeting]", meeting, {"order": list})
    order = meeting.get("order", [])
    for slide in order:
        kind, _, ident = slide.partition(".")
        ok = (kind == "tiles" and ident in cf.get("tiles", {})) or (kind == "map" and ident in map_ids)
        if not (ok or slide in cf.get("charts", {})):
            problems.append(f"charts.toml [meeting]: {slide!r} is no chart, map or tile group")
    twice = sorted({slide for slide in order if order.count(slide) > 1})
    problems += [f"charts.toml [meeting]: {slide!r} is named twice in the order" for slide in twice]
    return problems


def _map_problems(mf: dict, queries: set[str]) -> list[str]:
    map_ids = set(mf.get("maps", {}))
    problems = [f"maps.toml: unknown table [{k}]" for k in mf if k not in ("maps", "pages")]
    for page, ids in mf.get("pages", {}).items():
        problems += [f"maps.toml [pages] {page}: no map named {i!r}" for i in ids if i not in map_ids]
    for map_id, entry in mf.get("maps", {}).items():
        where = f"maps.toml [maps.{map_id}]"
        problems += _keys_problems(where, entry, MAP_KEYS)
        if entry.get("query") not in queries:
            problems.append(f"{where}: no query named {entry.get('query')!r} in queries/")
        for key in ("short", "value_label", "title", "subtitle", "note"):
            problems += _words_problems(f"{where}.{key}", entry.get(key))
        for key in ("title", "note"):
            problems += _template_problems(f"{where}.{key}", entry.get(key), MAP_PLACEHOLDERS)
    return problems

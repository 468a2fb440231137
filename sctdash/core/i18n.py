"""The text catalogue: every label, title and message, keyed by id, in Vietnamese and English.

Text lives in sctdash/core/catalogues/text*.toml (one table per key, a string per language), read by
sctdash.core.catalogue; code asks for a key and a language, never branches on the language itself.
"""

from __future__ import annotations

import logging
import os
from functools import cache

from sctdash.core import catalogue
from sctdash.core.catalogue import LANGS

DEFAULT_LANG = "vi"
# "1": a key without a text raises KeyError; "0": it is logged and shown as the key. Unset: it
# raises under pytest (which sets PYTEST_CURRENT_TEST), and is logged everywhere else.
STRICT_ENV = "SCT_STRICT_TEXT"
__all__ = ["LANGS", "STRICT_ENV", "catalogue", "t", "has", "label", "problem_message", "describe_rule", "strict"]
log = logging.getLogger(__name__)


def t(key: str, lang: str = DEFAULT_LANG, **kwargs) -> str:
    """The text of `key` in `lang`, formatted with kwargs. A key with no text is a mistake in
    the code or the catalogues: in development and tests it raises KeyError (see strict); on a
    running dashboard it is logged and the key itself is shown, so the page still shows
    something."""
    entry = catalogue.texts().get(key)
    if entry is None:
        if strict():
            raise KeyError(f"no text {key!r} in sctdash/core/catalogues/text*.toml")
        _log_missing(key)
        return key
    text = entry.get(lang) or entry[DEFAULT_LANG]
    return text.format(**kwargs) if kwargs else text


def strict() -> bool:
    """Whether a key without a text raises: SCT_STRICT_TEXT=1 (a developer's `make run`), or
    under pytest unless SCT_STRICT_TEXT=0."""
    value = os.environ.get(STRICT_ENV, "")
    if value:
        return value != "0"
    return "PYTEST_CURRENT_TEST" in os.environ


@cache
def _log_missing(key: str) -> None:
    """Once per key and process: a page asks for its words at every run."""
    log.warning("no text %r in sctdash/core/catalogues/text*.toml: the key is shown instead", key)


def has(key: str) -> bool:
    return key in catalogue.texts()


def label(group: str, code: str, lang: str) -> str:
    """The label of a code (a category, unit, kind, status...) in a group; the code if none."""
    key = f"{group}.{code}"
    return t(key, lang) if has(key) else code


def problem_message(problem, lang: str) -> str:
    where = [t("problem.where_file", lang, file=problem.file)]
    if problem.line is not None:
        where.append(t("problem.where_line", lang, line=problem.line))
    if problem.column:
        where.append(t("problem.where_column", lang, column=problem.column))
    args = dict(problem.args)
    if "type" in args:
        args["type"] = label("dtype", args["type"], lang)
    if "ref_table" in args:
        args["ref_file"] = f"{args['ref_table']}.csv"
    if "rule" in args:
        args["rule"] = describe_rule(args["rule"], lang)
    if "units" in args:
        args["units"] = units_in_words(args["units"], lang)
    body = t(f"problem.{problem.code}", lang, value=problem.value, **args)
    if args.get("suggestion"):
        body += " " + t("problem.suggestion", lang, suggestion=args["suggestion"])
    return ", ".join(where) + ": " + body


def unit_name(kind: str, name: str, start=None, end=None, lang: str = DEFAULT_LANG) -> str:
    """“huyện Ba Tơ (đến 30/06/2025)”, “xã Ba Tơ (từ 01/07/2025)”: a unit as it was called, with
    the days it began or ended where it did within the years a dashboard covers."""
    from sctdash.core import fmt

    when = []
    if start is not None:
        when.append(t("area.from", lang, date=fmt.date(start)))
    if end is not None:
        when.append(t("area.until", lang, date=fmt.date(end)))
    named = t(f"unit_named.{kind}", lang, name=name) if has(f"unit_named.{kind}") else name
    return named + (f" ({', '.join(when)})" if when else "")


def units_in_words(units, lang: str) -> str:
    """The units a code stood for, joined: “huyện Ba Tơ (đến 30/06/2025)”."""
    return t("area.or", lang).join(unit_name(kind, name, start, end, lang) for kind, name, start, end in units)


def describe_rule(expr: str, lang: str) -> str:
    """A CHECK expression in words where its shape is a common one, else as written."""
    import re

    m = re.fullmatch(r"\(+\"?(\w+)\"? IN \((.*)\)\)+", expr)
    if m:
        allowed = ", ".join(v.strip().strip("'") for v in m.group(2).split(","))
        return t("rule.one_of", lang, allowed=allowed)
    m = re.fullmatch(r"\(+\"?(\w+)\"? BETWEEN (\S+) AND (\S+?)\)+", expr)
    if m:
        return t("rule.between", lang, low=m.group(2), high=m.group(3))
    # col = CASE other WHEN 'a' THEN 'x' … ELSE col END: the value col must have for each other
    m = re.fullmatch(r"\(*(\w+) = CASE\s+(.*) ELSE \1 END\)*", expr)
    pairs = re.findall(r"WHEN \(+(\w+) = '([^']*)'\)+ THEN \(*'([^']*)'\)*", m.group(2)) if m else []
    if pairs:
        cases = [t("rule.when", lang, value=value, column=col, case=key) for col, key, value in pairs]
        return t("rule.depends", lang, cases="; ".join(cases))
    return t("rule.expression", lang, expr=expr)

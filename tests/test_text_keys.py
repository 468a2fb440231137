"""Every text key the code names is in the text catalogues, in Vietnamese and English. Read
with ast over sctdash/, pages/ and dashboard.py: the keys given to t() (literals, either branch
of a condition, names bound to literals, loops over a tuple or a module's constant, a dict's
values, a function's parameter through what its callers pass, f-strings over such sets, as
f"column.{key}" for the columns every full list names), the codes of problem.<code> and
changelog.break.<code> from what their constructors are given, and the groups of label(). A
key built from something the reader cannot follow is in KNOWN with the set it takes (the
pages, the extracts, the kinds of export and place) or the test that covers it; a new one
fails here until it is resolved or named."""

from __future__ import annotations

import ast
import importlib
import itertools
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from sctdash.app import site
from sctdash.core import catalogue, styles
from sctdash.core.i18n import LANGS
from sctdash.exhibits import places
from sctdash.store import db
from tests.conftest import ROOT

SOURCES = [*sorted((ROOT / "sctdash").rglob("*.py")), *sorted((ROOT / "pages").glob("*.py")), ROOT / "dashboard.py"]
KEY_FUNCTIONS = ("t",)  # its first argument is a text key (has() only asks whether there is one)
GROUP_FUNCTIONS = ("label",)  # their first argument is a group of keys (label("unit", code) → unit.<code>)

EXPORTS = ("png", "svg", "csv", "xlsx")  # sctdash.app.export_ui's buttons under a chart or map
# Keys the code builds from something this reader cannot follow, and the set each is known to
# take (None: from the data, checked by the test named). A new one fails
# test_every_key_the_code_builds_is_known until it is added here.
KNOWN = {
    ("sctdash/exhibits/phrases.py", "f'status_after.{status}'"): (
        {"status_after.preliminary", "status_after.estimate"},
        "a figure's status other than official",
    ),
    ("sctdash/exhibits/builder.py", "f'standing.{standing}'"): (
        {f"standing.{k}" for k in ("exceeded", "met", "missed")},
        "a result against its target",
    ),
    ("sctdash/exhibits/target_table.py", "f'standing.{stood[0]}'"): (
        {f"standing.{k}" for k in ("exceeded", "met", "missed")},
        "the table of plans and results",
    ),
    ("sctdash/app/ui.py", "f'targets.order_{o}'"): (
        {f"targets.order_{o}" for o in ("indicator", "standing", "latest")},
        "the orders of the plans and results",
    ),
    ("sctdash/exhibits/tiles.py", "f'standing.{standing}'"): (
        {f"standing.{k}" for k in ("exceeded", "met", "missed")},
        "a tile's result against its target",
    ),
    ("sctdash/app/site.py", "f'page.{self.name}'"): ({f"page.{p.name}" for p in site.PAGES}, "every page"),
    ("sctdash/app/meeting.py", "f'page.{ident}'"): ({f"page.{p}" for p in catalogue.pages()}, "a tile group's page"),
    ("sctdash/app/meeting.py", "f'page.{ui.page_of(slide)}'"): ({f"page.{p}" for p in catalogue.pages()}, "a screen's"),
    ("sctdash/app/meeting.py", "f'page.{catalogue.chart(slide).page}'"): (
        {f"page.{p}" for p in catalogue.pages()},
        "a chart's page",
    ),
    ("sctdash/exports/deck.py", "f'page.{pages[0]}'"): ({f"page.{p}" for p in catalogue.pages()}, "a deck's page"),
    ("sctdash/exports/deck.py", "f'page.{page}'"): ({f"page.{p}" for p in catalogue.pages()}, "a deck's pages"),
    ("sctdash/exports/deck.py", "f'page_intro.{page}'"): ({f"page_intro.{p}" for p in catalogue.pages()}, "the same"),
    ("sctdash/editing/templates.py", "f'extract.{table}'"): ({f"extract.{x}" for x in db.TABLES}, "every extract"),
    ("sctdash/app/export_ui.py", "f'export.{kind}'"): ({f"export.{k}" for k in EXPORTS}, "the buttons under a chart"),
    ("sctdash/app/export_ui.py", "f'export.{kind}_help'"): ({f"export.{k}_help" for k in EXPORTS}, "their help"),
    ("sctdash/exhibits/places.py", "f'places.{kind}_heading'"): (
        {f"places.{k}_heading" for k in places.ALL_KINDS},
        "every kind of named place",
    ),
    ("sctdash/exhibits/places.py", "f'places.{kind}_none'"): ({f"places.{k}_none" for k in places.ALL_KINDS}, "same"),
    ("sctdash/exhibits/places.py", "f'places.{kind}_unplaced'"): (
        {f"places.{k}_unplaced" for k in places.ALL_KINDS if k != "commune"},  # the report places every commune
        "every kind a source may leave unplaced",
    ),
    ("sctdash/app/changelog_ui.py", "f\"changelog.kind.{row['change']}\""): (
        {f"changelog.kind.{k}" for k in ("added", "changed", "removed", "problem")},
        "a row added, changed or removed, or a problem",
    ),
    ("sctdash/exhibits/chart_words.py", "kind.legend_line if ex.shape == 'line' else kind.legend"): (
        {key for k in styles.KINDS.values() for key in (k.legend, k.legend_line) if key},
        "the footnote that explains a kind of value's look (sctdash.core.styles)",
    ),
    ("sctdash/exhibits/territory.py", "f'area.{link}'"): (
        {f"area.{link}" for link in ("now_part_of", "came_from")},
        "how a unit stands for a chosen code through the change of 2025 (territory.LINKED)",
    ),
    ("sctdash/editing/templates.py", "key"): (
        {"template.list_areas_upto_2024", "template.list_areas_in_2025", "template.list_areas_from_2026"},
        "the headings of an observation's area lists by year (templates.LIST_TITLES), which both() writes",
    ),
    ("sctdash/exhibits/phrases.py", "suffix"): (
        {k.suffix for k in styles.KINDS.values() if k.suffix},
        "the words after a figure of a kind of value, “39 (suy ra)”",
    ),
}
# Keys made of a prefix and a code given to a constructor: problem.<code> for every code a
# Problem is made with, changelog.break.<code> for every Break of the change log.
CODED = {
    "problem": [("Problem", 4, "code"), ("whole", 1, "code")],
    "changelog.break": [("Break", 0, "code")],
}
# A code read back from the change log: one of the codes above when it was logged.
CODED_FROM_LOG = {("sctdash/app/changelog_ui.py", "p.get('code')")}
# Keys t() gets from those codes: resolved through CODED, not here.
CODED_USES = {
    ("sctdash/core/i18n.py", "f'problem.{problem.code}'"),
    ("sctdash/editing/changelog.py", "f'changelog.break.{found.code}'"),
}


@dataclass(frozen=True)
class Use:
    where: str  # path:line
    function: str
    keys: frozenset[str] | None  # None: not resolved from the code
    written: str  # the argument as written


def module_name(path: Path) -> str | None:
    relative = path.relative_to(ROOT).with_suffix("")
    return ".".join(relative.parts).removesuffix(".__init__") if relative.parts[0] == "sctdash" else None


class Source:
    """One file: its tree with each node's parent, its imports and (for a module of the package)
    its constants, to resolve names the keys are built from."""

    def __init__(self, path: Path, root: Path = ROOT):
        self.path = path
        self.rel = str(path.relative_to(root))
        self.tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(self.tree):
            for child in ast.iter_child_nodes(node):
                setattr(child, "parent", node)  # noqa: B010 - an attribute ast nodes do not declare
        self.namespace: dict = {}
        for node in self.tree.body:
            if isinstance(node, ast.Import | ast.ImportFrom) and not getattr(node, "level", 0):
                exec(compile(ast.Module([node], []), self.rel, "exec"), self.namespace)  # noqa: S102 - our imports
        name = module_name(path) if root == ROOT else None
        if name and not name.endswith("__main__"):  # a __main__ runs when imported
            self.namespace.update(vars(importlib.import_module(name)))


def strings(value) -> set[str] | None:
    """A string, or the strings of a tuple, list, set or dict's keys; None for anything else."""
    if isinstance(value, str):
        return {value}
    if isinstance(value, tuple | list | set | frozenset | dict) and all(isinstance(v, str) for v in value):
        return set(value)
    return None


def enclosing_loops(node):
    """The for loops and comprehensions around a node, nearest first, inside its function."""
    while not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.Module):
        parent = node.parent
        if isinstance(parent, ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp):
            yield from reversed(parent.generators)
        elif isinstance(parent, ast.For) and node is not parent.iter and node is not parent.target:
            yield parent
        node = parent


def scope_of(node):
    while not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.Module):
        node = node.parent
    return node


def bound(name: str, scope) -> list[tuple[str, ast.AST]]:
    """How `name` gets its values in a scope: ("value", expr) for an assignment, ("items", expr)
    for the items `+=` adds, ("item", expr) for an append, ("iter", expr) for the iterable a for
    loop or comprehension takes it from (alone, as the second name of enumerate, or a zip's)."""
    found: list[tuple[str, ast.AST]] = []
    for node in ast.walk(scope):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            found.append(("value", node.value))
        elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name) and node.target.id == name:
            found.append(("items", node.value))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "append"
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == name
        ):
            found.append(("item", node.args[0]))
        elif isinstance(node, ast.For | ast.comprehension):
            found += _loop_bound(name, node.target, node.iter)
    return found


def _loop_bound(name: str, target, iterable) -> list[tuple[str, ast.AST]]:
    if isinstance(target, ast.Name):
        return [("iter", iterable)] if target.id == name else []
    if not isinstance(target, ast.Tuple):
        return []
    position = next((i for i, e in enumerate(target.elts) if isinstance(e, ast.Name) and e.id == name), None)
    if position is None:
        return []
    if isinstance(iterable, ast.Tuple | ast.List) and all(
        isinstance(e, ast.Tuple) and len(e.elts) == len(target.elts) for e in iterable.elts
    ):  # for key, part in (("a", …), ("b", …))
        return [("item", e.elts[position]) for e in iterable.elts]
    if not isinstance(iterable, ast.Call):
        return []
    function = called(iterable)
    if function == "enumerate" and position == 1:
        return [("iter", iterable.args[0])]
    if function == "zip" and position < len(iterable.args):
        return [("iter", iterable.args[position])]
    return [("unknown", iterable)]


class Resolver:
    """Every string an expression can be, from the code alone; None when it comes from
    elsewhere (data, a file, an argument the code does not write)."""

    def __init__(self, sources: list[Source]):
        self.sources = sources
        self.source_of = {id(node): src for src in sources for node in ast.walk(src.tree)}
        self.calls: dict[str, list[ast.Call]] = {}  # every call, by the name of what it calls
        for src in sources:
            for node in ast.walk(src.tree):
                if isinstance(node, ast.Call) and called(node):
                    self.calls.setdefault(called(node), []).append(node)

    def values(self, node, depth: int = 0) -> set[str] | None:
        src = self.source_of[id(node)]
        if depth > 8:
            return None
        if isinstance(node, ast.Constant):
            return {node.value} if isinstance(node.value, str) else None
        if isinstance(node, ast.IfExp):
            return union([self.values(node.body, depth + 1), self.values(node.orelse, depth + 1)])
        if isinstance(node, ast.JoinedStr):
            return self.joined(node, depth)
        if isinstance(node, ast.Name):
            return union([self.defined(kind, expr, depth) for kind, expr in self.definitions(node)])
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):  # status[tbl]: the dict's values
            comps = [e for k, e in self.definitions(node.value) if k == "value" and isinstance(e, ast.DictComp)]
            return union([self.values(c.value, depth + 1) for c in comps]) if comps else None
        if isinstance(node, ast.Call) and called(node) == "get" and isinstance(node.func.value, ast.Dict):
            return union([self.values(v, depth + 1) for v in [*node.func.value.values, *node.args[1:2]]])
        return evaluated(node, src)

    def items(self, node, depth: int) -> set[str] | None:
        """The strings a for loop or comprehension takes from `node`."""
        src = self.source_of[id(node)]
        if depth > 8:
            return None
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            return union([self.values(e, depth + 1) for e in node.elts])
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return union([self.items(node.left, depth + 1), self.items(node.right, depth + 1)])
        if isinstance(node, ast.Name) and not evaluated(node, src):
            parts = []
            for kind, expr in self.definitions(node):
                if kind in ("value", "items"):
                    parts.append(self.items(expr, depth + 1))
                elif kind == "item":
                    parts.append(self.values(expr, depth + 1))
                else:
                    return None
            return union(parts)
        if isinstance(node, ast.Call) and called(node) in ("keys", "values") and not node.args:
            return self.dict_part(node.func.value, called(node), depth)
        return evaluated(node, src)

    def dict_part(self, node, part: str, depth: int) -> set[str] | None:
        """The keys or values of the dicts a name is given (`columns.values()`)."""
        dicts = [node] if isinstance(node, ast.Dict) else []
        if isinstance(node, ast.Name):
            defs = self.definitions(node)
            if any(kind != "value" or not isinstance(e, ast.Dict) for kind, e in defs):
                return None
            dicts = [e for _, e in defs]
        if not dicts:
            return None
        return union([self.values(x, depth + 1) for d in dicts for x in (d.keys if part == "keys" else d.values)])

    def defined(self, kind: str, expr, depth: int) -> set[str] | None:
        if kind == "value":
            return self.values(expr, depth + 1)
        if kind == "iter":
            return self.items(expr, depth + 1)
        if kind == "item":
            return self.values(expr, depth + 1)
        if kind == "constant":
            return evaluated(expr, self.source_of[id(expr)])
        return None

    def definitions(self, node: ast.Name) -> list[tuple[str, ast.AST]]:
        """How a name gets its values: in its function, or from the arguments its callers give
        it when it is a parameter; a module's constant or import counts as a value of itself."""
        for loop in enclosing_loops(node):  # the nearest comprehension or for loop that binds it
            found = _loop_bound(node.id, loop.target, loop.iter)
            if found:
                return found
        scope = scope_of(node)
        found = [(k, e) for k, e in bound(node.id, scope) if k != "iter"]  # loops elsewhere bind another
        if found:
            return found
        if isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef):
            params = [a.arg for a in scope.args.posonlyargs + scope.args.args]
            if node.id in params:
                return [("value", arg) for arg in self.arguments(scope.name, params.index(node.id), node.id)]
        if evaluated(node, self.source_of[id(node)]) is not None:
            return [("constant", node)]
        module = scope
        while not isinstance(module, ast.Module):
            module = module.parent
        return [(k, e) for k, e in bound(node.id, module) if k == "value" and scope_of(e) is module]

    def arguments(self, function: str, index: int, param: str) -> list[ast.AST]:
        """What every call of the function, anywhere, passes as the parameter."""
        found = []
        for call in self.calls.get(function, []):
            arg = next((k.value for k in call.keywords if k.arg == param), None)
            if arg is None and index < len(call.args):
                arg = call.args[index]
            if arg is not None:
                found.append(arg)
        return found

    def joined(self, node: ast.JoinedStr, depth: int) -> set[str] | None:
        parts = []
        for value in node.values:
            got = {str(value.value)} if isinstance(value, ast.Constant) else self.values(value.value, depth + 1)
            if got is None:
                return None
            parts.append(got)
        return {"".join(p) for p in itertools.product(*parts)}


def union(parts: list[set[str] | None]) -> set[str] | None:
    """Every string of every part; None when any part is not known, or there is none."""
    if not parts or any(p is None for p in parts):
        return None
    return set().union(*parts)


def evaluated(node, src: Source) -> set[str] | None:
    """A module's constant, or an attribute of one it imports (db.TABLES, places.ALL_KINDS)."""
    if not isinstance(node, ast.Name | ast.Attribute | ast.Subscript | ast.BinOp):
        return None
    try:
        return strings(eval(compile(ast.Expression(node), src.rel, "eval"), src.namespace))  # noqa: S307
    except Exception:  # noqa: BLE001 - not a constant: not resolved
        return None


def called(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def guarded(call: ast.Call) -> bool:
    """Whether the call only runs when has() says the key exists: `t(k) if has(k) else …`, or
    under `if has(k):`."""
    node = call
    while not isinstance(node, ast.Module):
        parent = node.parent
        if isinstance(parent, ast.IfExp | ast.If) and node is not parent.test:
            if any(isinstance(c, ast.Call) and called(c) == "has" for c in ast.walk(parent.test)):
                return True
        node = parent
    return False


@cache
def reader() -> Resolver:
    return Resolver([Source(p) for p in SOURCES])


@cache
def uses() -> list[Use]:
    resolver = reader()
    found = []
    for src in resolver.sources:
        for call in ast.walk(src.tree):
            function = called(call) if isinstance(call, ast.Call) else None
            if function not in KEY_FUNCTIONS + GROUP_FUNCTIONS or not call.args:
                continue
            if function == "t" and guarded(call):
                continue
            arg = call.args[0]
            if isinstance(arg, ast.IfExp) and any(
                called(c) == "has" for c in ast.walk(arg.test) if isinstance(c, ast.Call)
            ):
                arg = arg.orelse  # t(key if has(key) else "fallback"): the fallback must be there
            keys = resolver.values(arg)
            written = ast.unparse(arg)
            found.append(Use(f"{src.rel}:{call.lineno}", function, frozenset(keys) if keys else None, written))
    return found


@cache
def coded(prefix: str) -> set[str]:
    """Every code the code gives a constructor of CODED[prefix], resolved like a key; a code it
    cannot follow fails."""
    resolver = reader()
    codes: set[str] = set()
    for function, index, param in CODED[prefix]:
        for arg in resolver.arguments(function, index, param):
            if (resolver.source_of[id(arg)].rel, ast.unparse(arg)) in CODED_FROM_LOG:
                continue
            got = resolver.values(arg)
            assert got, f"{prefix}: a code not written in the code: {ast.unparse(arg)}"
            codes |= got
    return codes


def has_both(key: str) -> bool:
    entry = catalogue.texts().get(key) or {}
    return all(str(entry.get(lang, "")).strip() for lang in LANGS)


def test_every_key_the_code_names_has_both_languages():
    keys = [(u.where, key) for u in uses() if u.function in KEY_FUNCTIONS and u.keys for key in u.keys]
    assert len(keys) > 250  # t("…") is called with a literal some 270 times
    missing = sorted(f"{where}: {key}" for where, key in keys if not has_both(key))
    assert not missing, "\n".join(missing)


def test_every_label_group_the_code_names_has_words():
    groups = {key for u in uses() if u.function in GROUP_FUNCTIONS and u.keys for key in u.keys}
    assert {"unit", "category", "kind"} <= groups
    words = catalogue.texts()
    empty = sorted(g for g in groups if not any(k.startswith(f"{g}.") and has_both(k) for k in words))
    assert not empty, empty


def test_every_key_the_code_builds_is_known():
    """Each key the reader cannot follow is in KNOWN, and each of the set it takes has both
    languages; KNOWN names nothing the code no longer builds."""
    unresolved = {(u.where.rsplit(":", 1)[0], u.written) for u in uses() if u.function in KEY_FUNCTIONS and not u.keys}
    assert unresolved - CODED_USES <= set(KNOWN), sorted(unresolved - CODED_USES - set(KNOWN))
    assert set(KNOWN) | CODED_USES <= unresolved, sorted(set(KNOWN) | CODED_USES - unresolved)
    missing = sorted(key for keys, _ in KNOWN.values() for key in keys or () if not has_both(key))
    assert not missing, missing


@pytest.mark.parametrize("prefix", list(CODED))
def test_every_code_the_code_makes_has_its_words(prefix):
    """problem.<code> for every Problem the importer, the loader and the history make, and
    changelog.break.<code> for every Break of the change log's check."""
    codes = coded(prefix)
    assert len(codes) >= (20 if prefix == "problem" else 8), codes
    missing = sorted(code for code in codes if not has_both(f"{prefix}.{code}"))
    assert not missing, missing


def test_the_reader_follows_each_way_a_key_is_written(tmp_path):
    """Literals, conditions, names, loops over a tuple and over a module's constant, a dict
    comprehension's values, callers' arguments; has() guards; and a key it cannot follow."""
    source = tmp_path / "m.py"
    source.write_text(
        "from sctdash.store import db\n"
        "NAMES = ('a', 'b')\n"
        "def f(lang, ok):\n"
        "    t('k.lit', lang)\n"
        "    t('k.yes' if ok else 'k.no', lang)\n"
        "    key = 'k.named'\n"
        "    t(key, lang)\n"
        "    [t(f'col.{n}', lang) for n in ('x', 'y')]\n"
        "    [t(f'name.{n}', lang) for n in NAMES]\n"
        "    [t(f'extract.{tbl}', lang) for tbl in db.TABLES[:2]]\n"
        "    status = {tbl: 'ok' if ok else 'bad' for tbl in db.TABLES}\n"
        "    t(f'data.{status[1]}', lang)\n"
        "    t(unknown, lang) if has(unknown) else None\n"
        "    t(f'problem.{p.code}', lang)\n"
        "def g(lang, label_key):\n"
        "    return t(label_key, lang)\n"
        "g('vi', 'k.from_caller')\n",
        encoding="utf-8",
    )
    src = Source(source, tmp_path)
    resolver = Resolver([src])
    got = {}
    for call in ast.walk(src.tree):
        if isinstance(call, ast.Call) and called(call) == "t" and not guarded(call):
            keys = resolver.values(call.args[0])
            got[ast.unparse(call.args[0])] = sorted(keys) if keys else None
    assert got == {
        "'k.lit'": ["k.lit"],
        "'k.yes' if ok else 'k.no'": ["k.no", "k.yes"],
        "key": ["k.named"],
        "f'col.{n}'": ["col.x", "col.y"],
        "f'name.{n}'": ["name.a", "name.b"],
        "f'extract.{tbl}'": ["extract.areas", "extract.sources"],
        "f'data.{status[1]}'": ["data.bad", "data.ok"],
        "f'problem.{p.code}'": None,
        "label_key": ["k.from_caller"],
    }


def every_key() -> set[str]:
    """The keys gathered: resolved from the code, the sets of KNOWN, and the coded ones."""
    keys = {key for u in uses() if u.function in KEY_FUNCTIONS and u.keys for key in u.keys}
    keys |= {key for known, _ in KNOWN.values() for key in known or ()}
    return keys | {f"{prefix}.{code}" for prefix in CODED for code in coded(prefix)}


@pytest.mark.parametrize(
    "key",
    [
        "page.overview",  # every page (site.Page.title)
        "column.capacity",  # a column of a full list (places.table_frame's callers)
        "export.png_help",  # a button's help
        "places.facility_none",  # a kind of place
        "data.status_fallback",  # a dict's values (pages/data.py)
        "template.list_above",  # a dict's .get() default (templates._rule_words)
        "template.step_areas",  # a list appended to (templates._write_guide)
        "tile.external",  # a loop over pairs (tiles)
        "problem.busy",  # a problem's code
        "changelog.break.head_behind",  # a change log break's code
    ],
)
def test_the_keys_gathered_include_each_kind(key):
    assert key in every_key()

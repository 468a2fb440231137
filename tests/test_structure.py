"""The shape of the code: no import cycle inside sctdash/, counting imports made inside
functions too (a lazy import is still a dependency)."""

import ast
import importlib

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "sctdash"


def module_name(path) -> str:
    """sctdash/app/ui.py → ui; sctdash/editing/importer/reading.py → importer.reading; sctdash/editing/importer/__init__.py → importer."""
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_only(tree) -> set[int]:
    """The ids of import nodes under `if TYPE_CHECKING:`: annotations, not dependencies."""
    skipped = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            skipped |= {id(inner) for stmt in node.body for inner in ast.walk(stmt)}
    return skipped


def imports_of(path) -> set[str]:
    """The sctdash modules a module imports, at the top or inside a function, by dotted name
    under sctdash (`from sctdash.editing.importer import cli` names importer.cli and importer)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _type_checking_only(tree)
    found = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and (node.module + ".").startswith("sctdash."):
            base = node.module.removeprefix("sctdash").lstrip(".")
            found |= {f"{base}.{alias.name}".lstrip(".") for alias in node.names}
            if base:
                found.add(base)
        elif isinstance(node, ast.Import):
            found |= {alias.name.removeprefix("sctdash.") for alias in node.names if alias.name.startswith("sctdash.")}
    return found


def graph() -> dict[str, set[str]]:
    """Each module's imports of the package's modules. A package's own modules importing one
    another through it do not depend on its __init__ (Python runs it first either way)."""
    files = [p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts]
    modules = {module_name(p) for p in files}
    out = {}
    for path in files:
        name = module_name(path)
        deps = imports_of(path) & modules
        out[name] = {d for d in deps if d != name and not name.startswith(d + ".")}
    return out


def find_cycle(g: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(g.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(g):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_no_import_cycle_inside_the_package():
    cycle = find_cycle(graph())
    assert cycle is None, " → ".join(cycle)


def test_the_graph_sees_a_subpackage_and_leaves_out_type_checking_imports():
    g = graph()
    importer = "editing.importer"
    assert {f"{importer}.checking", f"{importer}.preview"} <= g[importer]  # the package's __init__
    assert f"{importer}.preview" in g[f"{importer}.checking"]
    assert f"{importer}.history" in g[f"{importer}.preview"]  # Preview.apply writes through history
    assert f"{importer}.preview" not in g[f"{importer}.history"]  # its annotation only (TYPE_CHECKING)
    assert importer in g["app.import_ui"]


# The layers from the top (as in sctdash/__init__.py and pyproject.toml's import-linter
# contract); a set is a layer of folders side by side that do not import each other.
LAYERS = [{"serving"}, {"app"}, {"exports"}, {"drawing"}, {"exhibits", "editing"}, {"store"}, {"core"}]


def layer_of(module: str) -> int:
    folder = module.split(".")[0]
    return next(i for i, names in enumerate(LAYERS) if folder in names)


def upward_imports(g: dict[str, set[str]]) -> list[str]:
    """Every import of a module from a layer above its own, or from a folder beside it."""
    found = []
    for module, deps in sorted(g.items()):
        if not module:
            continue
        for dep in sorted(deps):
            if dep and (
                layer_of(dep) < layer_of(module)
                or (layer_of(dep) == layer_of(module) and dep.split(".")[0] != module.split(".")[0])
            ):
                found.append(f"{module} → {dep}")
    return found


def test_every_module_sits_in_a_layer_and_imports_nothing_above_it():
    g = graph()
    assert all(m == "" or m.split(".")[0] in set().union(*LAYERS) for m in g), sorted(g)
    assert upward_imports(g) == []


def test_the_layer_check_catches_an_upward_import_and_one_across():
    assert upward_imports({"store.db": {"core.paths", "app.ui"}, "app.ui": set()}) == ["store.db → app.ui"]
    assert upward_imports({"exhibits.words": {"editing.changelog"}}) == ["exhibits.words → editing.changelog"]
    assert upward_imports({"app.ui": {"exhibits.pipeline", "core.fmt"}}) == []


def test_ls_sctdash_shows_the_layers_and_the_package_names_them():
    """A newcomer reads the architecture from `ls sctdash/`: one folder a layer, nothing else,
    each folder saying what it holds, and the package's docstring listing them in order."""
    import sctdash

    entries = {p.name for p in PACKAGE.iterdir() if p.name != "__pycache__"}
    assert entries == {"__init__.py"} | set().union(*LAYERS)
    doc = sctdash.__doc__
    listed = [line.split("/")[0].strip() for line in doc.splitlines() if line.startswith("    ") and "/" in line]
    assert listed == ["serving", "app", "exports", "drawing", "exhibits", "editing", "store", "core"]
    for folder in set().union(*LAYERS):
        assert (importlib.import_module(f"sctdash.{folder}").__doc__ or "").strip(), folder
    assert "Streamlit" in importlib.import_module("sctdash.app").__doc__


def imports_streamlit(path) -> bool:
    """Whether a module imports Streamlit (import streamlit, from streamlit… import), at the top
    or inside a function."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import) and any(a.name.split(".")[0] == "streamlit" for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "streamlit" and not node.level:
            return True
    return False


def test_only_the_app_and_serving_layers_import_streamlit():
    found = {module_name(p) for p in PACKAGE.rglob("*.py") if imports_streamlit(p)}
    assert found, "no module imports Streamlit: the check sees nothing"
    assert {m.split(".")[0] for m in found} <= {"app", "serving"}, sorted(found)


def test_the_streamlit_check_sees_every_form_of_import(tmp_path):
    forms = ["import streamlit as st", "from streamlit.testing.v1 import AppTest", "def f():\n    import streamlit.web"]
    for i, source in enumerate(forms):
        (tmp_path / f"m{i}.py").write_text(source + "\n", encoding="utf-8")
        assert imports_streamlit(tmp_path / f"m{i}.py"), source
    (tmp_path / "plain.py").write_text("import streamlined\nfrom .streamlit import x\n# import streamlit\n")
    assert not imports_streamlit(tmp_path / "plain.py")


def test_the_cycle_finder_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_one_page_list_names_every_page_script_and_its_words():
    from sctdash.app import site
    from sctdash.core import catalogue, i18n

    scripts = {entry.script for entry in site.PAGES}
    assert scripts == {f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py")}
    assert set(catalogue.pages()) <= {entry.name for entry in site.MENU}  # charts only on menu pages
    words = i18n.catalogue.texts()
    for entry in site.PAGES:  # its title in both languages (t() would fall back to Vietnamese)
        assert all(words.get(f"page.{entry.name}", {}).get(lang) for lang in i18n.LANGS), entry.name
    assert [entry.url for entry in site.MENU][0] == "/" and site.page(site.DEFAULT) in site.MENU


def test_the_dashboard_routes_the_page_list_not_a_copy(monkeypatch):
    """dashboard.py's navigation is site.PAGES: every page of the list opens by its script, and a
    page taken out of the list is no longer routed."""
    from streamlit.testing.v1 import AppTest

    from sctdash.app import site

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90).run()
    for entry in site.PAGES:
        at.switch_page(entry.script).run()
        assert not at.exception, (entry.name, [e.value for e in at.exception])
    monkeypatch.setattr(site, "PAGES", tuple(p for p in site.PAGES if p.name != "market"))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90).run()
    with pytest.raises(ValueError, match="navigation page"):
        at.switch_page("pages/market.py")


# What a cached function must not read: the session's state, the query string, or the ui
# helpers that read them (the filters, the language, the store and version pinned for the run).
HIDDEN_STATE = ("session_state", "query_params", "filters", "lang", "store", "_pinned", "begin_run")


def hidden_reads(tree) -> list[str]:
    """Each function cached by Streamlit that reads hidden state: "name: what it reads"."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef):
            continue
        if not any("cache_" in ast.unparse(d) for d in node.decorator_list):
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.Attribute) and inner.attr in ("session_state", "query_params"):
                found.append(f"{node.name}: {inner.attr}")
            elif isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name | ast.Attribute):
                called = inner.func.id if isinstance(inner.func, ast.Name) else inner.func.attr
                if called in HIDDEN_STATE:
                    found.append(f"{node.name}: {called}()")
    return found


def test_cached_functions_read_only_their_arguments():
    """A cache keyed by its arguments serves one session's result to another if the function
    reads anything else: every st.cache_data / st.cache_resource function in sctdash/."""
    cached = 0
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        cached += sum(
            isinstance(n, ast.FunctionDef) and any("cache_" in ast.unparse(d) for d in n.decorator_list)
            for n in ast.walk(tree)
        )
        assert not hidden_reads(tree), (path.name, hidden_reads(tree))
    assert cached >= 8  # ui, map_ui, changelog_ui: the check has something to look at


def test_the_hidden_state_check_catches_a_cache_reading_the_session():
    bad = ast.parse(
        "@st.cache_resource\ndef f(a):\n    return st.session_state['x'] + a\n"
        "@st.cache_data(max_entries=2)\ndef g(a):\n    return ui.filters()\n"
        "def h():\n    return st.session_state['x']\n"
    )
    assert hidden_reads(bad) == ["f: session_state", "g: filters()"]


def state_literals(tree) -> list[str]:
    """Keys of st.session_state written as string literals: `session_state["x"]`,
    `session_state.get("x")`, `.pop("x")`, `.setdefault("x")`."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and ast.unparse(node.value).endswith("session_state"):
            if isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
                found.append(node.slice.value)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = ast.unparse(node.func.value)
            if owner.endswith("session_state") and node.func.attr in ("get", "pop", "setdefault") and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    found.append(first.value)
    return found


def test_session_state_keys_are_named_in_one_place():
    """Every key the app keeps in st.session_state is a name of sctdash/app/state.py: no module
    writes one as a literal (they were spread over five modules in four styles)."""
    sources = [p for p in PACKAGE.rglob("*.py") if p.name != "state.py"]
    sources += [ROOT / "dashboard.py", *(ROOT / "pages").glob("*.py")]
    for path in sources:
        found = state_literals(ast.parse(path.read_text(encoding="utf-8")))
        assert not found, (path.name, found)
    caught = state_literals(ast.parse("st.session_state['a'] = 1\nss = st.session_state.get('b')\nx.pop('c')"))
    assert caught == ["a", "b"]

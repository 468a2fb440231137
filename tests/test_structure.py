"""The shape of the code: no import cycle inside sctdash/, counting imports made inside
functions too (a lazy import is still a dependency)."""

import ast

from tests.conftest import ROOT

PACKAGE = ROOT / "sctdash"


def imports_of(path) -> set[str]:
    """The sctdash modules a module imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "sctdash":
                found |= {alias.name for alias in node.names}
            elif node.module.startswith("sctdash."):
                found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found |= {alias.name.split(".")[1] for alias in node.names if alias.name.startswith("sctdash.")}
    return found


def graph() -> dict[str, set[str]]:
    modules = {p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    return {p.stem: imports_of(p) & modules for p in PACKAGE.glob("*.py") if p.stem != "__init__"}


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


def test_the_cycle_finder_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_one_page_list_names_every_page_script_and_its_words():
    from sctdash import catalogue, i18n, site

    scripts = {entry.script for entry in site.PAGES}
    assert scripts == {f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py")}
    assert set(catalogue.pages()) <= {entry.name for entry in site.MENU}  # charts only on menu pages
    words = i18n.catalogue.texts()
    for entry in site.PAGES:  # its title in both languages (t() would fall back to Vietnamese)
        assert all(words.get(f"page.{entry.name}", {}).get(lang) for lang in i18n.LANGS), entry.name
    assert [entry.url for entry in site.MENU][0] == "/" and site.page(site.DEFAULT) in site.MENU
    dashboard = (ROOT / "dashboard.py").read_text(encoding="utf-8")
    assert "site.PAGES" in dashboard and "pages/" not in dashboard  # routed from the list, not a copy

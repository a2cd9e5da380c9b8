"""No import circle anywhere in barnet_tui: every import counts, those under TYPE_CHECKING and
inside functions too, so a screen never needs the app to be read, typed or tested."""

from __future__ import annotations

import ast
from pathlib import Path

import barnet_tui

PACKAGE = Path(barnet_tui.__file__).parent


def module_names() -> dict[str, Path]:
    names = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names[".".join(parts)] = path
    return names


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The barnet_tui modules ``name`` imports, wherever in the file."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:  # ``from package import module`` imports the module
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
    return {module for module in found if module in known and module != name}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_finder_sees_a_circle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]


def test_the_graph_holds_type_only_imports() -> None:
    """The ast reading counts an import under TYPE_CHECKING (as the old screens' one of the
    app was), so the test below would see it."""
    names = module_names()
    graph = imports("barnet_tui.tui.reads", names["barnet_tui.tui.reads"], set(names))
    assert "barnet_tui.tui.screens.error" in graph  # imported inside a function


def test_no_import_circle_in_barnet_tui() -> None:
    names = module_names()
    graph = {name: imports(name, path, set(names)) for name, path in names.items()}
    assert cycles(graph) == []


def test_no_screen_or_widget_imports_the_app() -> None:
    names = module_names()
    for name, path in names.items():
        if name.startswith(("barnet_tui.tui.screens", "barnet_tui.tui.widgets")):
            assert "barnet_tui.tui.app" not in imports(name, path, set(names)), name

"""The layers: imports only point down, and no module imports itself round a
circle. Every import counts, at module level or inside a function, including
the ones only a type checker reads: an import that "only" runs later is still
a dependency someone has to know about.

From the bottom up (see docs/architecture.md):

    core      pure Python: content, rules, engines, schedule, stores
    services  side effects behind small interfaces: sound, speech, notifications
    app       the use cases the screens and the command line share (Qt-free)
    render    drawing for paper and screen with Qt's painting classes
    ui        the Qt widgets, which show state and forward input
    entry     the command line and ``python -m coach``

A module may import its own layer and the layers below it. ``coach`` itself
(the version and the app's name) and ``coach.resources`` (where the shipped
files are) sit under everything.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import coach

PACKAGE = Path(coach.__file__).parent
LAYERS = ("base", "core", "services", "app", "render", "ui", "entry")
QT_FREE = {"core", "app"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> str:
    parts = module.split(".")
    if module in ("coach", "coach.resources"):
        return "base"
    if module in ("coach.cli", "coach.export_cli", "coach.__main__"):
        return "entry"
    if len(parts) > 1 and parts[1] in LAYERS:
        return parts[1]
    if module == "coach.instance":
        return "services"  # the Qt-free hand-over client
    raise AssertionError(f"{module} belongs to no layer: add it to test_layers and the docs")


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imports_of(path: Path, name: str) -> Iterator[str]:
    """Every module ``path`` imports (absolute names), wherever the import is."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            yield base
            for alias in node.names:  # "from coach.core import paths" imports a module
                yield f"{base}.{alias.name}"


def graph() -> dict[str, set[str]]:
    known = modules()
    edges: dict[str, set[str]] = {}
    for name, path in known.items():
        edges[name] = {target for target in imports_of(path, name)
                       if target in known and target != name}
    return edges


def test_every_module_has_a_layer() -> None:
    for name in modules():
        layer_of(name)


def test_imports_only_point_down() -> None:
    wrong = []
    for source, targets in graph().items():
        rank = LAYERS.index(layer_of(source))
        for target in sorted(targets):
            if LAYERS.index(layer_of(target)) > rank:
                wrong.append(f"{source} ({layer_of(source)}) imports {target} "
                             f"({layer_of(target)})")
    assert wrong == []


def test_core_and_app_never_import_qt() -> None:
    wrong = []
    for name, path in modules().items():
        if layer_of(name) not in QT_FREE:
            continue
        for target in imports_of(path, name):
            if target.split(".")[0] in ("PySide6", "shiboken6"):
                wrong.append(f"{name} imports {target}")
    assert wrong == []


def test_there_are_no_import_circles() -> None:
    edges = graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in edges[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    assert circles == []


def test_the_checker_sees_a_wrong_import(tmp_path: Path) -> None:
    """The graph is read from source: a core module importing the UI (even
    inside a function) is found."""
    source = tmp_path / "bad.py"
    source.write_text("def f():\n    from coach.ui import app\n    from ..ui import theme\n")
    found = set(imports_of(source, "coach.core.bad"))
    assert {"coach.ui.app", "coach.ui.theme"} <= found

"""The layers hold: no app imports from an app above it, no two apps import each other, and no modules
import each other round a loop.

Every module under porchlight/ is read with ast (nothing is imported or run); each `porchlight.<app>` import,
absolute or relative, at module level or inside a function, is mapped to its app. Migrations, `tests` folders
and porchlight/testing (factories) are exempt. The project-root modules (settings, urls, wsgi) are the top
and may import anything. docs/decisions/0004-domain-events.md says how a lower app tells a higher one that
something happened without importing it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "porchlight"

# Low → high. An app may import from apps on its own layer or below. Apps in one group share a layer.
LAYERS: list[tuple[str, ...]] = [
    ("ui",),  # the ground floor: imports no app
    ("accounts",),
    ("places",),
    ("people",),
    ("outreach",),
    ("directory",),
    ("cases",),
    ("events", "surveys"),  # future
    ("insights",),
    ("goals", "notify", "indicators"),  # future
    ("api",),
    ("web",),
    ("demo",),
]
LAYER_OF: dict[str, int] = {app: i for i, group in enumerate(LAYERS) for app in group}
TOP = len(LAYERS)  # settings.py, urls.py, wsgi.py: the project itself
EXEMPT_PARTS = {"migrations", "tests"}
EXEMPT_APPS = {"testing"}

# Module loops that are the design, not an accident: a task module runs the service that enqueues it (the
# service imports the task to enqueue it; the task imports the service inside the function that runs it).
ALLOWED_MODULE_LOOPS: list[list[str]] = [
    ["porchlight.insights.coding.services", "porchlight.insights.coding.tasks"],
]


@dataclass(frozen=True)
class Edge:
    """One import of another app: `path:line` imports `target` (a dotted module) of app `to_app`."""

    path: str
    line: int
    from_app: str
    target: str
    to_app: str

    def __str__(self) -> str:
        return (
            f"{self.path}:{self.line} imports {self.target} (app {self.to_app}, layer {layer(self.to_app)}) "
            f"from app {self.from_app} (layer {layer(self.from_app)})"
        )


def layer(app: str) -> int:
    return TOP if app == "" else LAYER_OF.get(app, -1)


def module_name(path: Path) -> str:
    """porchlight/cases/casework/views.py → porchlight.cases.casework.views (packages end at __init__)."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def app_of(module: str) -> str | None:
    """The app a porchlight module belongs to; "" for the project root (settings, urls); None outside."""
    parts = module.split(".")
    if parts[0] != PACKAGE:
        return None
    if len(parts) == 1:
        return ""
    return "" if parts[1] in ("settings", "urls", "wsgi", "asgi") else parts[1]


def from_base(node: ast.ImportFrom, package: str) -> str:
    """The module a `from ... import` reads from; relative ones climb from `package`."""
    if not node.level:
        return node.module or ""
    base = package.split(".")
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imported_modules(source: str, module: str, *, is_package: bool = False) -> Iterator[tuple[int, str]]:
    """(line, dotted name) of every module `source` imports; relative ones resolved against `module`."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            yield node.lineno, from_base(node, package)


def edges_of(source: str, path: str, module: str, *, is_package: bool = False) -> Iterator[Edge]:
    """Every import in `source` (the module `module` at `path`) of another Porchlight app."""
    from_app = app_of(module)
    if not from_app:  # outside porchlight, or the project root, which may import anything
        return
    for line, target in imported_modules(source, module, is_package=is_package):
        to_app = app_of(target)
        if to_app is None or to_app == from_app or to_app == "" or to_app in EXEMPT_APPS:
            continue
        yield Edge(path, line, from_app, target, to_app)


def upward(edges: Iterable[Edge]) -> list[Edge]:
    """Imports from an app on a higher layer than the importing one."""
    return [e for e in edges if layer(e.to_app) > layer(e.from_app)]


def unknown_apps(edges: Iterable[Edge]) -> list[Edge]:
    """Imports by or of an app the layer order does not know: place it in LAYERS first."""
    return [e for e in edges if layer(e.from_app) < 0 or layer(e.to_app) < 0]


def cycles(edges: Iterable[Edge]) -> list[list[str]]:
    """Groups of apps that import each other, directly or round a loop."""
    graph: dict[str, set[str]] = {}
    for e in edges:
        a, b = e.from_app, e.to_app
        if a != b:
            graph.setdefault(a, set()).add(b)
            graph.setdefault(b, set())
    return strongly_connected(graph)


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """The loops of a directed graph: its strongly connected parts of more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
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


def project_modules() -> dict[str, Path]:
    """Every checked module under porchlight/, by dotted name."""
    modules = {}
    for path in sorted((ROOT / PACKAGE).rglob("*.py")):
        rel = path.relative_to(ROOT)
        if EXEMPT_PARTS & set(rel.parts) or (len(rel.parts) > 1 and rel.parts[1] in EXEMPT_APPS):
            continue
        modules[module_name(path)] = path
    return modules


def module_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Which project module imports which (`from pkg import mod` counts as importing pkg.mod)."""
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = from_base(node, package)
                targets.add(base)
                targets.update(f"{base}.{alias.name}" for alias in node.names)
        graph[name] = {t for t in targets if t in modules and t != name}
    return graph


def project_edges() -> list[Edge]:
    """Every cross-app import in porchlight/, minus the exempt folders."""
    edges = []
    for name, path in project_modules().items():
        rel = path.relative_to(ROOT).as_posix()
        edges.extend(edges_of(path.read_text(), rel, name, is_package=path.name == "__init__.py"))
    return edges


def test_it_finds_no_import_from_a_higher_layer() -> None:
    edges = project_edges()
    assert len(edges) > 50, "the walk found almost no imports: is ROOT right?"
    bad = upward(edges) + unknown_apps(edges)
    assert not bad, "imports that run up the layers:\n" + "\n".join(str(e) for e in bad)


def test_it_finds_no_cycle_between_apps() -> None:
    edges = project_edges()
    found = cycles(edges)
    # Every loop runs up or sideways somewhere: those are the imports to remove.
    detail = [
        str(e)
        for e in edges
        if layer(e.to_app) >= layer(e.from_app) and any({e.from_app, e.to_app} <= set(g) for g in found)
    ]
    assert not found, f"apps that import each other: {found}\n" + "\n".join(detail)


def test_it_finds_no_import_loop_between_modules() -> None:
    """Imports inside functions count: a loop hidden that way (cases' services → followups → selectors →
    services, until lifecycle.py) still ties the modules together."""
    loops = strongly_connected(module_graph(project_modules()))
    loops = [loop for loop in loops if loop not in ALLOWED_MODULE_LOOPS]
    assert not loops, "modules that import each other, round a loop:\n" + "\n".join(map(str, loops))


def test_it_catches_an_upward_import_in_a_module() -> None:
    source = (
        "from porchlight.people.models import Resident\n"
        "\n"
        "def f():\n"
        "    from porchlight.insights.coding.tasks import conversation_coding_enqueue\n"
        "    from ..cases import services\n"
    )
    edges = list(edges_of(source, "porchlight/outreach/x.py", "porchlight.outreach.x"))
    assert [str(e) for e in upward(edges)] == [
        "porchlight/outreach/x.py:4 imports porchlight.insights.coding.tasks (app insights, layer 8) "
        "from app outreach (layer 4)",
        "porchlight/outreach/x.py:5 imports porchlight.cases (app cases, layer 6) "
        "from app outreach (layer 4)",
    ]


def test_it_lets_the_ground_floor_import_no_app() -> None:
    edges = list(edges_of("from porchlight.accounts import roles\n", "porchlight/ui/x.py", "porchlight.ui.x"))
    assert [e.to_app for e in upward(edges)] == ["accounts"]


def test_it_catches_a_cycle_between_apps_on_one_layer() -> None:
    a = edges_of("from porchlight.events import models\n", "porchlight/surveys/a.py", "porchlight.surveys.a")
    b = edges_of("import porchlight.surveys.models\n", "porchlight/events/b.py", "porchlight.events.b")
    edges = [*a, *b]
    assert upward(edges) == []
    assert cycles(edges) == [["events", "surveys"]]


def test_it_catches_a_loop_between_modules() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert strongly_connected(graph) == [["a", "b", "c"]]


def test_it_lets_the_project_root_import_anything() -> None:
    source = "from porchlight.demo import apps\n"
    assert list(edges_of(source, "porchlight/urls.py", "porchlight.urls")) == []
    assert upward(edges_of(source, "porchlight/settings.py", "porchlight.settings")) == []

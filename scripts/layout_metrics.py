"""Print the layout figures of the code: imports that run up the layers, loops between apps, long modules and
long functions. `python scripts/layout_metrics.py [--list]` (the issue-8 before/after figures come from this).
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.test_layers import LAYER_OF as RANK


def modules(root: Path) -> Iterator[tuple[Path, tuple[str, ...]]]:
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).parts
        if "migrations" in parts or "tests" in parts or parts[1] == "testing":
            continue
        yield path, parts


def main() -> None:
    root = Path(__file__).resolve().parent.parent / "porchlight"
    upward, edges, long_modules, long_functions = [], defaultdict(set), [], []
    for path, parts in modules(root):
        source = path.read_text()
        tree = ast.parse(source)
        if len(source.splitlines()) > 500:
            long_modules.append(f"{path.relative_to(root.parent)} ({len(source.splitlines())} lines)")
        app = parts[1] if len(parts) > 2 else None
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > 60:
                    where = f"{path.relative_to(root.parent)}:{node.lineno}"
                    long_functions.append(f"{where} {node.name} ({length})")
            names = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            for name in names:
                bits = name.split(".")
                if app is None or bits[0] != "porchlight" or len(bits) < 2 or bits[1] == app:
                    continue
                target = bits[1]
                if app in RANK and target in RANK:
                    edges[app].add(target)
                    if RANK[target] > RANK[app]:
                        upward.append(f"{path.relative_to(root.parent)}:{node.lineno} {app} -> {name}")
    loops = sorted({tuple(sorted((a, b))) for a in edges for b in edges[a] if a in edges.get(b, ())})
    print(f"upward imports: {len(upward)}")
    print(f"loops between apps (pairs importing each other): {len(loops)} {loops if loops else ''}")
    print(f"modules over 500 lines: {len(long_modules)}")
    print(f"functions over 60 lines: {len(long_functions)}")
    if "--list" in sys.argv:
        for line in upward + long_modules + long_functions:
            print("  ", line)


if __name__ == "__main__":
    main()

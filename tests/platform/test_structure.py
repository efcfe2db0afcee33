"""Rules of the code's shape that no linter checks for us."""

from __future__ import annotations

import ast

from tests.platform.conftest import BASE_DIR

PRODUCT_APPS = ("kredin", "integrations", "ledger", "brreg", "debt_collection")
EAGER_GETTEXT = {"gettext", "ngettext", "pgettext", "npgettext"}


def product_modules():
    for app in PRODUCT_APPS:
        for path in (BASE_DIR / app).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path, ast.parse(path.read_text(), filename=str(path))


def test_work_is_enqueued_through_task_objects_never_by_name():
    """`task.delay(...)` keeps the dependency visible to imports; `send_task("name")` hides it."""
    by_name = [
        f"{path.relative_to(BASE_DIR)}:{node.lineno}"
        for path, tree in product_modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "send_task"
    ]
    assert by_name == []


def _eager_names(tree: ast.Module) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
            names |= {a.asname or a.name for a in node.names if a.name in EAGER_GETTEXT}
    return names


def _calls_outside_functions(node: ast.AST, names: set[str], found: list[int]) -> None:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        called = getattr(child.func, "id", None) if isinstance(child, ast.Call) else None
        if called in names:
            found.append(child.lineno)
        _calls_outside_functions(child, names, found)


def test_nothing_is_translated_at_import_time():
    """A module-level gettext() freezes the words in whatever language was active when the
    module loaded; gettext_lazy (or translating in a function) follows the reader."""
    eager = []
    for path, tree in product_modules():
        names = _eager_names(tree)
        lines: list[int] = []
        if names:
            _calls_outside_functions(tree, names, lines)
        eager += [f"{path.relative_to(BASE_DIR)}:{line}" for line in lines]
    assert eager == []

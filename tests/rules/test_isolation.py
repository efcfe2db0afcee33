"""The rules package stands alone: no Django, no other project app."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "debt_collection" / "rules"
FORBIDDEN = ("django", "rest_framework", "kredin", "ledger", "brreg", "integrations", "sandbox")


def test_no_module_imports_django_or_a_project_app():
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            for name in names:
                top = name.split(".")[0]
                assert top not in FORBIDDEN, f"{path.name} imports {name}"
                assert top != "debt_collection" or name.startswith("debt_collection.rules"), (
                    f"{path.name} imports {name}"
                )


def test_importing_the_package_loads_no_django():
    code = (
        "import sys; import debt_collection.rules as r; r.default_rules(); "
        f"bad = [m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PACKAGE.parents[1],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr

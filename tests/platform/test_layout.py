"""No top-level package of the project may hide a standard-library or installed module.

A package next to manage.py comes first on sys.path, so `collections/` would replace
Python's own `collections` and `brreg/` the PyPI client of that name: imports would
silently reach the wrong code.
"""

from __future__ import annotations

import importlib.metadata
import sys

from tests.platform.conftest import BASE_DIR

PROJECT_DISTRIBUTION = "kredin"


def project_packages() -> set[str]:
    return {path.parent.name for path in BASE_DIR.glob("*/__init__.py")}


def installed_import_names() -> dict[str, list[str]]:
    """Import name -> distributions providing it, leaving out this project's own."""
    names = {}
    for name, distributions in importlib.metadata.packages_distributions().items():
        others = [d for d in distributions if d.lower() != PROJECT_DISTRIBUTION]
        if others:
            names[name] = others
    return names


def test_project_has_the_expected_top_level_packages():
    assert {"kredin", "integrations", "ledger", "debt_collection", "brreg", "sandbox"} <= (
        project_packages()
    )


def test_no_project_package_shadows_a_standard_library_module():
    shadowing = sorted(project_packages() & set(sys.stdlib_module_names))

    assert shadowing == [], f"rename these packages, Python ships modules of that name: {shadowing}"


def test_no_project_package_shadows_an_installed_distribution():
    installed = installed_import_names()
    shadowing = {name: installed[name] for name in sorted(project_packages()) if name in installed}

    assert shadowing == {}, f"these packages hide installed distributions: {shadowing}"

"""The import direction of the house: supplychain -> risk_models -> reference_data."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {
    "reference_data": {
        "flask",
        "sqlalchemy",
        "marshmallow",
        "flask_smorest",
        "supplychain",
        "risk_models",
    },
    "risk_models": {"flask", "sqlalchemy", "marshmallow", "flask_smorest", "supplychain"},
}


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_engine_and_data_stay_free_of_web_and_database_code(package: str):
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_packages(path) & FORBIDDEN[package])
        for path in (ROOT / package).rglob("*.py")
    }
    assert {file: bad for file, bad in offenders.items() if bad} == {}


def test_nothing_reads_the_shared_sources_folder():
    pattern = "../" + "shared"
    hits = [
        str(path.relative_to(ROOT))
        for folder in ("supplychain", "risk_models", "reference_data", "tests", "bench")
        if (ROOT / folder).exists()
        for path in (ROOT / folder).rglob("*.py")
        if pattern in path.read_text(encoding="utf-8")
    ]
    assert hits == []

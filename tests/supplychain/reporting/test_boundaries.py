"""The reporting core stays plain: no web, database or schema-library imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[3] / "supplychain" / "reporting"
FORBIDDEN = {"flask", "flask_smorest", "flask_sqlalchemy", "sqlalchemy", "marshmallow"}
FORBIDDEN_INTERNAL = ("supplychain.models", "supplychain.extensions", "supplychain.services")


def imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: p.name)
def test_reporting_modules_import_no_web_or_database_code(path: Path):
    names = imports(path)
    assert not {n.split(".")[0] for n in names} & FORBIDDEN
    assert not [n for n in names if n.startswith(FORBIDDEN_INTERNAL)]

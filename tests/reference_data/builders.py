"""Build broken copies of the shipped data directory, one corruption at a time."""

from __future__ import annotations

import csv
import shutil
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import tomli_w

from reference_data import DATA_DIR
from reference_data.loader import Problem, read_all
from reference_data.manifest import refresh_manifest
from reference_data.validation import check

FIXTURES = Path(__file__).parent / "fixtures"
Rows = list[dict[str, str]]


def copy_data(destination: Path) -> Path:
    """Copy the shipped data directory; return the copy's path."""
    return Path(shutil.copytree(DATA_DIR, destination / "data"))


def problems_in(root: Path, extra: tuple[Path, ...] = ()) -> list[Problem]:
    """Read and check a data directory (all optional layers on), as `refdata validate` does."""
    raw, problems = read_all(root, extra, frozenset({"walkfree-gsi-2023"}))
    return problems + check(raw)


def edit_csv(root: Path, relative: str, change: Callable[[Rows], Any]) -> None:
    """Rewrite one CSV file after `change` edits its rows in place; refresh the manifest."""
    path = root / relative
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        columns = list(reader.fieldnames or [])
        rows = list(reader)
    change(rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    refresh_manifest(root)


def edit_toml(root: Path, relative: str, change: Callable[[dict[str, Any]], Any]) -> None:
    """Rewrite one TOML file after `change` edits it in place; refresh the manifest."""
    path = root / relative
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    if relative != "manifest.toml":
        refresh_manifest(root)

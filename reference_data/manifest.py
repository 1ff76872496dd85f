"""Keep the manifest's row counts and checksums in step with the data files."""

from __future__ import annotations

import tomllib
from pathlib import Path

import tomli_w

from reference_data.loader import checksum, count_rows


def refresh_manifest(data_dir: Path) -> list[str]:
    """Recompute rows and sha256 of every source; return the ids whose entries changed."""
    path = data_dir / "manifest.toml"
    with path.open("rb") as handle:
        manifest = tomllib.load(handle)
    changed = []
    for source in manifest.get("source", []):
        files = [f for f in source["files"] if (data_dir / f).is_file()]
        rows = sum(count_rows(data_dir, f) for f in files)
        digest = checksum(data_dir, files)
        if (source.get("rows"), source.get("sha256")) != (rows, digest):
            source["rows"], source["sha256"] = rows, digest
            changed.append(source["id"])
    header = "# Provenance of every dataset under data/ (see SCHEMA.md). rows/sha256 are\n"
    header += "# maintained by `supplychain refdata validate --write-manifest`.\n\n"
    path.write_text(header + tomli_w.dumps(manifest, multiline_strings=False), encoding="utf-8")
    return changed

"""`supplychain refdata validate|show|diff|import` through the app's CLI runner."""

from __future__ import annotations

import csv
import fcntl
import json
import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner

from reference_data import DATA_DIR, good_id_for, load_reference_data, loader, normalise_name
from supplychain.extensions import db
from supplychain.models.refdata import ReferenceImport
from supplychain.services.refdata import get_reference
from supplychain.services.refdata_import import trust_for
from tests.reference_data.builders import FIXTURES, copy_data, edit_toml

GOODS_2030 = FIXTURES / "goods_2030.xml"


def edition_rows(year: int) -> list[dict[str, str]]:
    with (DATA_DIR / f"ilab_tvpra/edition_{year}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def run(runner: FlaskCliRunner, *args: str):
    return runner.invoke(args=["refdata", *args])


def snapshot(root: Path) -> dict[str, bytes | None] | None:
    """Every path under root with its bytes (None for directories); None if root is absent."""
    if not root.exists():
        return None
    return {
        str(p.relative_to(root)): p.read_bytes() if p.is_file() else None
        for p in sorted(root.rglob("*"))
    }


def refdata_dir(app: Flask) -> Path:
    return Path(app.config["REFDATA_DIR"])


# --- validate ------------------------------------------------------------------------------


def test_validate_passes_on_the_shipped_data(runner: FlaskCliRunner, app: Flask):
    result = run(runner, "validate")
    assert result.exit_code == 0, result.output
    [summary] = result.output.splitlines()
    reference = get_reference(app.config)
    assert summary.startswith("OK: ") and summary.endswith(f"version {reference.version}")
    goods = sum(1 for g in reference.goods.values() if g.kind == "good")
    assert f"{goods} goods" in summary
    assert f"2022: {len(edition_rows(2022))}" in summary
    assert f"{len(reference.countries)} countries" in summary


def test_validate_fails_on_a_broken_copy(
    runner: FlaskCliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    broken = copy_data(tmp_path)
    edit_toml(broken, "goods/mining.toml", lambda d: d["good"][0].update(hs=["71O8"]))
    path = broken / "ilab_tvpra/edition_2020.csv"
    rows = path.read_text(encoding="utf-8").split("\n")
    first = rows[1].split(",")
    first[3] = "XXX"
    rows[1] = ",".join(first)
    path.write_text("\n".join(rows), encoding="utf-8")
    monkeypatch.setattr(loader, "DATA_DIR", broken)

    result = run(runner, "validate")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert (
        "ilab_tvpra/edition_2020.csv, row 1, column 'country_iso3': "
        "country 'XXX' is not an ISO 3166 code"
    ) in lines
    assert any("HS code '71O8' is not 4 or 6 digits" in line for line in lines)
    assert any("ilab-tvpra-2020: sha256 is out of date" in line for line in lines)
    assert "problem(s) found" in result.stderr


def test_write_manifest_refreshes_checksums_then_validates(
    runner: FlaskCliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    stale = copy_data(tmp_path)
    path = stale / "enforcement/product_place_rules.csv"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    monkeypatch.setattr(loader, "DATA_DIR", stale)
    assert run(runner, "validate").exit_code == 1

    result = run(runner, "validate", "--write-manifest")
    assert result.exit_code == 0, result.output
    assert "updated rows/sha256 of cbp-wro-findings" in result.stderr
    assert result.stdout.startswith("OK: ")
    assert run(runner, "validate").exit_code == 0


# --- show ----------------------------------------------------------------------------------


def test_show_goods_json_lists_every_good_of_the_edition(runner: FlaskCliRunner):
    result = run(runner, "show", "goods", "--edition", "2022", "--format", "json")
    assert result.exit_code == 0, result.output
    goods = json.loads(result.output)
    rows = edition_rows(2022)
    assert sorted(g["id"] for g in goods) == sorted({r["good_id"] for r in rows})
    catalogue = load_reference_data().goods
    for item in goods:
        good = catalogue[item["id"]]
        assert (item["name"], item["sector"]) == (good.name, good.sector)
        assert item["aliases"] == list(good.aliases) and item["aliases_fr"] == list(good.aliases_fr)
        assert item["hs"] == list(good.hs) and item["inputs"] == list(good.inputs)
        assert item["broader"] == list(good.broader)
    assert next(g for g in goods if g["id"] == "bricks-clay")["broader"] == ["bricks"]
    assert sum(bool(g["hs"]) for g in goods) > len(goods) * 0.9
    pairs = {(g["id"], c["country_iso3"]): c for g in goods for c in g["countries"]}
    assert len(pairs) == len(rows)
    for r in rows:
        country = pairs[(r["good_id"], r["country_iso3"])]
        assert country["citation"] == f"ILAB TVPRA 2022, row {r['row']}"
        assert country["forced_labour"] == (r["forced_labour"] == "true")
        assert country["downstream"] == (r["downstream"] == "true")
        assert country["input_good_id"] == (r["input_good_id"] or None)


def test_show_goods_table_defaults_to_the_latest_edition(runner: FlaskCliRunner, app: Flask):
    latest = get_reference(app.config).latest_edition
    result = run(runner, "show", "goods")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    count = len({r["good_id"] for r in edition_rows(latest)})
    assert lines[0] == f"ILAB TVPRA {latest}: {count} goods"
    assert lines[1].split() == ["id", "sector", "countries", "hs", "aliases"]
    assert len(lines) == count + 4  # title, header, rule, legend
    assert any("DS<" in line for line in lines[3:-1]) == (latest >= 2022)


def test_show_countries(runner: FlaskCliRunner, app: Flask):
    reference = get_reference(app.config)
    records = json.loads(run(runner, "show", "countries", "--format", "json").output)
    assert len(records) == len(reference.countries)
    by_iso = {r["iso3"]: r for r in records}
    listed = {r["good_id"] for r in edition_rows(2022) if r["country_iso3"] == "CHN"}
    assert by_iso["CHN"]["listed_goods"] == len(listed)
    tip = reference.tip.get("CHN")
    assert by_iso["CHN"]["tip_tier"] == (tip.tier if tip else None)
    table = run(runner, "show", "countries", "--edition", "2018").output.splitlines()
    assert table[0].split()[:4] == ["iso3", "iso2", "name", "nom"]
    assert len(table) == len(records) + 2


def test_show_lists(runner: FlaskCliRunner, app: Flask):
    reference = get_reference(app.config)
    records = json.loads(run(runner, "show", "lists", "--format", "json").output)
    assert [r["id"] for r in records if r["kind"] == "entity"] == [
        e.entity_id for e in reference.entities
    ]
    assert [r["id"] for r in records if r["kind"] == "rule"] == [r.rule_id for r in reference.rules]
    table = run(runner, "show", "lists").output
    assert f"Enforcement entities ({len(reference.entities)})" in table
    assert f"Product-place rules ({len(reference.rules)})" in table


def test_show_refuses_an_unknown_edition(runner: FlaskCliRunner):
    result = run(runner, "show", "goods", "--edition", "2019")
    assert result.exit_code == 1
    assert "edition 2019 is not available" in result.output


# --- diff ----------------------------------------------------------------------------------


def test_diff_reports_goods_and_pairs_added_and_removed(runner: FlaskCliRunner):
    old, new = edition_rows(2020), edition_rows(2022)
    added = {r["good_id"] for r in new} - {r["good_id"] for r in old}
    removed = {r["good_id"] for r in old} - {r["good_id"] for r in new}
    assert added, "the 2022 edition added goods"
    old_pairs = {(r["good_id"], r["country_iso3"]): r for r in old}
    new_pairs = {(r["good_id"], r["country_iso3"]): r for r in new}
    flags = ("child_labour", "forced_labour", "forced_child_labour", "downstream")
    changed = {
        k for k in old_pairs.keys() & new_pairs.keys()
        if any(old_pairs[k][f] != new_pairs[k][f] for f in flags)
    }  # fmt: skip

    result = run(runner, "diff", "2020", "2022", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert {g["id"] for g in report["goods_added"]} == added
    assert {g["id"] for g in report["goods_removed"]} == removed
    pairs_added = {(p["good_id"], p["country_iso3"]) for p in report["pairs_added"]}
    assert pairs_added == new_pairs.keys() - old_pairs.keys()
    pairs_removed = {(p["good_id"], p["country_iso3"]) for p in report["pairs_removed"]}
    assert pairs_removed == old_pairs.keys() - new_pairs.keys()
    assert {(p["good_id"], p["country_iso3"]) for p in report["flags_changed"]} >= changed

    text = run(runner, "diff", "2020", "2022").output
    example = sorted(added)[0]
    assert f"Goods added ({len(added)}):" in text
    assert f"  {example}  " in text
    assert text.splitlines()[0] == "ILAB TVPRA 2020 -> 2022"


def test_diff_refuses_an_unknown_edition(runner: FlaskCliRunner):
    result = run(runner, "diff", "2020", "2099")
    assert result.exit_code == 1 and "edition 2099 is not available" in result.output


# --- import --------------------------------------------------------------------------------


def import_ilab(runner: FlaskCliRunner, source: str | Path, *extra: str, edition: int = 2030):
    return run(runner, "import", "ilab", str(source), "--edition", str(edition), *extra)


def records() -> list[ReferenceImport]:
    return list(db.session.scalars(sa.select(ReferenceImport).order_by(ReferenceImport.edition)))


def test_import_xml_file_adds_an_edition_visible_everywhere(runner: FlaskCliRunner, app: Flask):
    before = get_reference(app.config)  # warm the cache: the import must invalidate it
    result = import_ilab(runner, GOODS_2030)
    assert result.exit_code == 0, result.output
    assert "Imported ILAB edition 2030: 2 good-country pairs" in result.output
    assert "Goods new to the catalogue: clockwork-widgets" in result.output

    reference = get_reference(app.config)
    assert reference.version != before.version and reference.latest_edition == 2030
    assert [(x.good_id, x.country_iso3, x.child_labour, x.forced_labour)
            for x in reference.editions[2030]] == [
        ("cocoa", "GHA", True, False), ("clockwork-widgets", "CHN", False, True),
    ]  # fmt: skip
    widgets = reference.goods["clockwork-widgets"]
    assert (widgets.name, widgets.sector, widgets.kind) == (
        "Clockwork Widgets",
        "Manufacturing",
        "good",
    )
    source = reference.source("ilab-tvpra-2030")
    assert source.url == str(GOODS_2030.resolve()) and source.trust == "C"
    assert source.rows == 2 and source.files == ("ilab_tvpra/edition_2030.csv",)

    root = refdata_dir(app)
    assert sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) == [
        "goods/imported.toml",
        "ilab_tvpra/edition_2030.csv",
        "manifest.toml",
    ]
    [record] = records()
    assert (record.dataset, record.edition, record.rows) == ("ilab-tvpra", "2030", 2)
    assert record.reference_version == reference.version
    assert len(record.sha256) == 64 and record.origin == source.url

    shown = json.loads(run(runner, "show", "goods", "--edition", "2030", "--format", "json").output)
    assert [g["id"] for g in shown] == ["clockwork-widgets", "cocoa"]
    assert run(runner, "validate").exit_code == 0


@pytest.fixture
def http_server() -> Iterator[tuple[dict[str, tuple[bytes, bool]], str]]:
    """Serve {path: (body, send Content-Length)} on 127.0.0.1 at a free port."""
    routes: dict[str, tuple[bytes, bool]] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path not in routes:
                self.send_error(404)
                return
            body, with_length = routes[self.path]
            self.send_response(200)
            if with_length:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield routes, f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_import_over_http(runner: FlaskCliRunner, app: Flask, http_server):
    routes, base = http_server
    routes["/goods.xml"] = (GOODS_2030.read_bytes(), True)
    result = import_ilab(runner, f"{base}/goods.xml")
    assert result.exit_code == 0, result.output
    source = get_reference(app.config).source("ilab-tvpra-2030")
    assert source.url == f"{base}/goods.xml" and source.trust == "C"
    assert records()[0].origin == f"{base}/goods.xml"


def test_import_csv_with_a_downstream_row(runner: FlaskCliRunner, app: Flask):
    result = import_ilab(runner, FIXTURES / "goods_2031.csv", edition=2031)
    assert result.exit_code == 0, result.output
    rows = get_reference(app.config).editions[2031]
    assert [(x.good_id, x.forced_child_labour, x.downstream, x.input_good_id) for x in rows] == [
        ("cocoa", True, False, None),
        ("clockwork-widgets", False, False, None),
        ("photovoltaic-wafers", False, True, "polysilicon"),
    ]
    assert rows[2].input_country_iso3 == "CHN"


def test_replace_an_imported_edition(runner: FlaskCliRunner, app: Flask):
    assert import_ilab(runner, GOODS_2030).exit_code == 0
    csv_2030 = FIXTURES / "goods_2031.csv"
    result = import_ilab(runner, csv_2030, "--replace")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Replaced ILAB edition 2030: 3 good-country pairs")
    assert len(get_reference(app.config).editions[2030]) == 3
    [record] = records()
    assert record.rows == 3 and record.origin == str(csv_2030.resolve())
    assert run(runner, "validate").exit_code == 0


def test_trust_is_a_only_for_dol_gov_over_https():
    assert trust_for("https://www.dol.gov/agencies/ilab/goods.xml") == "A"
    assert trust_for("https://dol.gov/goods.xml") == "A"
    assert trust_for("http://www.dol.gov/goods.xml") == "C"
    assert trust_for("https://dol.gov.example.org/goods.xml") == "C"
    assert trust_for("https://notdol.gov/goods.xml") == "C"
    assert trust_for(None) == "C"


def test_two_imports_cannot_interleave(runner: FlaskCliRunner, app: Flask):
    root = refdata_dir(app)
    root.mkdir(parents=True)
    handle = os.open(root, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        result = import_ilab(runner, GOODS_2030)
    finally:
        os.close(handle)
    assert result.exit_code == 1 and "is in progress" in result.output
    assert snapshot(root) == {}
    assert import_ilab(runner, GOODS_2030).exit_code == 0


def test_shipped_editions_cannot_be_replaced(runner: FlaskCliRunner, app: Flask):
    result = import_ilab(runner, GOODS_2030, "--replace", edition=2022)
    assert result.exit_code == 1
    assert "edition 2022 ships with the curated reference data" in result.output
    assert snapshot(refdata_dir(app)) is None


# --- refusals leave REFDATA_DIR exactly as it was -------------------------------------------


def alias_that_would_clash(app: Flask) -> str:
    """An alias of a catalogue good that is not itself a good's name or id."""
    reference = get_reference(app.config)
    names = {normalise_name(g.name) for g in reference.goods.values()}
    return next(
        alias
        for good in reference.goods.values()
        for alias in good.aliases
        if good_id_for(alias) not in reference.goods and normalise_name(alias) not in names
        and alias.isascii() and "," not in alias
    )  # fmt: skip


@pytest.mark.parametrize("prior_import", [False, True], ids=["fresh", "after-an-import"])
@pytest.mark.parametrize(
    "case",
    [
        "malformed",
        "truncated",
        "unknown-country",
        "entity-declaration",
        "existing-edition",
        "oversize-declared",
        "oversize-streamed",
        "oversize-file",
        "fails-validation",
        "not-found-url",
    ],
)
def test_a_refused_import_changes_nothing(
    runner: FlaskCliRunner, app: Flask, http_server, tmp_path: Path, case: str, prior_import: bool
):
    routes, base = http_server
    if prior_import or case == "existing-edition":
        assert import_ilab(runner, GOODS_2030).exit_code == 0
        db.session.commit()
    before, rows_before = snapshot(refdata_dir(app)), len(records())
    version_before = get_reference(app.config).version
    big = GOODS_2030.read_bytes().replace(b"<Goods>", b"<Goods>" + b" " * 5000)
    source: str | Path
    if case == "malformed":
        source, expected = FIXTURES / "malformed.xml", "line 12: malformed XML: mismatched tag"
    elif case == "truncated":
        last_line = (FIXTURES / "truncated.xml").read_bytes().count(b"\n") + 1
        source, expected = FIXTURES / "truncated.xml", f"line {last_line}: malformed XML"
    elif case == "unknown-country":
        source, expected = FIXTURES / "unknown_country.xml", "line 7: unknown country 'Narnia'"
    elif case == "entity-declaration":
        source, expected = FIXTURES / "entity_expansion.xml", "line 2: DTDs"
    elif case == "existing-edition":
        source, expected = GOODS_2030, "edition 2030 is already imported; use --replace"
    elif case == "oversize-declared":
        routes["/big.xml"] = (big, True)
        source, expected = f"{base}/big.xml", "larger than the 4096-byte import limit"
    elif case == "oversize-streamed":
        routes["/big.xml"] = (big, False)
        source, expected = f"{base}/big.xml", "larger than the 4096-byte import limit"
    elif case == "oversize-file":
        source, expected = tmp_path / "big.xml", "larger than the 4096-byte import limit"
        source.write_bytes(big)
    elif case == "fails-validation":
        clash = alias_that_would_clash(app)
        source, expected = tmp_path / "clash.csv", "does not pass validation"
        source.write_text(
            "good,sector,country,child_labor,forced_labor,forced_child_labor\n"
            f"{clash},Other,Ghana,Yes,No,No\n",
            encoding="utf-8",
        )
    else:
        source, expected = f"{base}/missing.xml", "could not be fetched: 404"
    app.config["REFDATA_MAX_IMPORT_BYTES"] = 4096

    result = import_ilab(runner, source, edition=2030 if case == "existing-edition" else 2031)
    assert result.exit_code == 1
    assert expected in result.output
    assert snapshot(refdata_dir(app)) == before
    assert len(records()) == rows_before
    assert get_reference(app.config).version == version_before

"""The loaders: typed records, problems with their place, imported editions, the cache."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from reference_data import DATA_DIR, ReferenceDataError, load_reference_data
from reference_data.ilab_import import edition_csv, goods_toml, manifest_toml
from reference_data.loader import (
    FileReader,
    Problem,
    checksum,
    count_rows,
    read_all,
    read_edition,
    read_goods,
)
from reference_data.models import Good, Listing
from reference_data.validation import check


@pytest.fixture(scope="module")
def reference():
    return load_reference_data()


def test_records_carry_typed_values(reference):
    listing = reference.editions[2022][0]
    assert listing.row == 1 and listing.edition == 2022
    assert all(
        isinstance(flag, bool)
        for flag in (listing.child_labour, listing.forced_labour, listing.forced_child_labour)
    )
    good = reference.goods[listing.good_id]
    assert isinstance(good.aliases, tuple) and isinstance(good.hs, tuple)
    assert all(isinstance(e.effective_date, date | None) for e in reference.entities)
    assert any(isinstance(e.effective_date, date) for e in reference.entities)
    assert all(isinstance(e.source_row, int) and e.source_row > 0 for e in reference.entities)
    assert all(isinstance(t.report_year, int) for t in reference.tip.values())
    shares = [f.working_children_pct for f in reference.findings.values()]
    assert any(isinstance(s, float) for s in shares)
    assert all(s is None or 0 <= s <= 1 for s in shares)
    assert {type(f.c182_ratified) for f in reference.findings.values()} <= {bool, type(None)}
    assert all(isinstance(s.rows, int) and len(s.sha256) == 64 for s in reference.sources)


def test_version_is_release_plus_digest(reference):
    release, digest = reference.version.split("+")
    assert release == reference.release and len(digest) == 8


def test_editions_are_indexed_by_good_and_country(reference):
    listing = reference.editions[2022][0]
    assert listing in reference.listings_for_good(listing.good_id, 2022)
    assert listing in reference.listings_for_country(listing.country_iso3, 2022)
    assert reference.latest_edition == max(reference.editions)


def write(root: Path, relative: str, text: str) -> None:
    (root / relative).parent.mkdir(parents=True, exist_ok=True)
    (root / relative).write_text(text, encoding="utf-8")


def test_broader_goods_are_read_and_followed_nearest_first(reference):
    assert reference.goods["bricks-clay"].broader == ("bricks",)
    assert reference.goods["bricks"].broader == ()  # the key is left out: no broader good
    assert [g.id for g in reference.broader_goods("miraa-stimulant-plant")] == [
        "khat-miraa-stimulant-plant",
        "khat-stimulant-plant",
    ]
    assert [g.id for g in reference.broader_goods("granite-crushed")] == [
        "granite",
        "gravel-crushed-stones",
        "stones",
    ]
    assert reference.broader_goods("bricks") == ()


def test_broader_defaults_to_none_and_must_be_a_list_of_strings(tmp_path: Path):
    write(
        tmp_path,
        "goods/x.toml",
        '[[good]]\nid = "a"\nname = "A"\n\n'
        '[[good]]\nid = "b"\nname = "B"\nbroader = ["a"]\n\n'
        '[[good]]\nid = "c"\nname = "C"\nbroader = "a"\n',
    )
    reader = FileReader(tmp_path)
    goods = read_goods(reader, "goods/x.toml", "good", "good")
    assert [g.broader for g in goods] == [(), ("a",), ()]
    assert reader.problems == [
        Problem("goods/x.toml", "'broader' must be a list of strings", 3, "broader")
    ]


def test_a_bad_value_is_reported_with_file_row_and_column(tmp_path: Path):
    write(tmp_path, "t.csv", "a,flag\nx,true\ny,maybe\n")
    reader = FileReader(tmp_path)
    rows = reader.csv_rows("t.csv", ("a", "flag"))
    values = [reader.boolean("t.csv", n, "flag", row["flag"]) for n, row in rows]
    assert values == [True, False]
    assert reader.problems == [Problem("t.csv", "expected true or false, found 'maybe'", 2, "flag")]
    assert str(reader.problems[0]) == (
        "t.csv, row 2, column 'flag': expected true or false, found 'maybe'"
    )


def test_file_reader_reports_structure_problems(tmp_path: Path):
    write(tmp_path, "short.csv", "a,b\n1,2\n3\n")
    write(tmp_path, "bad.toml", "x = [1,\n")
    reader = FileReader(tmp_path)
    assert list(reader.csv_rows("short.csv", ("a", "b", "c"))) == []
    assert [n for n, _ in reader.csv_rows("short.csv", ("a", "b"))] == [1]
    assert list(reader.csv_rows("absent.csv", ("a",))) == []
    assert reader.toml("bad.toml") == {}
    assert reader.optional_number("f", 3, "n", "x1", int) is None
    assert reader.optional_date("f", 4, "d", "2024-13-01") is None
    assert reader.optional_date("f", 4, "d", "2024-02-01") == date(2024, 2, 1)
    assert [(p.file, p.row, p.column) for p in reader.problems] == [
        ("short.csv", 1, None),
        ("short.csv", 2, None),
        ("absent.csv", None, None),
        ("bad.toml", None, None),
        ("f", 3, "n"),
        ("f", 4, "d"),
    ]
    assert "missing column(s): c" in reader.problems[0].message
    assert "wrong number of fields" in reader.problems[1].message
    assert "is not valid TOML" in reader.problems[3].message


def test_row_numbers_must_follow_the_file(tmp_path: Path):
    data = tmp_path / "data"
    raw, problems = read_all(DATA_DIR)
    assert problems == []
    text = edition_csv(raw.editions[2022]).replace("\n1,", "\n7,", 1)
    write(data, "ilab_tvpra/edition_2022.csv", text)
    reader = FileReader(data)
    read_edition(reader, "ilab_tvpra/edition_2022.csv", 2022)
    assert reader.problems == [
        Problem("ilab_tvpra/edition_2022.csv", "row number '7' out of sequence", 1, "row")
    ]


def imported_dir(root: Path, year: int = 2030) -> Path:
    """Write an imported-editions directory the way `refdata import ilab` lays it out."""
    new_good = Good("clockwork-widgets", "Clockwork Widgets", "Manufacturing", "", (), (), (), ())
    listings = [
        Listing(year, 1, "cocoa", "Cocoa", "GHA", "Ghana", True, False, False),
        Listing(year, 2, new_good.id, new_good.name, "CHN", "China", False, True, False),
    ]
    write(root, f"ilab_tvpra/edition_{year}.csv", edition_csv(listings))
    write(root, "goods/imported.toml", goods_toml([new_good]))
    files = [f"ilab_tvpra/edition_{year}.csv"]
    source = {
        "id": f"ilab-tvpra-{year}", "publisher": "ILAB", "title": "List of Goods",
        "edition": str(year), "published": "", "retrieved": "2030-10-01", "licence": "PD",
        "url": "/tmp/goods.xml", "trust": "C", "notes": "", "optional": False, "files": files,
        "rows": count_rows(root, files[0]), "sha256": checksum(root, files),
    }  # fmt: skip
    write(root, "manifest.toml", manifest_toml([source]))
    return root


def test_read_all_reads_an_imported_editions_directory(tmp_path: Path):
    extra = imported_dir(tmp_path / "refdata")
    raw, problems = read_all(DATA_DIR, (extra,))
    assert problems == [] and check(raw) == []
    assert [(x.good_id, x.country_iso3) for x in raw.editions[2030]] == [
        ("cocoa", "GHA"),
        ("clockwork-widgets", "CHN"),
    ]
    assert "clockwork-widgets" in {g.id for g in raw.goods}
    assert raw.roots["ilab-tvpra-2030"] == extra
    assert raw.roots["ilab-tvpra-2022"] == DATA_DIR


def test_a_directory_without_manifest_is_ignored(tmp_path: Path):
    raw, problems = read_all(DATA_DIR, (tmp_path / "absent",))
    assert problems == [] and 2030 not in raw.editions


def test_the_cache_follows_the_imported_manifest(tmp_path: Path):
    extra = tmp_path / "refdata"
    before = load_reference_data(extra_dirs=(extra,))
    assert load_reference_data(extra_dirs=(extra,)) is before
    imported_dir(extra)
    after = load_reference_data(extra_dirs=(extra,))
    assert 2030 in after.editions and after.version != before.version
    # Replacing the manifest (as an import does) is seen even when the mtime does not move.
    stat = os.stat(extra / "manifest.toml")
    imported_dir(extra, 2031)
    replacement = extra / "manifest.new"
    replacement.write_bytes((extra / "manifest.toml").read_bytes())
    os.utime(replacement, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    os.replace(replacement, extra / "manifest.toml")
    assert 2031 in load_reference_data(extra_dirs=(extra,)).editions


def test_broken_imported_data_raises_with_every_problem(tmp_path: Path):
    extra = imported_dir(tmp_path / "refdata")
    path = extra / "ilab_tvpra/edition_2030.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("GHA", "XXX"), encoding="utf-8")
    with pytest.raises(ReferenceDataError) as caught:
        load_reference_data(extra_dirs=(extra,))
    messages = [str(p) for p in caught.value.problems]
    assert (
        "ilab_tvpra/edition_2030.csv, row 1, column 'country_iso3': "
        "country 'XXX' is not an ISO 3166 code"
    ) in messages
    assert any("ilab-tvpra-2030: sha256 is out of date" in m for m in messages)

"""Parsing ILAB import files: every refusal names its line; resolution follows SCHEMA.md."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from reference_data.ilab_import import (
    ImportFormatError,
    SourceRow,
    country_index,
    detect_format,
    edition_csv,
    goods_toml,
    parse,
    parse_csv,
    parse_xml,
    resolve,
)
from reference_data.loader import FileReader, read_edition, read_goods
from reference_data.models import Country, CountryAlias, Good, Listing
from tests.reference_data.builders import FIXTURES

COUNTRIES = country_index(
    [
        Country("CN", "CHN", "156", "China", "Chine", "People's Republic of China", "", "", ""),
        Country("GH", "GHA", "288", "Ghana", "Ghana", "Republic of Ghana", "", "", ""),
        Country("CD", "COD", "180", "Congo (Democratic Republic of the)", "", "", "", "", ""),
        Country("CI", "CIV", "384", "Côte d'Ivoire", "Côte d'Ivoire", "", "", "", ""),
    ],
    [CountryAlias("COD", "Congo, Democratic Republic of the", "en", "publisher")],
)


def good(good_id: str, name: str, kind: str = "good", inputs: tuple[str, ...] = ()) -> Good:
    return Good(good_id, name, "Mining", "", (), (), (), inputs, kind)  # type: ignore[arg-type]


BATTERY_INPUTS = ("cobalt-ore-heterogenite", "copper")
GOODS = {
    g.id: g
    for g in (
        good("cocoa", "Cocoa"),
        good("cobalt-ore-heterogenite", "Cobalt Ore (Heterogenite)"),
        good("copper", "Copper"),
        good("lithium-ion-batteries", "Lithium-Ion Batteries", inputs=BATTERY_INPUTS),
        good("chocolate", "Chocolate", kind="derived", inputs=("cocoa",)),
    )
}


def row(line: int, good_name: str, country: str, **flags: object) -> SourceRow:
    values: dict[str, object] = {"child_labour": True, "forced_labour": False}
    values |= {"forced_child_labour": False, **flags}
    return SourceRow(line, good_name, "Mining", country, **values)  # type: ignore[arg-type]


def refusal(call, *args) -> str:
    with pytest.raises(ImportFormatError) as caught:
        call(*args)
    return str(caught.value)


# --- XML -----------------------------------------------------------------------------------


def test_the_fixture_xml_parses_into_rows_with_their_lines():
    rows = parse_xml((FIXTURES / "goods_2030.xml").read_bytes())
    assert [(r.line, r.good_name, r.country, r.child_labour, r.forced_labour) for r in rows] == [
        (7, "Cocoa", "Ghana", True, False),
        (22, "Clockwork Widgets", "China", False, True),
    ]
    assert rows[1].sector == "Manufacturing" and not rows[1].downstream


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("malformed.xml", "line 12: malformed XML: mismatched tag"),
        ("entity_expansion.xml", "line 2: DTDs (<!DOCTYPE ...>) are not accepted"),
    ],
)
def test_hostile_or_malformed_xml_is_refused_with_its_line(fixture: str, expected: str):
    assert refusal(parse_xml, (FIXTURES / fixture).read_bytes()).startswith(expected)


def test_a_truncated_file_is_refused_at_its_last_line():
    data = (FIXTURES / "truncated.xml").read_bytes()
    last_line = data.count(b"\n") + 1
    assert refusal(parse_xml, data) == f"line {last_line}: malformed XML: unclosed token"


XML_HEAD = b"<Goods><Good><Good_Name>Copper</Good_Name><Good_Sector>Mining</Good_Sector><Countries>"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"", "line 1: malformed XML: no element found"),
        (b"<Goods>\n&lol;</Goods>", "line 2: malformed XML: undefined entity"),
        (b'<!DOCTYPE Goods SYSTEM "file:///etc/passwd">\n<Goods/>', "line 1: DTDs"),
        (b"<Goods>\n<Good>\n<Price>1</Price>", "line 3: unexpected element <Price> inside <Good>"),
        (b"<Items/>", "line 1: unexpected element <Items> as the root element"),
        (XML_HEAD + b"<Country>\n<Country_Name>Ghana</Country_Name></Country>",
         "line 1: <Country> lacks <Child_Labor>, <Forced_Labor>, <Forced_Child_Labor>"),
        (XML_HEAD + b"<Country><Country_Name>Ghana</Country_Name>\n<Child_Labor>Often"
         b"</Child_Labor><Forced_Labor>No</Forced_Labor><Forced_Child_Labor>No"
         b"</Forced_Child_Labor></Country>", "line 2: <Child_Labor> must be Yes or No"),
        (XML_HEAD + b"<Country><Country_Name>Ghana</Country_Name><Child_Labor>No</Child_Labor>"
         b"<Forced_Labor>No</Forced_Labor><Forced_Child_Labor>No</Forced_Child_Labor>\n"
         b"<Derived_Labor_Exploitation>Yes</Derived_Labor_Exploitation></Country>",
         "line 1: a derived (downstream) row needs <Derived_Country>"),
    ],
)  # fmt: skip
def test_structure_errors_name_their_line(body: bytes, expected: str):
    assert refusal(parse_xml, body).startswith(expected)


def test_derived_rows_carry_the_input_country():
    body = (
        XML_HEAD.replace(b"Copper", b"Lithium-Ion Batteries")
        + b"<Country><Country_Name>China</Country_Name><Child_Labor>No</Child_Labor>"
        b"<Forced_Labor>No</Forced_Labor><Forced_Child_Labor>No</Forced_Child_Labor>"
        b"<Derived_Labor_Exploitation>Yes</Derived_Labor_Exploitation>"
        b"<Derived_Country>Congo, Democratic Republic of the</Derived_Country>"
        b"</Country></Countries></Good></Goods>"
    )
    [only] = parse_xml(body)
    assert only.downstream and only.input_country == "Congo, Democratic Republic of the"


# --- CSV -----------------------------------------------------------------------------------


def test_the_fixture_csv_parses_with_downstream_columns():
    rows = parse_csv((FIXTURES / "goods_2031.csv").read_bytes())
    assert [r.line for r in rows] == [2, 3, 4]
    assert rows[0].forced_child_labour and not rows[0].downstream
    assert rows[2].downstream and (rows[2].input_good, rows[2].input_country) == (
        "polysilicon",
        "China",
    )


HEADER = b"good,sector,country,child_labor,forced_labor,forced_child_labor\n"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "line 1: the file is empty"),
        (b"good,country\n", "line 1: missing column(s) sector, child_labor"),
        (HEADER.replace(b"\n", b",notes\n"), "line 1: unknown column(s) notes"),
        (HEADER + b"Cocoa,Agriculture,Ghana,Yes,No,No\nCocoa,Agriculture,Ghana,Yes,No\n",
         "line 3: expected 6 fields, found 5"),
        (HEADER + b'"Cocoa\nBeans",Agriculture,Ghana,Yes,No,No\nX,Mining,Ghana,Y,No,No\n',
         "line 4: child_labor must be Yes or No, found 'Y'"),
        (HEADER + b'Cocoa,Agriculture,Ghana,Yes,No,No\n"Gold,Mining,Ghana,Yes',
         "line 3: malformed CSV: unexpected end of data"),
        (HEADER + b"Cocoa,Agriculture,,Yes,No,No\n", "line 2: column 'country' is empty"),
        (HEADER + b"Caf\xe9,Agriculture,Ghana,Yes,No,No\n", "line 2: the file is not UTF-8"),
    ],
)  # fmt: skip
def test_csv_errors_name_their_line(data: bytes, expected: str):
    assert refusal(parse_csv, data).startswith(expected)


def test_format_is_told_by_extension_then_content():
    assert detect_format(b"good,sector", "list.XML") == "xml"
    assert detect_format(b"<Goods/>", "list.csv") == "csv"
    assert detect_format(b"\xef\xbb\xbf  <Goods/>") == "xml"
    assert detect_format(b"good,sector") == "csv"
    assert refusal(parse, b"<Goods></Goods>", "xml") == "the file lists no good-country pairs"


# --- resolution ----------------------------------------------------------------------------


def test_goods_resolve_by_exact_name_else_get_a_new_id():
    edition = resolve(
        [
            row(2, "Cocoa", "Côte d'Ivoire"),
            row(3, "Copper", "ghana"),
            row(4, "Clockwork Widgets", "People's Republic of China"),
            row(5, "Clockwork Widgets", "Ghana"),
        ],
        2030,
        GOODS,
        COUNTRIES,
    )
    assert [(x.row, x.good_id, x.good_name, x.country_iso3) for x in edition.listings] == [
        (1, "cocoa", "Cocoa", "CIV"),
        (2, "copper", "Copper", "GHA"),
        (3, "clockwork-widgets", "Clockwork Widgets", "CHN"),
        (4, "clockwork-widgets", "Clockwork Widgets", "GHA"),
    ]
    assert [(g.id, g.name, g.sector, g.kind) for g in edition.new_goods] == [
        ("clockwork-widgets", "Clockwork Widgets", "Mining", "good")
    ]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([row(9, "Cocoa", "Narnia")], "line 9: unknown country 'Narnia'"),
        ([row(5, "Cocoa", "Ghana"), row(8, "Cocoa", "ghana")],
         "line 8: Cocoa / ghana is listed twice (first on line 5)"),
        ([row(4, "Cocoa", "Ghana", child_labour=False)], "line 4: the row sets none of the labour"),
        ([row(3, "Chocolate", "Ghana")], "line 3: good 'Chocolate' would take the id of derived"),
        ([row(3, "COPPER", "Ghana")], "line 3: good 'COPPER' would take the id 'copper'"),
        ([SourceRow(6, "Widgets", "Textiles", "Ghana", True, False, False)],
         "line 6: unknown sector 'Textiles'"),
        ([row(2, "Copper", "Ghana", input_country="China")], "line 2: input_good/input_country"),
        ([row(7, "Lithium-Ion Batteries", "China", downstream=True, input_country="Ghana")],
         "line 7: cannot tell which listed input 'Lithium-Ion Batteries' is made from in Ghana"),
        ([row(7, "Lithium-Ion Batteries", "China", downstream=True, input_country="Mordor")],
         "line 7: unknown input country 'Mordor'"),
        ([row(7, "Lithium-Ion Batteries", "China", downstream=True, input_good="Chocolate",
              input_country="Ghana")], "line 7: input good 'Chocolate' is not a listed good"),
    ],
)  # fmt: skip
def test_resolution_refusals_name_their_line(rows: list[SourceRow], expected: str):
    assert refusal(resolve, rows, 2030, GOODS, COUNTRIES).startswith(expected)


def downstream_batteries(line: int = 3) -> SourceRow:
    return row(
        line,
        "Lithium-Ion Batteries",
        "China",
        child_labour=False,
        downstream=True,
        input_country="Congo, Democratic Republic of the",
    )


def test_downstream_input_comes_from_the_newest_earlier_edition():
    earlier = [
        Listing(2022, 9, "lithium-ion-batteries", "x", "CHN", "China", False, False, False,
                True, "copper", "COD"),
        Listing(2024, 9, "lithium-ion-batteries", "x", "CHN", "China", False, False, False,
                True, "cobalt-ore-heterogenite", "COD"),
    ]  # fmt: skip
    [listing] = resolve([downstream_batteries()], 2030, GOODS, COUNTRIES, earlier).listings
    assert (listing.input_good_id, listing.input_country_iso3) == ("cobalt-ore-heterogenite", "COD")
    assert listing.downstream and not listing.child_labour


def test_downstream_input_is_the_one_catalogue_input_listed_in_the_input_country():
    rows = [row(2, "Cobalt Ore (Heterogenite)", "Congo, Democratic Republic of the"),
            downstream_batteries()]  # fmt: skip
    listing = resolve(rows, 2030, GOODS, COUNTRIES).listings[1]
    assert listing.input_good_id == "cobalt-ore-heterogenite"


def test_downstream_input_is_ambiguous_when_several_inputs_are_listed():
    rows = [
        row(2, "Cobalt Ore (Heterogenite)", "Congo, Democratic Republic of the"),
        row(3, "Copper", "Congo, Democratic Republic of the"),
        downstream_batteries(4),
    ]
    message = refusal(resolve, rows, 2030, GOODS, COUNTRIES)
    assert message.startswith("line 4: cannot tell which listed input")
    assert "cobalt-ore-heterogenite, copper" in message and "input_good column" in message


def test_csv_input_good_may_be_an_id_or_a_name():
    for given in ("copper", "Copper"):
        batteries = row(3, "Lithium-Ion Batteries", "China", downstream=True,
                        input_good=given, input_country="Ghana")  # fmt: skip
        [listing] = resolve([batteries], 2030, GOODS, COUNTRIES).listings
        assert (listing.input_good_id, listing.input_country_iso3) == ("copper", "GHA")


# --- writing -------------------------------------------------------------------------------


def test_written_files_read_back_through_the_loader(tmp_path: Path):
    rows = [row(2, "Cocoa", "Ghana"), row(3, "Clockwork Widgets", "China"), downstream_batteries()]
    rows.insert(0, row(1, "Cobalt Ore (Heterogenite)", "Congo, Democratic Republic of the"))
    edition = resolve(rows, 2030, GOODS, COUNTRIES)
    (tmp_path / "edition.csv").write_text(edition_csv(edition.listings), encoding="utf-8")
    (tmp_path / "goods.toml").write_text(goods_toml(edition.new_goods), encoding="utf-8")
    reader = FileReader(tmp_path)
    assert tuple(read_edition(reader, "edition.csv", 2030)) == edition.listings
    assert tuple(read_goods(reader, "goods.toml", "good", "good")) == edition.new_goods
    assert reader.problems == []


def test_hand_curated_broader_goods_survive_a_rewrite_of_the_imported_goods(tmp_path: Path):
    # A later import rewrites goods/imported.toml from the goods read back from it.
    curated = replace(good("clockwork-widgets", "Clockwork Widgets"), broader=("cobalt",))
    (tmp_path / "goods.toml").write_text(goods_toml([curated]), encoding="utf-8")
    reader = FileReader(tmp_path)
    assert read_goods(reader, "goods.toml", "good", "good") == [curated]

"""JSON supplier lists (as other tools send them through the API): one object per row."""

from __future__ import annotations

import json

import pytest

from supplychain.ingest import IngestError, IngestLimits, propose_mapping, read_table, records


def rows_of(data: bytes) -> list[tuple[int, list[str]]]:
    return [(row.number, row.cells) for row in read_table(data, "erp.json").rows()]


def test_a_list_of_objects_is_a_table_with_values_as_written():
    data = json.dumps(
        [
            {"Supplier": "Acme", "Country": "CN", "Product": "T-shirts", "Spend": 1200.50},
            {"Supplier": "Beta", "Product": "Gold", "Spend": 10, "Tier": 2, "Active": True},
            {"Supplier": None, "Country": "", "Product": None},
        ]
    ).encode()

    table = read_table(data, "erp.json")

    assert table.kind == "json" and table.headers == (
        "Supplier", "Country", "Product", "Spend", "Tier", "Active",
    )  # fmt: skip
    assert rows_of(data) == [
        (1, ["Acme", "CN", "T-shirts", "1200.5", "", ""]),
        (2, ["Beta", "", "Gold", "10", "2", "true"]),
        (3, ["", "", "", "", "", ""]),
    ]
    mapping = propose_mapping(table.headers)
    stream = records(table, mapping)
    found = list(stream)
    assert [record.row_number for record in found] == [1, 2]  # the empty item is skipped
    assert found[0].supplier_name == "Acme" and str(found[0].spend) == "1200.5"
    assert stream.summary.empty_rows_skipped == 0 and stream.summary.rows_read == 3


def test_rows_under_a_key_and_any_encoding():
    data = json.dumps({"rows": [{"Fournisseur": "Café Zoé", "Pays": "CI"}]}, ensure_ascii=False)
    table = read_table(data.encode("utf-16"), "erp.json")
    assert [row.cells for row in table.rows()] == [["Café Zoé", "CI"]]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b'[{"Supplier": "Acme", "Country": "CN"', "not valid JSON at line 1"),  # truncated
        (b'{"suppliers": []}', "expected a JSON list of objects"),
        (b'["Acme", "Beta"]', "item 1 is a str, not an object"),
        (b'[{"Supplier": "Acme", "Tags": ["a", "b"]}]', "item 1, 'Tags' holds a nested list"),
        (b"[]", "has no rows with data"),
        (b'[{"Supplier": null}]', "has no rows with data"),
        (b"\x00\x01\x02\x03binary", "is not a text (JSON) file"),
    ],
)
def test_bad_json_is_refused_saying_what_and_where(body: bytes, expected: str):
    with pytest.raises(IngestError, match=r"erp\.json") as caught:
        read_table(body, "erp.json")
    assert expected in str(caught.value)


def test_json_limits_are_the_same_as_for_other_files():
    data = json.dumps([{"Supplier": f"S{n}", "Country": "CN"} for n in range(11)]).encode()
    with pytest.raises(IngestError, match="11 data rows; at most 10") as caught:
        read_table(data, "erp.json", limits=IngestLimits(max_rows=10))
    assert caught.value.errors["code"] == "too_many_rows"
    wide = json.dumps([{f"k{n}": "x" for n in range(6)}]).encode()
    with pytest.raises(IngestError, match="at most 5 columns"):
        read_table(wide, "erp.json", limits=IngestLimits(max_columns=5))
    with pytest.raises(IngestError, match="accepted"):
        read_table(data, "erp.json", limits=IngestLimits(max_bytes=10))

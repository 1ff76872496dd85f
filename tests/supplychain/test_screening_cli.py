"""`supplychain screen suppliers`: one JSON object per input line, in order."""

from __future__ import annotations

import json


def run(runner, text: str, *args: str):
    result = runner.invoke(args=["screen", "suppliers", *args], input=text)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines()]


def test_one_object_per_line_in_order_blank_lines_included(runner):
    lines = ["Hetian Taida Apparel Co., Ltd.", "", "Acme Widgets", "  ", "Top Glove Sdn Bhd"]
    records = run(runner, "\n".join(lines) + "\n")
    assert [r["query"] for r in records] == [line.strip() for line in lines]
    assert records[1]["hits"] == records[3]["hits"] == []
    assert records[0]["hits"][0]["match"] is True
    assert records[4]["hits"][0]["entity_id"] == "cbp-wro-045"


def test_a_tab_separates_a_free_text_country(runner):
    records = run(runner, "Top Glove\tMalaysia\nTop Glove\tUS\nTop Glove\n")
    assert [r["country"] for r in records] == ["MYS", "USA", None]
    scores = [r["hits"][0]["score"] for r in records]
    assert scores[0] > scores[2] > scores[1]


def test_windows_line_endings_and_a_last_line_without_newline(runner):
    records = run(runner, "Top Glove\tMY\r\nAcme\r\nXPCC")
    assert [r["query"] for r in records] == ["Top Glove", "Acme", "XPCC"]
    assert records[0]["country"] == "MYS"
    assert records[2]["hits"][0]["method"] == "alias"


def test_an_unrecognised_country_is_a_warning_not_an_error(runner):
    (record,) = run(runner, "Top Glove\tNarnia\n")
    assert record["country"] is None and "Narnia" in record["warnings"][0]


def test_repeated_lines_give_repeated_answers(runner):
    records = run(runner, "Camel Group\n" * 3)
    assert len(records) == 3 and records[0] == records[1] == records[2]


def test_reads_a_file_argument(runner, tmp_path):
    source = tmp_path / "suppliers.tsv"
    source.write_text("Ninestar Corporation\tCN\nGiant Eagle Inc.\tUSA\n", encoding="utf-8")
    first, second = run(runner, "", str(source))
    assert first["hits"][0]["entity_id"] == "uflpa-013" and first["hits"][0]["match"]
    assert all(not hit["match"] for hit in second["hits"])


def test_empty_input_writes_nothing(runner):
    assert run(runner, "") == []

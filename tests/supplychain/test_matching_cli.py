"""`supplychain match goods|countries`: one JSON object per input line, in order."""

from __future__ import annotations

import json

import pytest
from flask.testing import FlaskCliRunner

from supplychain.services import matching


def run(runner: FlaskCliRunner, kind: str, text: str) -> list[dict]:
    result = runner.invoke(args=["match", kind], input=text)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines()]


def test_goods_one_object_per_line_blank_lines_included(runner: FlaskCliRunner):
    lines = ["cotton t-shirts", "", "HS 1801.00", "software", "chocolate bars", ""]
    records = run(runner, "goods", "\n".join(lines) + "\n")
    assert [r["query"] for r in records] == lines
    assert [r["decision"] for r in records] == [
        "accepted", "none", "accepted", "none", "none", "none",
    ]  # fmt: skip
    assert records[0]["match"]["name"] == "Garments"
    assert records[2]["match"]["name"] == "Cocoa"
    assert records[4]["derived"]["name"] == "Chocolate"
    assert all(
        set(r) >= {"query", "decision", "match", "candidates", "explanation"} for r in records
    )


def test_countries_one_object_per_line_with_windows_line_endings(runner: FlaskCliRunner):
    records = run(runner, "countries", "CN\r\n\r\nViet Nam\r\nN/A\r\nNew Jersey")
    assert [r["query"] for r in records] == ["CN", "", "Viet Nam", "N/A", "New Jersey"]
    assert [r["match"]["iso3"] if r["match"] else None for r in records] == [
        "CHN", None, "VNM", None, "USA",
    ]  # fmt: skip


def test_order_holds_across_chunks(runner: FlaskCliRunner, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(matching, "CHUNK", 2)
    lines = ["Mali", "Malawi", "", "Niger", "Nigeria", "Iran", "Iraq"]
    records = run(runner, "countries", "\n".join(lines))
    assert [r["query"] for r in records] == lines
    assert [r["match"]["iso3"] if r["match"] else None for r in records] == [
        "MLI", "MWI", None, "NER", "NGA", "IRN", "IRQ",
    ]  # fmt: skip


def test_empty_input_writes_nothing(runner: FlaskCliRunner):
    assert run(runner, "goods", "") == []


def test_reads_a_file_argument(runner: FlaskCliRunner, tmp_path):
    source = tmp_path / "goods.txt"
    source.write_text("0901.11\ncocoa beans\n", encoding="utf-8")
    result = runner.invoke(args=["match", "goods", str(source)])
    assert result.exit_code == 0
    names = [json.loads(line)["match"]["name"] for line in result.output.splitlines()]
    assert names == ["Coffee", "Cocoa"]

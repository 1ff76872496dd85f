"""`supplychain match goods|countries`: one JSON object per input line, in order."""

from __future__ import annotations

import gc
import json

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner

from risk_models.matching.goods import GoodsMatcher
from supplychain.services import matching
from supplychain.services.refdata import get_reference


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


def test_a_large_batch_of_new_strings_answers_as_one_process_would(
    runner: FlaskCliRunner, app: Flask
):
    """The command shares large batches with a forked helper (where it may fork) and pauses
    the collector while it streams: neither changes an answer, and the collector is back."""
    lines = [f"{word} lot {n}" for n in range(700) for word in ("cotton t-shirts", "tyres")]
    records = run(runner, "goods", "\n".join(lines))
    reference = get_reference(app.config)
    limits = matching.thresholds(app.config, "GOODS")
    fresh = GoodsMatcher.from_reference(reference)  # nothing remembered from the command
    alone = [matching.goods_record(r, reference, limits) for r in fresh.match_many(lines)]
    assert records == json.loads(json.dumps(alone))
    assert {r["decision"] for r in records[::2]} == {"accepted"}
    assert {r["decision"] for r in records[1::2]} == {"none"}
    assert gc.isenabled()

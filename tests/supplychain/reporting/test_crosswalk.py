"""Which S-211 parts meet the UK and Australian statement items."""

from __future__ import annotations

from supplychain.reporting.crosswalk import AU_ITEMS, MAPPING, UK_ITEMS, crosswalk, uncovered
from supplychain.reporting.model import BilingualText, ReportSection
from tests.supplychain.reporting.builders import sample_report


def test_every_uk_item_and_all_au_items_but_consultation_have_an_s211_part():
    mapped = {(law, item) for links in MAPPING.values() for law, item, _ in links}
    assert {("uk", i.id) for i in UK_ITEMS} <= mapped
    assert {("au", i.id) for i in AU_ITEMS} - mapped == {("au", "f")}


def test_rows_say_what_each_part_covers_and_whether_it_is_filled():
    rows = {row.section: row for row in crosswalk(sample_report("en"))}
    assert list(rows) == ["entity", "a", "b", "c", "d", "e", "f", "g"]
    assert [i.ref for i, _ in rows["f"].uk] == ["UK MSA s.54(5)(f)"]
    assert [(i.ref, c) for i, c in rows["g"].au] == [("AU MSA s.16(1)(e)", "full")]
    assert all(row.filled for row in rows.values())


def test_a_complete_report_leaves_only_the_australian_consultation_item():
    assert [i.ref for i in uncovered(sample_report("en"))] == ["AU MSA s.16(1)(f)"]


def test_an_empty_section_uncovers_its_items():
    report = sample_report("en")
    report.sections["f"] = ReportSection("f")
    assert not {row.section: row for row in crosswalk(report)}["f"].filled
    refs = [i.ref for i in uncovered(report)]
    assert "UK MSA s.54(5)(f)" in refs
    assert "AU MSA s.16(1)(d)" in refs  # covered only by (b), (c), (d) and (f) together


def test_a_bilingual_report_needs_both_languages_to_count_as_filled():
    report = sample_report("both")
    report.sections["g"].text = BilingualText(en="We track grievances.")
    assert not {row.section: row for row in crosswalk(report)}["g"].filled

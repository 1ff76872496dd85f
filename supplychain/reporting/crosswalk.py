"""Which parts of an S-211 report also cover the UK and Australian modern slavery statements.

The items are paraphrased: UK Modern Slavery Act 2015, s.54(5)(a)-(f) (what a slavery and
human trafficking statement may include) and Australian Modern Slavery Act 2018, s.16(1)(a)-(g)
(what a modern slavery statement must do). A mapping says a report part "fully" or "partly"
covers an item; it is a drafting aid, not legal advice: the UK and Australian acts speak of
modern slavery and human trafficking, wider than forced and child labour, so even a "full"
match may need a sentence more.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from supplychain.reporting.model import SECTIONS, Report

Coverage = Literal["full", "partial"]


@dataclass(frozen=True)
class ForeignItem:
    """One item of a foreign statement law."""

    law: Literal["uk", "au"]
    id: str  # "a".."g"
    text: str

    @property
    def ref(self) -> str:
        return f"{'UK MSA s.54(5)' if self.law == 'uk' else 'AU MSA s.16(1)'}({self.id})"


UK_ITEMS = (
    ForeignItem("uk", "a", "the organisation's structure, its business and its supply chains"),
    ForeignItem("uk", "b", "its policies on slavery and human trafficking"),
    ForeignItem("uk", "c", "its due diligence processes on slavery and human trafficking"),
    ForeignItem(
        "uk",
        "d",
        "the parts of its business and supply chains at risk, and the steps taken to assess "
        "and manage that risk",
    ),
    ForeignItem(
        "uk", "e", "its effectiveness, measured against performance indicators it finds suitable"
    ),
    ForeignItem("uk", "f", "the training on slavery and human trafficking available to staff"),
)
AU_ITEMS = (
    ForeignItem("au", "a", "identify the reporting entity"),
    ForeignItem("au", "b", "describe its structure, operations and supply chains"),
    ForeignItem(
        "au",
        "c",
        "describe the modern slavery risks in its operations and supply chains, and those of "
        "entities it owns or controls",
    ),
    ForeignItem(
        "au",
        "d",
        "describe the actions taken to assess and address those risks, including due diligence "
        "and remediation",
    ),
    ForeignItem("au", "e", "describe how it assesses the effectiveness of those actions"),
    ForeignItem(
        "au", "f", "describe the consultation with entities it owns or controls (joint statements)"
    ),
    ForeignItem("au", "g", "any other information it considers relevant"),
)
ITEMS: dict[tuple[str, str], ForeignItem] = {(i.law, i.id): i for i in (*UK_ITEMS, *AU_ITEMS)}

# S-211 part -> ((law, item, coverage), ...). "entity" is the identifying information.
MAPPING: dict[str, tuple[tuple[str, str, Coverage], ...]] = {
    "entity": (("au", "a", "full"),),
    "a": (("uk", "a", "full"), ("au", "b", "full")),
    "b": (("uk", "b", "full"), ("uk", "c", "full"), ("au", "d", "partial")),
    "c": (("uk", "d", "full"), ("au", "c", "full"), ("au", "d", "partial")),
    "d": (("au", "d", "partial"),),
    "e": (("au", "g", "partial"),),
    "f": (("uk", "f", "full"), ("au", "d", "partial")),
    "g": (("uk", "e", "full"), ("au", "e", "full")),
}


@dataclass(frozen=True)
class CrosswalkRow:
    """One part of the S-211 report, whether it is filled, and the foreign items it covers."""

    section: str
    filled: bool
    uk: tuple[tuple[ForeignItem, Coverage], ...]
    au: tuple[tuple[ForeignItem, Coverage], ...]


def _filled(report: Report, part: str) -> bool:
    if part == "entity":
        return bool(report.entity.legal_name.strip())
    return all(report.section(part).filled(lang) for lang in report.langs)


def crosswalk(report: Report) -> list[CrosswalkRow]:
    """Return, for the entity details and each of (a)-(g), the UK and AU items it covers."""
    rows = []
    for part in ("entity", *SECTIONS):
        covered = [(ITEMS[(law, item)], coverage) for law, item, coverage in MAPPING[part]]
        rows.append(
            CrosswalkRow(
                section=part,
                filled=_filled(report, part),
                uk=tuple(c for c in covered if c[0].law == "uk"),
                au=tuple(c for c in covered if c[0].law == "au"),
            )
        )
    return rows


def uncovered(report: Report) -> list[ForeignItem]:
    """Return the UK and AU items the filled parts of the report do not cover.

    An item is covered by any filled part that covers it in full, or, when no part covers it
    in full, by all the parts that cover it partly being filled (AU (d) = (b) + (c) + (d) +
    (f)). Australia's s.16(1)(f) (consultation with owned or controlled entities) has no S-211
    counterpart and is always listed; (g) is optional and never listed.
    """
    filled = {row.section for row in crosswalk(report) if row.filled}
    missing = []
    for key, item in ITEMS.items():
        if key == ("au", "g"):
            continue
        parts = {
            part: coverage
            for part, links in MAPPING.items()
            for law, item_id, coverage in links
            if (law, item_id) == key
        }
        full = [part for part, coverage in parts.items() if coverage == "full"]
        covered = (
            any(part in filled for part in full) if full else bool(parts) and set(parts) <= filled
        )
        if not covered:
            missing.append(item)
    return missing

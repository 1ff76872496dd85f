"""Benchmark: how often the matchers are right, against labelled sets and a plain baseline.

Reads bench/data/goods_eval.csv (query, expected, kind: expected is the ILAB good name, empty
when the query is not a listed good), countries_eval.csv (query, expected_iso3, kind) and
suppliers_eval.csv (query, country, expected_name, kind: expected_name is the entity name as
listed, empty when the supplier is on no list), and goods_probes.csv, the goods probes (same
columns; `expected` may list names accepted alike, "Bricks (clay)|Bricks"). For each matcher
it prints

- top-1 accuracy on listed items: the accepted-or-review match is the expected entry;
- false-match rate on unlisted items: any accepted-or-review match where none is expected;
- the same per kind of query;

next to a plain baseline, rapidfuzz.process.extractOne with WRatio over the reference names
(names only) and score_cutoff at the review threshold. Thresholds are the shipped defaults
(supplychain/config.py). Targets: goods top-1 >= 95% with <= 3% false matches; countries
>= 99%; suppliers recall >= 98% with <= 1% false hits.

    .venv/bin/python bench/match_quality.py [--data DIR] [--show-misses]
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rapidfuzz import fuzz, process  # noqa: E402

from reference_data import ReferenceData, load_reference_data, normalise_name  # noqa: E402
from risk_models.matching.countries import CountryMatcher  # noqa: E402
from risk_models.matching.goods import GoodsMatcher  # noqa: E402
from risk_models.matching.result import MatchResult, Thresholds  # noqa: E402
from supplychain.config import DEFAULTS  # noqa: E402

# A prediction: the matched entry's comparison key, or None for no match.
Predict = Callable[[Sequence[dict[str, str]]], list[str | None]]


@dataclass
class Tally:
    """Counts for one matcher (or one kind of query)."""

    listed: int = 0
    right: int = 0
    unlisted: int = 0
    false: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, expected: str, got: str | None, query: str) -> None:
        if expected:
            self.listed += 1
            right = got in expected.split("|")  # names accepted alike
            self.right += right
            if not right:
                self.misses.append(f"{query!r}: expected {expected!r}, got {got!r}")
        else:
            self.unlisted += 1
            self.false += got is not None
            if got is not None:
                self.misses.append(f"{query!r}: expected no match, got {got!r}")

    def accuracy(self) -> str:
        return f"{self.right / self.listed:7.1%}" if self.listed else "      -"

    def false_rate(self) -> str:
        return f"{self.false / self.unlisted:7.1%}" if self.unlisted else "      -"


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


def decided(results: Sequence[MatchResult], limits: Thresholds) -> list[str | None]:
    """Return the best candidate's id where the decision is accepted or review."""
    return [
        r.best.id if r.best and limits.decide(r.best.score) != "none" else None for r in results
    ]


def baseline(names: dict[str, str], cutoff: float) -> Predict:
    """extractOne with WRatio over the names (key -> name), score_cutoff at review."""
    keys, choices = list(names), list(names.values())

    def predict(queries: Sequence[str]) -> list[str | None]:
        out: list[str | None] = []
        for query in queries:
            hit = process.extractOne(query, choices, scorer=fuzz.WRatio, score_cutoff=cutoff)
            out.append(keys[hit[2]] if hit else None)
        return out

    return lambda rows: predict([r["query"] for r in rows])


def evaluate(
    rows: Sequence[dict[str, str]], expected: Callable[[dict[str, str]], str], predict: Predict
) -> tuple[Tally, dict[str, Tally]]:
    total, kinds = Tally(), defaultdict(Tally)
    for row, got in zip(rows, predict(rows), strict=True):
        total.add(expected(row), got, row["query"])
        kinds[row.get("kind", "") or "-"].add(expected(row), got, row["query"])
    return total, dict(sorted(kinds.items()))


def report(title: str, target: str, engine, plain, show_misses: bool) -> None:
    (total, kinds), (base_total, base_kinds) = engine, plain
    print(f"\n{title}   (target: {target})")
    print(f"  {'':28} {'engine':>17}   {'baseline':>17}")
    print(f"  {'':28} {'top-1':>7} {'false':>9}   {'top-1':>7} {'false':>9}")
    line = "  {:28} {} {} {:>3}   {} {}"
    print(
        line.format(
            f"all ({total.listed} listed, {total.unlisted} not)",
            total.accuracy(),
            total.false_rate(),
            "",
            base_total.accuracy(),
            base_total.false_rate(),
        )
    )
    for kind, tally in kinds.items():
        base = base_kinds.get(kind, Tally())
        label = f"  {kind} ({tally.listed + tally.unlisted})"
        print(
            line.format(
                label, tally.accuracy(), tally.false_rate(), "", base.accuracy(), base.false_rate()
            )
        )
    if show_misses:
        for miss in total.misses:
            print(f"    miss: {miss}")


def goods(
    reference: ReferenceData,
    rows,
    show_misses: bool,
    title: str = "Goods: product descriptions and HS codes -> listed goods",
) -> None:
    limits = Thresholds(DEFAULTS["MATCH_GOODS_ACCEPT"], DEFAULTS["MATCH_GOODS_REVIEW"])
    matcher = GoodsMatcher.from_reference(reference)
    names = {g.id: g.name for g in reference.goods.values() if g.kind == "good"}
    by_name = {normalise_name(g.name): g.id for g in reference.goods.values()}

    def expected(row: dict[str, str]) -> str:
        alternatives = [n for n in row["expected"].split("|") if n]
        return "|".join(by_name.get(normalise_name(n), n) for n in alternatives)

    def engine(rows):
        return decided(matcher.match_many([r["query"] for r in rows]), limits)

    unknown = {
        r["expected"]
        for r in rows
        if r["expected"] and any(i not in names for i in expected(r).split("|"))
    }
    if unknown:
        print(f"\nwarning: {len(unknown)} expected good name(s) are not in the catalogue")

    report(
        title,
        "top-1 >= 95%, false matches <= 3%",
        evaluate(rows, expected, engine),
        evaluate(rows, expected, baseline(names, limits.review)),
        show_misses,
    )


def countries(reference: ReferenceData, rows, show_misses: bool) -> None:
    limits = Thresholds(DEFAULTS["MATCH_COUNTRIES_ACCEPT"], DEFAULTS["MATCH_COUNTRIES_REVIEW"])
    matcher = CountryMatcher.from_reference(reference)
    names = {c.iso3: c.name_en for c in reference.countries.values()}

    def engine(rows):
        return decided(matcher.match_many([r["query"] for r in rows]), limits)

    report(
        "Countries: country strings -> ISO 3166",
        "top-1 >= 99%",
        evaluate(rows, lambda r: r["expected_iso3"].upper(), engine),
        evaluate(rows, lambda r: r["expected_iso3"].upper(), baseline(names, limits.review)),
        show_misses,
    )


def entity_key(name: str) -> str:
    """Return the comparison key of an entity name, bracketed parts left out.

    The labels spell an entity as the source does ("Shenyang Xinsheng (New Life) Rubber
    Factory", "British American Tobacco Malawi (BAT Malawi)"); the shipped list keeps the
    bracketed translation or acronym as an alias and the rest as the name. Both sides are
    read without brackets, so a label names the entity however its brackets were filed.
    """
    return normalise_name(_BRACKETED.sub(" ", name))


_BRACKETED = re.compile(r"\([^)]*\)")


def suppliers(reference: ReferenceData, rows, show_misses: bool) -> None:
    from risk_models.matching.suppliers import SupplierScreener

    limits = Thresholds(DEFAULTS["SCREEN_SUPPLIERS_ACCEPT"], DEFAULTS["SCREEN_SUPPLIERS_REVIEW"])
    screener = SupplierScreener(reference)
    entities = {e.entity_id: e.name for e in reference.entities}

    def expected(row: dict[str, str]) -> str:
        return entity_key(row["expected_name"]) if row["expected_name"] else ""

    places = CountryMatcher.from_reference(reference)
    country_limits = Thresholds(
        DEFAULTS["MATCH_COUNTRIES_ACCEPT"], DEFAULTS["MATCH_COUNTRIES_REVIEW"]
    )

    def iso3(text: str) -> str | None:
        """Read the country column: an ISO alpha-3 code, or any way to write a country."""
        if not text:
            return None
        if text.isupper() and text in reference.countries:
            return text
        best = places.match(text).best
        return best.id if best and country_limits.decide(best.score) == "accepted" else None

    def engine(rows):
        pairs = [(r["query"], iso3(r.get("country", ""))) for r in rows]
        results = screener.screen_many(pairs)
        return [
            entity_key(r.best.name) if r.best and limits.decide(r.best.score) != "none" else None
            for r in results
        ]

    plain = baseline(entities, limits.review)

    def plain_names(rows):
        return [entity_key(entities[k]) if k else None for k in plain(rows)]

    report(
        "Suppliers: supplier names -> enforcement-list entities",
        "recall >= 98%, false hits <= 1%",
        evaluate(rows, expected, engine),
        evaluate(rows, expected, plain_names),
        show_misses,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "bench" / "data")
    parser.add_argument("--show-misses", action="store_true", help="list every miss")
    args = parser.parse_args()
    reference = load_reference_data()
    print(f"reference data {reference.version}; thresholds from supplychain/config.py")
    for name, run in (("goods", goods), ("countries", countries), ("suppliers", suppliers)):
        path = args.data / f"{name}_eval.csv"
        if not path.exists():
            print(f"\n{path} not found; skipped")
            continue
        run(reference, read_rows(path), args.show_misses)
    probes = args.data / "goods_probes.csv"
    if probes.exists():
        title = "Goods probes: written apart from the matcher, then used to improve it"
        goods(reference, read_rows(probes), args.show_misses, title)


if __name__ == "__main__":
    main()

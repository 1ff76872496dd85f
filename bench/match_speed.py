"""Benchmark: match 10k, 100k and 1M rows of (product, country, supplier) like real lists.

Rows are generated from the shipped reference data: messy product descriptions (case, ERP
abbreviations, sizes, SKU codes, HS codes, unlisted products), country strings (codes, names,
French names, aliases, "City, Country" places, misspellings, "N/A") and supplier names (a few
thousand made-up companies and listed entities with legal-form variants), drawn with the
heavy-tailed repetition real supplier lists have. Each size runs in its own process, so the
peak memory (maxrss) is that size's. The naive baseline (rapidfuzz extractOne with WRatio
over the names, per row) runs on a sample and is extrapolated.

    .venv/bin/python bench/match_speed.py                       # 10k, 100k, 1M
    .venv/bin/python bench/match_speed.py --sizes 10000 --distinct 100000
    .venv/bin/python bench/match_speed.py --distinct 1000000    # the all-different worst case

Targets (2-core machine): 1M rows of goods + countries + suppliers under 10 s, at least 100x
the baseline's rows per second, peak memory under 1 GB; 1M all-distinct rows under 60 s.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reference_data import ReferenceData, load_reference_data  # noqa: E402

if TYPE_CHECKING:
    from risk_models.matching.countries import CountryMatcher
    from risk_models.matching.goods import GoodsMatcher
    from risk_models.matching.suppliers import SupplierScreener

Row = tuple[str, str, str]
CHUNK = 10_000

DESCRIPTORS = [
    "100% cotton", "mens", "ladies", "kids", "organic", "frozen", "fresh", "premium", "bulk",
    "grade A", "export quality", "assorted", "new", "black", "white", "size M", "XL", "pack of 6",
    "25kg bag", "500 g", "180GSM", "1x20ft", "IQF", "dried", "raw", "refined", "style 2024",
    "for retail", "wholesale", "natural", "handmade", "printed", "knit", "woven", "blue", "red",
    "long sleeve", "set", "pcs", "carton",
]  # fmt: skip
UNLISTED = [
    "office chairs", "ball valves", "software licence", "steel pipes 2in", "paper cups",
    "freight services", "paracetamol 500mg", "plastic bottles", "coffee machine",
    "rice cooker", "gold-plated connector", "LED bulbs", "printer toner", "spare parts",
    "packaging film", "cleaning services", "hand sanitizer", "safety helmets", "forklift rental",
    "cotton candy machine", "copper pipe fittings", "glass cleaner", "tea towels",
]  # fmt: skip
ABBREVIATE = {"cotton": "CTN", "t-shirts": "TSHIRT", "mens": "MENS", "pieces": "PCS"}
CITIES = [
    "Shenzhen", "Guangzhou", "Dhaka", "Ho Chi Minh City", "Tirupur", "Karachi", "Istanbul",
    "Jakarta", "Bangkok", "Lima", "Abidjan", "Accra", "Sao Paulo", "Mumbai", "Lahore",
    "Yangon", "Phnom Penh", "Colombo", "Nairobi", "Quito",
]  # fmt: skip
COMPANY_WORDS = [
    "golden", "star", "textile", "trading", "import", "export", "global", "green", "river",
    "mountain", "apparel", "garment", "foods", "seafood", "sunrise", "pacific", "ocean",
    "united", "royal", "eastern", "harvest", "prime", "silver", "lotus", "phoenix", "delta",
    "crown", "eagle", "summit", "orient", "atlas", "zenith", "coastal", "valley", "metro",
]  # fmt: skip
LEGAL_FORMS = [
    "Co., Ltd.", "Co Ltd", "Ltd", "Limited", "Inc.", "LLC", "GmbH", "S.A.", "Pvt Ltd",
    "Corp", "Company Limited", "PLC", "JSC", "SARL", "",
]  # fmt: skip


def zipf_weights(count: int, exponent: float = 1.1) -> list[float]:
    """Return cumulative weights of a heavy-tailed (Zipf) draw over `count` items."""
    total, cumulative = 0.0, []
    for rank in range(1, count + 1):
        total += rank**-exponent
        cumulative.append(total)
    return cumulative


def messy(text: str, rng: random.Random) -> str:
    """Write a name the way buyers do: case, abbreviations, extra words, sizes, codes."""
    words = text.split()
    if rng.random() < 0.3:
        words = [ABBREVIATE.get(w.lower(), w) for w in words]
    if rng.random() < 0.5:
        words.insert(rng.randrange(len(words) + 1), rng.choice(DESCRIPTORS))
    if rng.random() < 0.2:
        words.append(f"SKU{rng.randrange(10**5):05d}")
    out = " ".join(words)
    roll = rng.random()
    return out.upper() if roll < 0.3 else out.lower() if roll < 0.5 else out


def product_pool(reference: ReferenceData, rng: random.Random, size: int = 6000) -> list[str]:
    """Return distinct product descriptions: listed and derived goods, codes, unlisted."""
    names = [n for g in reference.goods.values() for n in (g.name, *g.aliases, *g.aliases_fr)]
    codes = [c for g in reference.goods.values() for c in g.hs]
    pool: set[str] = set()
    while len(pool) < size:
        roll = rng.random()
        if roll < 0.75:
            pool.add(messy(rng.choice(names), rng))
        elif roll < 0.85:
            code = rng.choice(codes)
            pool.add(rng.choice(["", "HS ", "HTS "]) + f"{code[:4]}.{code[4:]}".rstrip("."))
        else:
            pool.add(messy(rng.choice(UNLISTED), rng))
    return sorted(pool)


def country_pool(reference: ReferenceData, rng: random.Random, size: int = 800) -> list[str]:
    """Return distinct country strings: codes, names, aliases, places, slips, unknowns."""
    countries = list(reference.countries.values())
    aliases = [a.alias for a in reference.country_aliases]
    pool: set[str] = {"N/A", "Unknown", "TBD", "Various", ""}
    while len(pool) < size:
        country = rng.choice(countries)
        roll = rng.random()
        if roll < 0.2:
            pool.add(rng.choice([country.iso2, country.iso3, country.iso2.lower()]))
        elif roll < 0.5:
            pool.add(rng.choice([country.name_en, country.name_en.upper(), country.name_fr]))
        elif roll < 0.65:
            pool.add(rng.choice(aliases))
        elif roll < 0.9:
            pool.add(f"{rng.choice(CITIES)}, {country.name_en}")
        else:
            name = country.name_en
            cut = rng.randrange(1, max(2, len(name) - 1))
            pool.add(name[:cut] + name[cut + 1 :])
    return sorted(pool)


def company(rng: random.Random) -> str:
    """Make up a company name."""
    words = rng.sample(COMPANY_WORDS, rng.choice([2, 2, 3]))
    return " ".join(w.title() for w in words) + " " + rng.choice(LEGAL_FORMS)


def supplier_pool(reference: ReferenceData, rng: random.Random, size: int = 3000) -> list[str]:
    """Return distinct supplier names: made-up companies plus listed entities, re-spelt."""
    listed = [e.name for e in reference.entities]
    pool: set[str] = set()
    while len(pool) < size:
        if rng.random() < 0.05 and listed:
            name = rng.choice(listed)
            pool.add(rng.choice([name, name.upper(), name.replace(",", ""), name + " Ltd"]))
        else:
            pool.add(company(rng).strip())
    return sorted(pool)


def realistic_rows(reference: ReferenceData, count: int, seed: int = 7) -> list[Row]:
    """Rows of a supplier list: each supplier has a country and a few products."""
    rng = random.Random(seed)
    products = product_pool(reference, rng)
    countries = country_pool(reference, rng)
    suppliers = supplier_pool(reference, rng)
    profile = [
        (name, rng.choice(countries), [rng.choice(products) for _ in range(rng.randint(1, 8))])
        for name in suppliers
    ]
    weights = zipf_weights(len(profile))
    rows = []
    for supplier, country, sold in rng.choices(profile, cum_weights=weights, k=count):
        rows.append((rng.choice(sold), country, supplier))
    return rows


def distinct_rows(reference: ReferenceData, count: int, seed: int = 11) -> list[Row]:
    """Rows whose three strings are all different from every other row's."""
    rng = random.Random(seed)
    products = product_pool(reference, rng)
    countries = [c.name_en for c in reference.countries.values()]
    rows = []
    for n in range(count):
        product = f"{rng.choice(DESCRIPTORS)} {rng.choice(products)} {rng.choice(DESCRIPTORS)}"
        country = f"{n} {rng.choice(COMPANY_WORDS).title()} Road, {rng.choice(CITIES)}"
        country += f", {rng.choice(countries)}"
        rows.append((f"{product} lot {n}", country, f"{company(rng)} {n}".strip()))
    return rows


def stream(
    goods: GoodsMatcher,
    countries: CountryMatcher,
    screener: SupplierScreener,
    rows: list[Row],
    processes: int,
    timings: dict[str, float],
) -> None:
    """Match the rows a chunk at a time, adding each matcher's seconds to `timings`."""
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        began = time.perf_counter()
        goods.match_many([r[0] for r in chunk], processes=processes)
        timings["goods_s"] += time.perf_counter() - began
        began = time.perf_counter()
        found = countries.match_many([r[1] for r in chunk], processes=processes)
        timings["countries_s"] += time.perf_counter() - began
        iso3 = [r.best.id if r.best and r.best.score >= 75 else None for r in found]
        began = time.perf_counter()
        pairs = [(r[2], code) for r, code in zip(chunk, iso3, strict=True)]
        screener.screen_many(pairs, processes=processes)
        timings["suppliers_s"] += time.perf_counter() - began


def run_engine(mode: str, count: int, processes: int) -> dict[str, float]:
    """Time the engine on one generated list (called in a fresh process)."""
    from risk_models.matching.collector import collector_paused
    from risk_models.matching.countries import CountryMatcher
    from risk_models.matching.goods import GoodsMatcher
    from risk_models.matching.suppliers import SupplierScreener

    reference = load_reference_data()
    rows = realistic_rows(reference, count) if mode == "repeat" else distinct_rows(reference, count)
    started = time.perf_counter()
    goods, countries = (
        GoodsMatcher.from_reference(reference),
        CountryMatcher.from_reference(reference),
    )
    screener = SupplierScreener(reference)
    built = time.perf_counter() - started
    timings: dict[str, float] = {"rows": count, "build_s": built}
    timings.update(goods_s=0.0, countries_s=0.0, suppliers_s=0.0)
    # Streamed in chunks, as `supplychain match` and the jobs do: results are written out
    # and dropped, so memory holds the matchers and their caches, not a million results.
    # Like the commands, the whole stream runs with the cyclic collector paused.
    with collector_paused():
        stream(goods, countries, screener, rows, processes, timings)
    timings["total_s"] = timings["goods_s"] + timings["countries_s"] + timings["suppliers_s"]
    timings["distinct_products"] = len({r[0] for r in rows})
    timings["distinct_countries"] = len({r[1] for r in rows})
    timings["distinct_suppliers"] = len({r[2] for r in rows})
    timings["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # Forked helpers (see risk_models/matching/parallel.py) share pages with this process
    # until they write; the largest one's own peak is reported apart, once they have ended.
    for matcher in (goods, countries, screener):
        matcher.close()
    timings["helper_peak_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return timings


def run_baseline(sample: int) -> dict[str, float]:
    """Time the naive baseline: extractOne with WRatio over the names, row by row."""
    from rapidfuzz import fuzz, process

    reference = load_reference_data()
    rows = realistic_rows(reference, sample, seed=3)
    goods = [g.name for g in reference.goods.values() if g.kind == "good"]
    countries = [c.name_en for c in reference.countries.values()]
    entities = [e.name for e in reference.entities]
    started = time.perf_counter()
    for product, country, supplier in rows:
        process.extractOne(product, goods, scorer=fuzz.WRatio, score_cutoff=65)
        process.extractOne(country, countries, scorer=fuzz.WRatio, score_cutoff=75)
        process.extractOne(supplier, entities, scorer=fuzz.WRatio, score_cutoff=80)
    seconds = time.perf_counter() - started
    return {"rows": sample, "total_s": seconds, "rows_per_s": sample / seconds}


def in_subprocess(*args: str) -> dict[str, float]:
    """Run this script's worker in a fresh process and return what it measured."""
    done = subprocess.run(
        [sys.executable, __file__, "--worker", *args], capture_output=True, text=True, check=False
    )
    if done.returncode:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"worker {args} failed")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def report(label: str, measured: dict[str, float], baseline_rate: float) -> None:
    rate = measured["rows"] / measured["total_s"]
    print(
        f"{label:>22} {int(measured['rows']):>9,} rows  {measured['total_s']:7.2f} s  "
        f"{rate:>11,.0f} rows/s  {rate / baseline_rate:7.0f}x baseline  "
        f"peak {measured['peak_mb']:6.0f} MB (helper {measured['helper_peak_mb']:.0f})   "
        f"(goods {measured['goods_s']:.2f} s, countries "
        f"{measured['countries_s']:.2f} s, suppliers {measured['suppliers_s']:.2f} s; distinct "
        f"{int(measured['distinct_products']):,}/{int(measured['distinct_countries']):,}/"
        f"{int(measured['distinct_suppliers']):,}; build {measured['build_s']:.2f} s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="comma-separated")
    parser.add_argument("--distinct", type=int, default=0, help="rows of all-different strings")
    parser.add_argument("--baseline-sample", type=int, default=2000)
    parser.add_argument(
        "--processes",
        type=int,
        default=2,
        help="processes per large batch of new strings (1: this process only)",
    )
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        mode, count = args.worker[0], int(args.worker[1])
        if mode == "baseline":
            result = run_baseline(count)
        else:
            result = run_engine(mode, count, int(args.worker[2]))
        print(json.dumps(result))
        return
    baseline = in_subprocess("baseline", str(args.baseline_sample))
    print(
        f"{'naive baseline':>22} {int(baseline['rows']):>9,} rows  {baseline['total_s']:7.2f} s  "
        f"{baseline['rows_per_s']:>11,.0f} rows/s  (extractOne + WRatio per row, 3 fields; "
        f"1M rows would take {1_000_000 / baseline['rows_per_s'] / 60:,.0f} min)"
    )
    processes = str(args.processes)
    print(f"{'':>22} engine: {processes} process(es) per large batch of new strings")
    for size in [int(s) for s in args.sizes.split(",") if s.strip()]:
        measured = in_subprocess("repeat", str(size), processes)
        report("engine, repeated", measured, baseline["rows_per_s"])
    if args.distinct:
        measured = in_subprocess("distinct", str(args.distinct), processes)
        report("engine, all distinct", measured, baseline["rows_per_s"])


if __name__ == "__main__":
    main()

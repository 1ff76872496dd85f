"""Benchmark: score and roll up 1M already-matched lines (target: under 5 seconds).

Lines are drawn from the combinations real lists have: a few hundred goods, the countries they
come from, a few enforcement hits, thousands of suppliers and skewed spend. A naive baseline
that scores every line without de-duplication is timed on a sample in the same run.

    .venv/bin/python bench/score_speed.py [--rows 1000000] [--baseline-sample 20000]
"""

from __future__ import annotations

import argparse
import random
import resource
import time

import numpy as np

from reference_data import load_reference_data
from risk_models.scoring import EntityHit, LineEvidence, Scorer, get_model
from risk_models.scoring.aggregate import LineTable, aggregate_table


def realistic_lines(reference, rows: int, seed: int = 7) -> list[tuple[LineEvidence, str, float]]:
    """Draw lines with the repetition of real supplier lists."""
    rnd = random.Random(seed)
    goods = sorted(reference.goods)
    listed = [
        (item.good_id, item.country_iso3) for item in reference.editions[reference.latest_edition]
    ]
    countries = sorted(reference.countries)
    entities = [e.entity_id for e in reference.entities]
    suppliers = [f"supplier-{i:05d}" for i in range(5000)]
    pool: list[LineEvidence] = []
    for _ in range(3000):
        roll = rnd.random()
        if roll < 0.35:
            good, iso3 = rnd.choice(listed)
        else:
            good, iso3 = rnd.choice(goods), rnd.choice(countries)
        hits: tuple[EntityHit, ...] = ()
        if rnd.random() < 0.01:
            hits = (EntityHit(rnd.choice(entities), rnd.choice(["accepted", "review"])),)
        pool.append(
            LineEvidence(
                good_ids=() if rnd.random() < 0.05 else (good,),
                product_certainty=rnd.choice(["accepted", "accepted", "review"]),
                country_iso3=None if rnd.random() < 0.05 else iso3,
                country_certainty="accepted",
                entity_hits=hits,
            )
        )
    weights = [1 / (i + 1) for i in range(len(pool))]  # Zipf-like: a few combinations dominate
    chosen = rnd.choices(pool, weights=weights, k=rows)
    return [
        (evidence, rnd.choice(suppliers), round(rnd.lognormvariate(8, 1.5), 2))
        for evidence in chosen
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--baseline-sample", type=int, default=20_000)
    args = parser.parse_args()
    reference = load_reference_data()
    config = get_model()
    lines = realistic_lines(reference, args.rows)

    start = time.perf_counter()
    # Matching yields one evidence object per distinct match, so identical lines share it:
    # score each distinct evidence once, then work on columns.
    scorer = Scorer(reference, config)
    distinct: dict[int, int] = {}
    pool: list[LineEvidence] = []
    for evidence, _, _ in lines:
        if id(evidence) not in distinct:
            distinct[id(evidence)] = len(pool)
            pool.append(evidence)
    scores = scorer.score_many(pool)
    groups: dict[str, int] = {}
    n = len(lines)
    table = LineTable.from_columns(
        key=np.arange(2, n + 2, dtype=np.int64),
        group=np.fromiter((groups.setdefault(g, len(groups)) for _, g, _ in lines), np.int64, n),
        group_names=list(groups),
        spend=np.fromiter((spend for _, _, spend in lines), np.float64, n),
        score=np.fromiter((distinct[id(evidence)] for evidence, _, _ in lines), np.int64, n),
        scores=scores,
    )
    scored_at = time.perf_counter()
    summary = aggregate_table(table, config)
    done = time.perf_counter()

    sample = lines[: args.baseline_sample]
    base_start = time.perf_counter()
    for evidence, _, _ in sample:
        Scorer(reference, config).score(evidence)  # a fresh scorer per line: no re-use
    base_rate = len(sample) / (time.perf_counter() - base_start)

    rate = args.rows / (done - start)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"rows                         {args.rows:>12,}")
    print(f"distinct evidence            {len(pool):>12,}")
    print(f"scoring distinct + columns   {scored_at - start:>11.2f}s")
    print(f"roll-up (suppliers+portfolio){done - scored_at:>11.2f}s")
    print(f"total                        {done - start:>11.2f}s   (target < 5 s)")
    print(f"engine rows/second           {rate:>12,.0f}")
    print(f"baseline rows/second         {base_rate:>12,.0f}   (per line, {len(sample):,} sample)")
    print(f"speed-up                     {rate / base_rate:>11.0f}x")
    print(f"peak memory (whole process)  {peak_mb:>10.0f} MB")
    print(f"suppliers rolled up          {len(summary.groups):>12,}")
    print(f"portfolio forced labour mean {summary.portfolio.forced_labour.mean:>12}")


if __name__ == "__main__":
    main()

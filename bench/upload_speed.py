"""Benchmark: a generated supplier list through upload -> match -> score -> store.

The list is made like bench/match_speed.py's realistic lists (a few thousand suppliers with
heavy-tailed repetition, messy product descriptions and HS codes, country strings written
every way), with a spend column and a PO number, written to a CSV once. Each (size,
database) run then happens in a fresh process, which reports its own peak memory
(`ru_maxrss`) and the time of each stage:

- upload: `uploads.create_upload` (checks the file, keeps it, settles the columns);
- reading, matching, scoring, storing, summary: `pipeline.run_assessment`, inline, as the
  job runs it (see supplychain/services/pipeline.py);
- pages: then one page of 50 lines (`services.assessments.lines_page`, what the results page
  and the API's lines ask for) for every filter of PAGE_FILTERS with every sort, first page
  and page 100: the median and the slowest, and the free-text search on its own.

    .venv/bin/python bench/upload_speed.py                       # 100k and 1M on SQLite
    .venv/bin/python bench/upload_speed.py --sizes 100000 1000000 \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres

With --database-url, a scratch database bench_<pid> is created on that server, used, and
dropped. SQLite runs on a file in a temporary folder. `--insert` stores PostgreSQL lines with
Core insert() executemany instead of COPY (ASSESSMENT_COPY=False), for comparison.

A million rows of this list is about 85 MB of CSV, over the default 50 MB upload limit; the
benchmark raises UPLOAD_MAX_BYTES for its own runs.

Targets (2-core machine): 1M rows under 60 s and under 2 GB peak memory, on SQLite and on
PostgreSQL.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

HEADERS = ["Supplier name", "Country of origin", "Item description", "Spend (CAD)", "PO number"]


def write_list(count: int, path: Path, seed: int = 7) -> None:
    """Write a realistic supplier list of `count` rows as CSV."""
    from match_speed import realistic_rows

    from reference_data import load_reference_data

    rows = realistic_rows(load_reference_data(), count, seed)
    rng = random.Random(seed)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    for number, (product, country, supplier) in enumerate(rows):
        spend = f"{rng.randrange(100, 10**6) / 100:.2f}"
        writer.writerow([supplier, country, product, spend, f"PO{number:07d}"])
    path.write_text(buffer.getvalue(), encoding="utf-8")


def run_one(path: Path, database_url: str, copy: bool) -> dict[str, object]:
    """Upload and assess one list (called in a fresh process); return the measurements."""
    from supplychain import create_app
    from supplychain.extensions import db
    from supplychain.services import accounts, uploads

    data = path.read_bytes()
    with tempfile.TemporaryDirectory(prefix="upload-speed-") as folder:
        url = database_url or f"sqlite:///{Path(folder) / 'bench.db'}"
        app = create_app(
            {
                "ENV_NAME": "testing",
                "DATABASE_URL": url,
                "UPLOAD_DIR": str(Path(folder) / "uploads"),
                "REFDATA_DIR": str(Path(folder) / "refdata"),
                "UPLOAD_MAX_BYTES": 512 * 1024 * 1024,
                "JOBS_MODE": "inline",
                "ASSESSMENT_COPY": copy,
            }
        )
        with app.app_context():
            db.drop_all()
            db.create_all()
            organisation = accounts.create_organisation("Bench Importer")
            db.session.commit()
            started = time.perf_counter()
            upload = uploads.create_upload(organisation.id, data, path.name)
            uploaded = time.perf_counter() - started
            assessment = uploads.start_assessment(upload)
            db.session.commit()
            total = time.perf_counter() - started
            peak_mb = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
            summary = assessment.summary or {}
            pages = time_pages(assessment) if assessment.status == "done" else {}
            result = {
                "rows": summary.get("lines", 0),
                "status": assessment.status,
                "error": assessment.error,
                "bytes": len(data),
                "upload_s": round(uploaded, 2),
                **{f"{stage}_s": secs for stage, secs in summary.get("timings", {}).items()},
                "total_s": round(total, 2),
                "peak_mb": peak_mb,
                **pages,
                "distinct": {
                    kind: sum(counts.values())
                    for kind, counts in summary.get("matches", {}).items()
                },
            }
            db.session.remove()
            db.drop_all()
            db.engine.dispose()
    return result


PAGE_FILTERS = (
    {}, {"band": "High"}, {"band": "Critical"}, {"band": "Low"}, {"country": "CHN"},
    {"country": "none"}, {"good": "garments"}, {"good": "none"}, {"decision": "review"},
    {"decision": "settled"}, {"decision": "insufficient"}, {"problems": "yes"},
    {"band": "High", "country": "CHN"},
)  # fmt: skip


def time_pages(assessment: object) -> dict[str, object]:
    """Time pages of lines for every filter and sort (first page and page 100), and search."""
    import sqlalchemy as sa

    from supplychain.extensions import db
    from supplychain.models.assessments import AssessmentLine
    from supplychain.services import assessments

    supplier = db.session.scalar(
        sa.select(AssessmentLine.supplier_name).where(
            AssessmentLine.assessment_id == assessment.id,  # type: ignore[attr-defined]
            AssessmentLine.row_number == 500_000,
        )
    )
    filters = [*PAGE_FILTERS, {"supplier": supplier or ""}]
    timings: list[tuple[float, str]] = []
    for chosen in filters:
        for sort in assessments.SORTS:
            for page in (1, 100):
                started = time.perf_counter()
                assessments.lines_page(assessment, chosen, sort, page, 50)  # type: ignore[arg-type]
                timings.append((time.perf_counter() - started, f"{chosen or 'all'} {sort} p{page}"))
    started = time.perf_counter()
    assessments.lines_page(assessment, {"q": "cotton"}, "row", 1, 50)  # type: ignore[arg-type]
    search = time.perf_counter() - started
    timings.sort()
    return {
        "pages": len(timings),
        "page_median_ms": round(1000 * timings[len(timings) // 2][0]),
        "page_max_ms": round(1000 * timings[-1][0]),
        "page_slowest": timings[-1][1],
        "search_ms": round(1000 * search),
    }


def in_subprocess(*args: str) -> dict[str, object]:
    output = subprocess.run(
        [sys.executable, __file__, "--child", *args],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def scratch_database(server_url: str) -> tuple[str, str]:
    """Create bench_<pid> on the server; return (its URL, the admin URL to drop it with)."""
    import sqlalchemy as sa

    name = f"bench_{os.getpid()}"
    admin = sa.make_url(server_url).set(database="postgres")
    engine = sa.create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql(f"CREATE DATABASE {name}")
    engine.dispose()
    return str(sa.make_url(server_url).set(database=name).render_as_string(False)), str(
        admin.render_as_string(False)
    )


def drop_database(admin_url: str, name: str) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    engine.dispose()


def report(label: str, result: dict[str, object]) -> None:
    rows = int(result["rows"])  # type: ignore[call-overload]
    total = float(result["total_s"])  # type: ignore[arg-type]
    stages = ", ".join(
        f"{key[:-2]} {value:.1f}s"
        for key, value in result.items()
        if key.endswith("_s") and key != "total_s"
    )
    verdict = "ok" if total < 60 and int(result["peak_mb"]) < 2048 else "OVER TARGET"  # type: ignore[call-overload]
    print(
        f"{label:<34} {rows:>9,} rows {total:>7.1f}s {rows / total:>9,.0f} rows/s "
        f"peak {result['peak_mb']:>5} MB  [{verdict}]  ({stages}; distinct {result['distinct']})"
    )
    if "pages" in result:
        print(
            f"  {result['pages']} pages of 50 lines: median {result['page_median_ms']} ms, "
            f"slowest {result['page_max_ms']} ms ({result['page_slowest']}); "
            f"search 'cotton' {result['search_ms']} ms"
        )
    if result["status"] != "done":
        print(f"  failed: {result['error']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL server (postgresql+psycopg://user@host:port/db); a scratch "
        "database bench_<pid> is made on it and dropped afterwards",
    )
    parser.add_argument(
        "--insert", action="store_true", help="PostgreSQL: Core insert() executemany, not COPY"
    )
    parser.add_argument("--child", nargs=3, metavar=("FILE", "URL", "COPY"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        path, url, copy = args.child
        print(json.dumps(run_one(Path(path), "" if url == "-" else url, copy == "1")))
        return

    database, admin = "-", None
    if args.database_url:
        database, admin = scratch_database(args.database_url)
    kind = "PostgreSQL" if admin else "SQLite (file)"
    if admin:
        kind += " insert()" if args.insert else " COPY"
    try:
        with tempfile.TemporaryDirectory(prefix="upload-speed-lists-") as folder:
            for size in args.sizes:
                path = Path(folder) / f"suppliers_{size}.csv"
                write_list(size, path)
                result = in_subprocess(str(path), database, "0" if args.insert else "1")
                report(f"{kind}, {size:,} rows", result)
    finally:
        if admin:
            drop_database(admin, database.rsplit("/", 1)[-1])


if __name__ == "__main__":
    main()

"""Benchmark: an S-211 report drawing on a 100k-line assessment, from evidence to PDF.

A realistic supplier list (bench/upload_speed.py's generator) is assessed with the real
pipeline into a SQLite file, once, in one process. A second, fresh process then measures the
report alone, so its peak memory (`ru_maxrss`) is the report's:

- evidence (stored summary): `report_evidence.build_evidence`, which reads the summary the
  pipeline stored and the assessment's distinct scores (for the sources), never the lines;
- draft: `reports.create_report` (evidence, drafting of (a) and (c), the risk answers);
- checks: `reports.run_checks`;
- PDF en, fr, both: `reports.render_report_pdf`, as the download does it: the evidence is
  built from the stored summary, then rendered (the target: under 10 s for en).

Baseline, in the same run: the same evidence computed by scanning every line (what a report
would cost without the stored summary: `pipeline.summary_columns` reads each line's supplier,
spend, score, country and good back, then `pipeline.build_summary` rolls them up), and the
fixed cost of rendering a report with no evidence at all (cover, contents, empty sections,
annex, attestation).

    .venv/bin/python bench/report_speed.py                  # 100k lines
    .venv/bin/python bench/report_speed.py --size 20000
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

TARGET_SECONDS = 10.0


def _app(folder: Path):  # type: ignore[no-untyped-def]
    from supplychain import create_app

    return create_app(
        {
            "ENV_NAME": "testing",
            "DATABASE_URL": f"sqlite:///{folder / 'bench.db'}",
            "UPLOAD_DIR": str(folder / "uploads"),
            "REFDATA_DIR": str(folder / "refdata"),
            "UPLOAD_MAX_BYTES": 512 * 1024 * 1024,
            "JOBS_MODE": "inline",
        }
    )


def assess(folder: Path, size: int) -> dict[str, object]:
    """Write a list of `size` rows and assess it into folder/bench.db (a process of its own)."""
    from upload_speed import write_list

    from supplychain.extensions import db
    from supplychain.services import accounts, uploads

    path = folder / f"suppliers_{size}.csv"
    write_list(size, path)
    app = _app(folder)
    with app.app_context():
        db.create_all()
        organisation = accounts.create_organisation("Bench Importer")
        accounts.create_user(organisation, "bench@example.com", "bench bench bench", "owner")
        db.session.commit()
        started = time.perf_counter()
        upload = uploads.create_upload(organisation.id, path.read_bytes(), path.name)
        assessment = uploads.start_assessment(upload)
        db.session.commit()
        return {
            "assessment_id": assessment.id,
            "status": assessment.status,
            "lines": (assessment.summary or {}).get("lines", 0),
            "assess_s": round(time.perf_counter() - started, 1),
        }


def measure(folder: Path, assessment_id: int) -> dict[str, object]:
    """Time the report on the stored assessment, and the baselines (a fresh process)."""
    import sqlalchemy as sa
    from pypdf import PdfReader

    from supplychain.extensions import db
    from supplychain.models.accounts import User
    from supplychain.models.assessments import Assessment
    from supplychain.reporting.model import Report as PlainReport
    from supplychain.reporting.pdf import render_pdf
    from supplychain.services import pipeline, report_evidence, reports
    from supplychain.services.access import Principal
    from supplychain.services.refdata import get_reference

    app = _app(folder)
    timings: dict[str, float] = {}

    def timed(name: str, call):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        result = call()
        timings[name] = time.perf_counter() - started
        return result

    with app.app_context():
        reference = get_reference(app.config)
        user = db.session.scalars(sa.select(User)).one()
        principal = Principal(organisation=user.organisation, role="owner", user=user)
        assessment = db.session.get(Assessment, assessment_id)
        evidence = timed(
            "evidence_summary", lambda: report_evidence.build_evidence([assessment], reference)
        )
        # Warm up as a running service is: fonts, styles and chart code loaded once.
        render_pdf(PlainReport(), evidence)
        report = timed(
            "draft", lambda: reports.create_report(principal, 2025, [assessment_id], "both")
        )
        db.session.commit()
        checks = timed("checks", lambda: reports.run_checks(report))
        pdfs = {
            lang: timed(f"pdf_{lang}", lambda lang=lang: reports.render_report_pdf(report, lang))
            for lang in ("en", "fr", "both")
        }

        def scanned():  # type: ignore[no-untyped-def]
            columns, scores, suppliers = pipeline.summary_columns(assessment)
            summary = pipeline.build_summary(
                columns, scores, pipeline.scoring_config(assessment), reference,
                suppliers=suppliers,
            )  # fmt: skip
            return report_evidence.summary_evidence(
                assessment, summary, reference, evidence.sources
            )

        scan = timed("evidence_scan", scanned)
        timed("pdf_en_scan", lambda: render_pdf(reports.report_model(report), scan, "en"))
        timed("pdf_empty", lambda: render_pdf(PlainReport()))
        same = (scan.lines, scan.suppliers, scan.risk_countries, scan.risk_goods) == (
            evidence.lines,
            evidence.suppliers,
            evidence.risk_countries,
            evidence.risk_goods,
        )
        return {
            "timings": timings,
            "pages": {lang: len(PdfReader(io.BytesIO(pdf)).pages) for lang, pdf in pdfs.items()},
            "bytes": {lang: len(pdf) for lang, pdf in pdfs.items()},
            "findings": len(checks.findings),
            "risk_rows": len(evidence.risk_countries) + len(evidence.risk_goods),
            "same_evidence": same,
            "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        }


def child(*args: str) -> dict[str, object]:
    output = subprocess.run(
        [sys.executable, __file__, "--child", *args],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument(
        "--child", nargs=3, metavar=("STEP", "FOLDER", "ARG"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.child:
        step, folder, arg = args.child
        call = assess if step == "assess" else measure
        print(json.dumps(call(Path(folder), int(arg))))
        return

    with tempfile.TemporaryDirectory(prefix="report-speed-") as folder:
        made = child("assess", folder, str(args.size))
        if made["status"] != "done":
            raise SystemExit(f"the assessment failed: {made}")
        print(
            f"assessed {made['lines']:,} lines in {made['assess_s']} s "
            "(SQLite file; not part of the figures below)"
        )
        result = child("measure", folder, str(made["assessment_id"]))
    t = result["timings"]
    verdict = "ok" if t["pdf_en"] < TARGET_SECONDS else "OVER TARGET"
    print(
        f"report PDF (en) as the download makes it, evidence from the stored summary + render: "
        f"{t['pdf_en']:.2f} s  [target < {TARGET_SECONDS:.0f} s: {verdict}]"
    )
    print(
        f"  of which evidence alone {t['evidence_summary']:.3f} s; fr {t['pdf_fr']:.2f} s, "
        f"both {t['pdf_both']:.2f} s; draft {t['draft']:.3f} s, checks {t['checks']:.3f} s "
        f"(each builds the evidence too)"
    )
    print(
        f"  pages {result['pages']}, bytes {result['bytes']}; {result['risk_rows']} country and "
        f"good rows at High or Critical; {result['findings']} findings on the fresh draft"
    )
    print(
        f"baseline, evidence by scanning every line: {t['evidence_scan']:.2f} s "
        f"({t['evidence_scan'] / max(t['evidence_summary'], 1e-6):.1f}x the stored summary; "
        f"same figures: {result['same_evidence']}), + render {t['pdf_en_scan']:.2f} s = "
        f"{t['evidence_scan'] + t['pdf_en_scan']:.2f} s"
    )
    print(f"baseline, fixed cost of an empty report's PDF: {t['pdf_empty']:.2f} s")
    print(f"peak memory of the report process: {result['peak_mb']} MB")


if __name__ == "__main__":
    main()

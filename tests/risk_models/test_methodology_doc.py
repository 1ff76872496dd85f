"""docs/methodology.md describes exactly the factors and weights the model uses."""

from __future__ import annotations

import re
from pathlib import Path

from risk_models.scoring import get_model
from risk_models.scoring.model import FACTORS

DOC = Path(__file__).resolve().parents[2] / "docs" / "methodology.md"


def documented_factors() -> set[str]:
    text = DOC.read_text(encoding="utf-8")
    table = text.split("## Factors", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([a-z_]+)` \|", table, flags=re.MULTILINE))


def test_every_factor_in_code_is_documented_and_vice_versa():
    assert documented_factors() == set(FACTORS)


def test_documented_band_thresholds_match_the_default_profile():
    text = DOC.read_text(encoding="utf-8")
    bands = get_model().bands
    expected = (
        f"Low below {bands['medium']:g}, Medium from {bands['medium']:g}, "
        f"High from {bands['high']:g}, Critical\nfrom {bands['critical']:g}"
    )
    assert expected in text

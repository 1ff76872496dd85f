"""The labour-risk-v1 model on small, hand-built reference data."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from risk_models.scoring import EntityHit, LineEvidence, Scorer, get_model
from risk_models.scoring.aggregate import ScoredLine, aggregate
from risk_models.scoring.model import FACTORS
from risk_models.scoring.profile import parse_profile
from tests.risk_models import builders as b

COUNTRIES = [
    b.country("AAA", "Alphaland"),
    b.country("BBB", "Betaland"),
    b.country("CCC", "Gammaland"),
]
GOODS = [
    b.good("cotton"),
    b.good("garments", inputs=("cotton",)),
    b.good("cocoa"),
    b.good("valves"),
    b.good("chocolate", kind="derived", inputs=("cocoa",)),
]
LISTINGS = [
    b.listing(1, "cotton", "AAA", fl=True, cl=True),
    b.listing(2, "cocoa", "BBB", cl=True, fcl=True, fl=True),
    b.listing(3, "garments", "CCC", cl=True),
]
REFERENCE = b.reference(
    goods=GOODS,
    listings=LISTINGS,
    countries=COUNTRIES,
    tip=[b.tip("AAA", "Tier 3"), b.tip("BBB", "Tier 2")],
    findings_=[b.findings("BBB", rank="moderate", pct=0.2, c138=False)],
    entities=[b.entity("cbp-wro-001", "Bad Factory", "AAA")],
    rules=[b.rule("rule-001", "cotton", "AAA")],
)
CONFIG = get_model()


def score(**kw):
    return Scorer(REFERENCE, CONFIG).score(LineEvidence(**kw))


def kinds(result) -> set[str]:
    return {f.kind for f in result.factors}


def test_listed_pair_with_forced_child_labour_scores_both_dimensions():
    result = score(
        good_ids=("cocoa",),
        product_certainty="accepted",
        country_iso3="BBB",
        country_certainty="accepted",
    )
    assert {"listed_pair_child_labour", "listed_pair_forced_child_labour"} <= kinds(result)
    cl = [f for f in result.factors if f.dimension == "child_labour"]
    ceiling = CONFIG.bands["ceiling_without_enforcement"]
    assert result.child_labour.score == pytest.approx(min(ceiling, sum(f.contribution for f in cl)))
    assert result.child_labour.band == "High"
    pair = next(f for f in result.factors if f.kind == "listed_pair_child_labour")
    assert pair.source is not None and pair.source.identifier == "row 2"
    assert "ILAB TVPRA 2022, row 2" in pair.detail


def test_accepted_enforcement_hit_is_critical():
    result = score(
        good_ids=("valves",),
        product_certainty="accepted",
        country_iso3="AAA",
        country_certainty="accepted",
        entity_hits=(EntityHit("cbp-wro-001", "accepted"),),
    )
    assert result.forced_labour.band == "Critical"
    assert "enforcement_entity" in kinds(result)


def test_hit_awaiting_review_adds_points_but_is_not_critical_by_itself():
    base = score(
        good_ids=("valves",),
        product_certainty="accepted",
        country_iso3="CCC",
        country_certainty="accepted",
    )
    pending = score(
        good_ids=("valves",),
        product_certainty="accepted",
        country_iso3="CCC",
        country_certainty="accepted",
        entity_hits=(EntityHit("cbp-wro-001", "review"),),
    )
    assert pending.forced_labour.score > base.forced_labour.score
    assert pending.forced_labour.band != "Critical"


def test_product_place_rule_reaches_goods_made_from_the_input():
    result = score(
        good_ids=("garments",),
        product_certainty="accepted",
        country_iso3="AAA",
        country_certainty="accepted",
    )
    assert "product_place_rule" in kinds(result)
    assert result.forced_labour.band == "Critical"


def test_input_listed_in_same_country_is_indirect_exposure():
    result = score(
        good_ids=("garments",),
        product_certainty="accepted",
        country_iso3="BBB",
        country_certainty="accepted",
    )
    inputs = [f for f in result.factors if f.kind == "listed_input"]
    assert inputs and all("cotton" in f.detail.lower() for f in inputs)
    assert "listed_pair_child_labour" not in kinds(result)


def test_derived_product_carries_its_inputs_exposure():
    result = score(
        derived_inputs=("cocoa",),
        product_certainty="accepted",
        country_iso3="BBB",
        country_certainty="accepted",
    )
    assert "listed_input" in kinds(result)
    assert not result.insufficient_data


def test_described_product_that_is_not_listed_is_not_a_data_gap():
    result = score(product_certainty="unlisted", country_iso3="CCC", country_certainty="accepted")
    assert not result.insufficient_data
    assert result.forced_labour.band == "Low"
    # 0.8 for an unlisted product, times 0.8 as Gammaland has neither TIP tier nor findings.
    assert result.forced_labour.confidence == pytest.approx(0.64)


def test_only_enforcement_makes_a_line_critical():
    heavy = b.reference(
        goods=GOODS,
        listings=[b.listing(1, "cocoa", "BBB", cl=True, fl=True, fcl=True)],
        countries=COUNTRIES,
        tip=[b.tip("BBB", "Tier 3")],
        findings_=[
            b.findings(
                "BBB", rank="none", pct=0.5, c138=False, c182=False, palermo=False, complicit=True
            )
        ],
    )
    result = Scorer(heavy, CONFIG).score(
        LineEvidence(("cocoa",), (), "accepted", "BBB", "accepted")
    )
    child = [f for f in result.factors if f.dimension == "child_labour"]
    assert sum(f.contribution for f in child) > CONFIG.bands["critical"]
    assert result.child_labour.score == CONFIG.bands["ceiling_without_enforcement"]
    assert result.child_labour.band == "High"


def test_unlisted_good_from_clean_country_is_low():
    result = score(
        good_ids=("valves",),
        product_certainty="accepted",
        country_iso3="CCC",
        country_certainty="accepted",
    )
    assert result.forced_labour.band == "Low" and result.child_labour.band == "Low"
    assert not result.insufficient_data


@pytest.mark.parametrize(
    "evidence",
    [
        {},
        {"good_ids": ("valves",), "product_certainty": "accepted"},
        {"country_iso3": "CCC", "country_certainty": "accepted"},
    ],
)
def test_missing_data_is_never_low(evidence):
    result = score(**evidence)
    assert result.insufficient_data
    assert result.forced_labour.band != "Low" and result.child_labour.band != "Low"
    assert result.forced_labour.confidence <= 0.3
    assert "insufficient_data" in kinds(result)


def test_known_half_still_counts_when_country_is_unknown():
    result = score(good_ids=("cocoa",), product_certainty="accepted")
    assert result.insufficient_data
    assert any(f.kind == "listed_elsewhere" for f in result.factors)


def test_country_indicators_cite_their_sources():
    result = score(
        good_ids=("valves",),
        product_certainty="accepted",
        country_iso3="BBB",
        country_certainty="accepted",
    )
    by_kind = {f.kind: f for f in result.factors}
    assert by_kind["working_children"].contribution == pytest.approx(16.0)
    assert by_kind["missing_ratification"].dimension == "child_labour"
    assert by_kind["tip_tier"].source.dataset == "us-tip-2025"


def test_every_result_names_model_profile_and_reference_version():
    result = score()
    assert (result.model, result.profile, result.reference_version) == (
        "labour-risk-v1",
        "labour-risk-v1-default",
        "test+00000000",
    )


def test_every_declared_factor_kind_can_fire():
    fired: set[str] = set()
    scorer = Scorer(REFERENCE, CONFIG)
    lines = [
        LineEvidence(("cocoa",), (), "accepted", "BBB", "accepted"),
        LineEvidence(
            ("garments",),
            (),
            "accepted",
            "AAA",
            "accepted",
            (EntityHit("cbp-wro-001", "accepted"),),
        ),
        LineEvidence(
            ("valves",), (), "accepted", "AAA", "accepted", (EntityHit("cbp-wro-001", "review"),)
        ),
        LineEvidence(("cotton",), (), "accepted", "CCC", "accepted"),
        LineEvidence(),
    ]
    for line in lines:
        fired |= {f.kind for f in scorer.score(line).factors}
    # Downstream and complicity need data these builders leave out; they have their own tests.
    assert set(FACTORS) - fired == {"listed_pair_downstream", "complicit_forced_child_labour"}


def test_downstream_pair_cites_input_and_its_country():
    reference = b.reference(
        goods=[b.good("cobalt"), b.good("batteries", inputs=("cobalt",))],
        listings=[
            b.listing(
                1,
                "batteries",
                "AAA",
                downstream=True,
                input_good_id="cobalt",
                input_country_iso3="BBB",
            ),
            b.listing(2, "cobalt", "BBB", cl=True),
        ],
        countries=COUNTRIES,
        findings_=[b.findings("AAA", rank="minimal", complicit=True)],
    )
    result = Scorer(reference, CONFIG).score(
        LineEvidence(("batteries",), (), "accepted", "AAA", "accepted")
    )
    downstream = [f for f in result.factors if f.kind == "listed_pair_downstream"]
    assert [f.dimension for f in downstream] == ["child_labour"]
    assert "Betaland" in downstream[0].detail
    assert "complicit_forced_child_labour" in kinds(result)


def test_profile_rejects_unordered_bands():
    data = CONFIG.as_dict()
    data["bands"] = {"medium": 60, "high": 50, "critical": 85}
    with pytest.raises(ValueError, match="bands"):
        parse_profile(data)


def test_unknown_model_is_refused():
    with pytest.raises(KeyError):
        get_model("labour-risk-v0")


# Kinds of goods: a good's broader goods -----------------------------------------------------

KINDS = b.reference(
    goods=[
        b.good("bricks"),
        b.good("bricks-clay", "Bricks (clay)", broader=("bricks",)),
        b.good("granite"),
        b.good("gravel"),
        b.good("stones"),
        b.good("granite-crushed", "Granite (crushed)", broader=("granite", "gravel")),
        b.good("miraa", broader=("khat-miraa",)),
        b.good("khat-miraa", "Khat/Miraa", broader=("khat",)),
        b.good("khat"),
        b.good("cement", inputs=("limestone",)),
        b.good("limestone", broader=("stones",)),
        b.good("cobalt"),
        b.good("cells"),
        b.good("perc-cells", "Cells (PERC)", broader=("cells",)),
    ],
    listings=[
        b.listing(1, "bricks", "AAA", fl=True, cl=True, fcl=True),
        b.listing(2, "bricks", "CCC", cl=True),
        b.listing(3, "bricks-clay", "CCC", cl=True),
        b.listing(4, "bricks-clay", "BBB", cl=True),
        b.listing(5, "bricks", "BBB", fl=True, cl=True),
        b.listing(6, "granite", "AAA", cl=True),
        b.listing(7, "gravel", "AAA", cl=True, fl=True),
        b.listing(8, "khat", "BBB", cl=True),
        b.listing(9, "stones", "AAA", fl=True),
        b.listing(10, "cobalt", "BBB", cl=True),
        b.listing(
            11, "cells", "AAA", downstream=True, input_good_id="cobalt", input_country_iso3="BBB"
        ),
    ],
    countries=COUNTRIES,
)


def score_kinds(*good_ids: str, country: str | None = "AAA"):
    certainty = "accepted" if country else "missing"
    evidence = LineEvidence(good_ids, (), "accepted", country, certainty)
    return Scorer(KINDS, CONFIG).score(evidence)


def pair_factors(result, kind: str) -> list:
    return [f for f in result.factors if f.kind == kind]


def test_a_kind_of_a_listed_good_takes_the_broader_listing_for_the_country():
    narrower, broader = score_kinds("bricks-clay"), score_kinds("bricks")
    forced = pair_factors(narrower, "listed_pair_forced_labour")
    assert [(f.contribution, f.source.identifier) for f in forced] == [
        (CONFIG.weight("pair_forced_labour"), "row 1")
    ]
    assert forced[0].detail == (
        "Bricks (clay) is a kind of Bricks; Bricks from Alphaland is on the ILAB list for "
        "forced labour (ILAB TVPRA 2022, row 1)."
    )
    assert {f.dimension for f in pair_factors(narrower, "listed_pair_forced_child_labour")} == {
        "forced_labour",
        "child_labour",
    }
    # Where only the general good is listed, the narrower one scores exactly as it does.
    assert (narrower.forced_labour, narrower.child_labour) == (
        broader.forced_labour,
        broader.child_labour,
    )
    assert narrower.forced_labour.band == "High"
    assert "listed_elsewhere" not in kinds(narrower)


def test_the_goods_own_listing_comes_first_and_a_broader_one_fills_a_missing_flag():
    result = score_kinds("bricks-clay", country="BBB")
    child = pair_factors(result, "listed_pair_child_labour")
    assert [(f.source.identifier, f.detail) for f in child] == [
        (
            "row 4",
            "Bricks (clay) from Betaland is on the ILAB list for child labour "
            "(ILAB TVPRA 2022, row 4).",
        )
    ]
    # Its own row has no forced-labour flag; the broader good's row for Betaland has one.
    forced = pair_factors(result, "listed_pair_forced_labour")
    assert [f.source.identifier for f in forced] == ["row 5"]
    assert forced[0].detail.startswith("Bricks (clay) is a kind of Bricks; ")


def test_a_flag_counts_once_when_the_good_and_its_broader_good_both_carry_it():
    result = score_kinds("bricks-clay", country="CCC")
    child = pair_factors(result, "listed_pair_child_labour")
    assert [f.source.identifier for f in child] == ["row 3"]
    assert result.child_labour.score == CONFIG.weight("pair_child_labour")


def test_a_listing_two_goods_of_one_line_reach_counts_once_as_the_goods_own():
    result = score_kinds("bricks", "bricks-clay")
    forced = pair_factors(result, "listed_pair_forced_labour")
    assert len(forced) == 1
    assert forced[0].detail.startswith("Bricks from Alphaland")


def test_the_nearest_broader_good_is_cited_once_when_several_are_listed():
    result = score_kinds("granite-crushed")
    child = pair_factors(result, "listed_pair_child_labour")
    assert [f.source.identifier for f in child] == ["row 6"]  # granite, named first
    assert "Granite (crushed) is a kind of Granite;" in child[0].detail
    # Granite is not listed for forced labour here; gravel, its other broader good, is.
    forced = pair_factors(result, "listed_pair_forced_labour")
    assert [f.source.identifier for f in forced] == ["row 7"]
    assert result.child_labour.score == CONFIG.weight("pair_child_labour")


def test_broader_goods_are_followed_through_each_other():
    result = score_kinds("miraa", country="BBB")
    child = pair_factors(result, "listed_pair_child_labour")
    assert [f.source.identifier for f in child] == ["row 8"]
    assert child[0].detail.startswith("Miraa is a kind of Khat; Khat from Betaland")


def test_listed_elsewhere_counts_the_broader_goods_countries():
    result = score_kinds("bricks-clay", country=None)
    elsewhere = {f.dimension: f for f in result.factors if f.kind == "listed_elsewhere"}
    # Bricks (clay) itself is listed for child labour only; Bricks adds forced labour.
    assert set(elsewhere) == {"forced_labour", "child_labour"}
    assert elsewhere["forced_labour"].detail == (
        "Bricks (clay) is a kind of Bricks, which is listed for forced labour in AAA, BBB; "
        "the origin is unknown."
    )
    assert elsewhere["forced_labour"].source.identifier == "rows 1, 5"
    assert elsewhere["child_labour"].detail.startswith(
        "Bricks (clay) is listed for child labour in BBB, CCC; Bricks, which it is a kind of, "
        "in AAA, BBB, CCC;"
    )
    assert elsewhere["child_labour"].contribution == CONFIG.weight(
        "listed_elsewhere_unknown_origin"
    )


def test_listed_elsewhere_is_silent_where_a_broader_good_covers_the_country():
    # Bricks (clay) is not listed for Alphaland, but Bricks is: "not among them" would be false.
    assert "listed_elsewhere" not in kinds(score_kinds("bricks-clay", country="AAA"))
    assert "listed_elsewhere" not in kinds(score_kinds("granite-crushed", country="AAA"))


def test_an_inputs_broader_good_counts_as_the_input():
    result = score_kinds("cement")
    inputs = pair_factors(result, "listed_input")
    assert [(f.dimension, f.contribution, f.source.identifier) for f in inputs] == [
        ("forced_labour", CONFIG.weight("input_same_country"), "row 9")
    ]
    assert inputs[0].detail == (
        "Cement is typically made from Limestone, a kind of Stones, which is listed for forced "
        "labour in Alphaland (ILAB TVPRA 2022, row 9)."
    )


def test_a_downstream_listing_of_a_broader_good_applies():
    result = score_kinds("perc-cells")
    downstream = pair_factors(result, "listed_pair_downstream")
    assert [(f.dimension, f.source.identifier) for f in downstream] == [("child_labour", "row 11")]
    assert downstream[0].detail.startswith("Cells (PERC) is a kind of Cells; ILAB lists Cells")


# Properties -------------------------------------------------------------------------------

good_ids = st.lists(
    st.sampled_from([g.id for g in GOODS if g.kind == "good"]), max_size=3, unique=True
).map(tuple)
evidence = st.builds(
    LineEvidence,
    good_ids=good_ids,
    derived_inputs=st.sampled_from([(), ("cocoa",)]),
    product_certainty=st.sampled_from(["accepted", "review", "unlisted", "missing"]),
    country_iso3=st.sampled_from([None, "AAA", "BBB", "CCC"]),
    country_certainty=st.sampled_from(["accepted", "review", "missing"]),
    entity_hits=st.sampled_from(
        [(), (EntityHit("cbp-wro-001", "review"),), (EntityHit("cbp-wro-001", "accepted"),)]
    ),
)


@settings(max_examples=200, deadline=None)
@given(evidence)
def test_scores_stay_within_bounds_and_are_reproducible(line):
    first = Scorer(REFERENCE, CONFIG).score(line)
    again = Scorer(REFERENCE, CONFIG).score(line)
    assert first == again
    for exposure in (first.forced_labour, first.child_labour):
        assert 0 <= exposure.score <= 100
        assert 0 <= exposure.confidence <= 1


@settings(max_examples=200, deadline=None)
@given(evidence, st.sampled_from(["hit", "good"]))
def test_adding_evidence_of_risk_never_lowers_a_score(line, addition):
    if addition == "hit":
        richer = LineEvidence(
            line.good_ids,
            line.derived_inputs,
            line.product_certainty,
            line.country_iso3,
            line.country_certainty,
            (*line.entity_hits, EntityHit("cbp-wro-001", "accepted")),
        )
    else:
        # Another listed good on a line whose product is already known: more risk evidence.
        # (Matching a product that was missing is not evidence of risk; it removes the
        # insufficient-data floor and may lower the score, by design.)
        assume(line.good_ids or line.derived_inputs)
        extra = tuple(sorted({*line.good_ids, "cotton"}))
        richer = LineEvidence(
            extra,
            line.derived_inputs,
            line.product_certainty or "accepted",
            line.country_iso3,
            line.country_certainty,
            line.entity_hits,
        )
    scorer = Scorer(REFERENCE, CONFIG)
    before, after = scorer.score(line), scorer.score(richer)
    assert after.forced_labour.score >= before.forced_labour.score
    assert after.child_labour.score >= before.child_labour.score


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            evidence, st.sampled_from(["s1", "s2", "s3"]), st.one_of(st.none(), st.floats(1, 1e6))
        ),
        max_size=12,
    ),
    st.randoms(),
)
def test_roll_up_does_not_depend_on_row_order(rows, rnd):
    scorer = Scorer(REFERENCE, CONFIG)
    lines = [
        ScoredLine(i, group, spend, scorer.score(ev)) for i, (ev, group, spend) in enumerate(rows)
    ]
    shuffled = list(lines)
    rnd.shuffle(shuffled)
    assert aggregate(lines, CONFIG) == aggregate(shuffled, CONFIG)


def test_roll_up_weights_by_spend_when_every_line_has_it():
    scorer = Scorer(REFERENCE, CONFIG)
    risky = scorer.score(LineEvidence(("cocoa",), (), "accepted", "BBB", "accepted"))
    clean = scorer.score(LineEvidence(("valves",), (), "accepted", "CCC", "accepted"))
    lines = [ScoredLine(1, "s1", 900.0, risky), ScoredLine(2, "s2", 100.0, clean)]
    summary = aggregate(lines, CONFIG).portfolio
    assert summary.weighting == "spend"
    expected = 0.9 * risky.child_labour.score + 0.1 * clean.child_labour.score
    assert summary.child_labour.mean == pytest.approx(expected, abs=0.1)
    assert summary.top_lines[0] == 1
    unweighted = aggregate(
        [ScoredLine(1, "s1", None, risky), ScoredLine(2, "s2", 100.0, clean)], CONFIG
    )
    assert unweighted.portfolio.weighting == "lines"


def test_every_factor_kind_has_due_diligence_questions():
    from risk_models.scoring.questions import QUESTIONS

    assert set(QUESTIONS) == set(FACTORS)


def test_questions_follow_the_strongest_factors_first():
    from risk_models.scoring.questions import questions_for

    result = score(
        good_ids=("cocoa",),
        product_certainty="accepted",
        country_iso3="BBB",
        country_certainty="accepted",
    )
    asked = questions_for(result.factors)
    assert asked[0]["factor"] == result.factors[0].kind
    assert len({q["question"] for q in asked}) == len(asked)

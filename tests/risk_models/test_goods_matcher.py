"""The goods matcher: free text, ERP and customs wording, French, HS codes, derived products."""

from __future__ import annotations

import pytest

from reference_data import Good, load_reference_data
from risk_models.matching.goods import EXPLANATIONS, GoodsMatcher, parse_code
from risk_models.matching.result import Thresholds
from supplychain.config import DEFAULTS

LIMITS = Thresholds(DEFAULTS["MATCH_GOODS_ACCEPT"], DEFAULTS["MATCH_GOODS_REVIEW"])


@pytest.fixture(scope="module")
def matcher() -> GoodsMatcher:
    return GoodsMatcher.from_reference(load_reference_data())


def decided(matcher: GoodsMatcher, query: str) -> tuple[str, str]:
    """Return (decision, matched good name or "") for one query."""
    best = matcher.match(query).best
    decision = LIMITS.decide(best.score if best else None)
    return decision, best.name if best and decision != "none" else ""


def good(id: str, name: str, aliases=(), hs=(), kind="good", inputs=()) -> Good:
    return Good(id, name, "Agriculture", "", tuple(aliases), (), tuple(hs), tuple(inputs), kind)


# -- free text on the shipped catalogue -----------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Cotton", "Cotton"),  # the name
        ("coton brut", "Cotton"),  # French alias
        ("raw cotton bales", "Cotton"),
        ("Men's 100% cotton knit T-shirts", "Garments"),
        ("TSHIRT MENS CTN KNIT 180GSM", "Garments"),  # ERP export
        ("RBD palm olein", "Refined Palm Oil"),
        ("Li-ion battery pack 48V", "Lithium-Ion Batteries"),
        ("Crustaceans; frozen, shrimps and prawns, in shell or not", "Shrimp"),  # customs
        ("Coffee, not roasted, not decaffeinated", "Coffee"),
        ("green coffee beans Arabica", "Coffee"),
        ("crevettes congelées", "Shrimp"),
        ("fèves de cacao", "Cocoa"),
        ("Nitrile examination gloves, powder free", "Rubber Gloves"),
        ("cotton and polyester fabric", "Textiles"),
        ("leather handbags for women", "Leather Goods/Accessories"),
        ("garlic powder", "Garlic"),
        ("tomatoes", "Tomatoes"),  # plural folding both ways
        ("tomato", "Tomatoes"),
        ("strawberry", "Strawberries"),
        ("sugar cane", "Sugarcane"),  # written apart
        ("laptop computers", "Electronics"),
        ("Matches, other than pyrotechnic articles", "Matches"),  # negation
        ("Biscuits cream-filled", "Baked Goods"),  # the filling is no head
        ("Baseball caps", "Fashion Accessories"),  # "hats and caps" names caps
        ("Natural rubber SVR 10", "Rubber"),  # a grade after the product
        ("Oranges Valencia", "Citrus Fruits"),  # a variety after the product
        ("Ruby gemstones", "Rubies"),
        ("tomatoe paste", "Tomato Products"),
    ],
)
def test_descriptions_match_the_listed_good(matcher: GoodsMatcher, query: str, expected: str):
    decision, name = decided(matcher, query)
    assert (decision, name) == ("accepted", expected)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Footwear with outer soles of rubber, plastics, leather", "Footwear"),
        ("Men's or boys' suits, ensembles, jackets, blazers, trousers", "Garments"),
        ("Tobacco, unmanufactured; tobacco refuse", "Tobacco"),
        ("Precious metals: Gold: Non-monetary: Unwrought forms", "Gold"),
    ],
)
def test_customs_wording_is_found_at_least_for_review(
    matcher: GoodsMatcher, query: str, expected: str
):
    decision, name = decided(matcher, query)
    assert decision in ("accepted", "review") and name == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [("cotten yarn", "Thread/Yarn"), ("cofee beans", "Coffee"), ("bananna", "Bananas")],
)
def test_misspellings_are_found_but_marked(matcher: GoodsMatcher, query: str, expected: str):
    best = matcher.match(query).best
    assert best is not None and best.name == expected
    assert best.method == "fuzzy"
    assert "misspelling" in {f.name for f in best.features}
    assert LIMITS.decide(best.score) != "none"


@pytest.mark.parametrize(
    "query",
    [
        "coffee machine",  # the good only qualifies the head noun
        "machine à café",
        "cotton candy machine",
        "rice cooker",
        "gold-plated connector",
        "tea towels",
        "kitchen timer",  # not a misspelling of timber
        "software",
        "paracetamol",
        "freight services",
        "ball valves",
        "crude oil",
        "various goods",
        "",
        "   ",
    ],
)
def test_what_is_not_a_listed_good_is_no_match(matcher: GoodsMatcher, query: str):
    assert decided(matcher, query) == ("none", "")


def test_the_head_noun_decides_which_good(matcher: GoodsMatcher):
    assert decided(matcher, "coffee table") == ("accepted", "Furniture")
    assert decided(matcher, "table grapes red globe") == ("accepted", "Grapes")
    assert decided(matcher, "Red onions 60-80mm mesh bag") == ("accepted", "Onions")
    assert decided(matcher, "jute bags") == ("accepted", "Jute (textiles)")
    assert decided(matcher, "Whole black peppercorns ASTA") == ("accepted", "Pepper")
    assert decided(matcher, "tea infuser stainless") == ("none", "")


@pytest.mark.parametrize(
    ("query", "expected"),
    [("Pakistani basmati", "Rice"), ("Vietnamese robusta", "Coffee")],
)
def test_a_telling_word_implies_the_name_for_review(
    matcher: GoodsMatcher, query: str, expected: str
):
    best = matcher.match(query).best
    assert best is not None and best.name == expected
    assert "implied_name" in {f.name for f in best.features}
    assert LIMITS.decide(best.score) == "review"


@pytest.mark.parametrize("query", ["soy sauce", "potato starch", "tiger", "fish tank 50L"])
def test_a_use_of_a_good_does_not_imply_the_good(matcher: GoodsMatcher, query: str):
    assert decided(matcher, query) == ("none", "")


def test_head_noun_explains_why_coffee_machine_is_not_coffee(matcher: GoodsMatcher):
    best = matcher.match("coffee machine").best
    assert best is not None and best.name == "Coffee"
    head = next(f for f in best.features if f.name == "head_noun")
    assert (head.query_value, head.reference_value) == ("machine", "Coffee")
    assert head.score < 0


@pytest.mark.parametrize(
    ("query", "derived"),
    [
        ("tyres", "Tyres"),
        ("rubber tyres", "Tyres"),
        ("chocolate bars", "Chocolate"),
        ("peanut butter", "Peanut Butter"),
        ("orange juice", "Fruit Juice"),
    ],
)
def test_derived_products_are_carried_apart_from_listed_goods(
    matcher: GoodsMatcher, query: str, derived: str
):
    result = matcher.match(query)
    assert result.derived is not None and result.derived.name == derived
    assert LIMITS.decide(result.best.score if result.best else None) == "none"


def test_every_feature_has_an_explanation(matcher: GoodsMatcher):
    queries = ["Men's cotton T-shirts", "coffee machine", "HS 09", "cofee", "0306", "710310"]
    names = {f.name for q in queries for c in matcher.match(q).candidates for f in c.features}
    assert names and names <= set(EXPLANATIONS)
    assert all(EXPLANATIONS[name] for name in names)


def test_candidates_are_ranked_and_capped(matcher: GoodsMatcher):
    result = matcher.match("beans")
    scores = [c.score for c in result.candidates]
    assert scores == sorted(scores, reverse=True)
    assert 1 <= len(result.candidates) <= 5
    assert result.best is not None and result.best.method == "exact"


# -- HS codes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "digits", "padded"),
    [
        ("0901.11", "090111", False),
        ("HS 1801.00", "180100", False),
        ("HTS 6109.10.0012", "6109100012", False),
        ("hs code: 0306", "0306", False),
        ("901.11", "090111", True),  # a spreadsheet dropped the leading zero
        ("09", "09", False),
        ("HS-0901", "0901", False),
        ("CN 0901 11 00", "09011100", False),
        ("commodity code 180100", "180100", False),
    ],
)
def test_codes_are_read_with_or_without_dots_and_prefixes(query, digits, padded):
    assert parse_code(query) == (digits, padded)


@pytest.mark.parametrize("query", ["2", "100", "12345678901", "0901 cotton", "HS", "180GSM"])
def test_numbers_that_are_not_codes_are_not_read_as_codes(query):
    assert parse_code(query) is None


@pytest.mark.parametrize(
    ("query", "expected"),
    [("0901.11", "Coffee"), ("HS 1801.00", "Cocoa"), ("6109.10.0012", "Garments")],
)
def test_shipped_codes_match(matcher: GoodsMatcher, query: str, expected: str):
    best = matcher.match(query).best
    assert best is not None and (best.name, best.method) == (expected, "code")
    assert LIMITS.decide(best.score) == "accepted"


def test_a_code_before_words_is_weighed_with_them(matcher: GoodsMatcher):
    both = matcher.match("0901.11 Coffee, not roasted").best
    assert both is not None and both.name == "Coffee"
    assert "code_and_words_agree" in {f.name for f in both.features}
    only_code = matcher.match("0902.30 Other").best
    assert only_code is not None and (only_code.name, only_code.method) == ("Tea", "code")
    disagree = matcher.match("1005.90 rice")  # the code says maize, the words rice
    assert disagree.best is not None and disagree.best.name == "Rice"
    corn = next(c for c in disagree.candidates if c.name == "Corn")
    assert LIMITS.decide(corn.score) == "none"
    assert decided(matcher, "2000 pcs cotton shirts") == ("accepted", "Garments")  # a count


CODED = GoodsMatcher(
    [
        good("shrimp", "Shrimp", hs=["030616", "030617"]),
        good("shellfish", "Shellfish", hs=["0306", "0307"]),
        good("emeralds", "Emeralds", hs=["710310"]),
        good("rubies", "Rubies", hs=["710310"]),
        good("coffee", "Coffee", hs=["0901"]),
        good("tea", "Tea", hs=["0902"]),
        good("pepper", "Pepper", hs=["090411"]),
        good("chocolate", "Chocolate", hs=["1806"], kind="derived", inputs=["cocoa"]),
    ]
)


def test_the_most_specific_heading_wins():
    result = CODED.match("0306.16.00")
    assert [c.id for c in result.candidates] == ["shrimp", "shellfish"]
    assert LIMITS.decide(result.candidates[0].score) == "accepted"
    assert LIMITS.decide(result.candidates[1].score) == "none"


def test_a_code_shared_by_goods_goes_to_review():
    result = CODED.match("7103.10")
    assert {c.id for c in result.candidates} == {"emeralds", "rubies"}
    assert all(LIMITS.decide(c.score) == "review" for c in result.candidates)


def test_a_short_code_covering_one_good_is_review_and_many_are_none():
    assert LIMITS.decide(CODED.match("0306").best.score) == "accepted"  # a listed heading
    single = CODED.match("0307").best
    assert single is not None and single.id == "shellfish"
    chapter = CODED.match("HS 09")
    assert {c.id for c in chapter.candidates} == {"coffee", "tea", "pepper"}
    assert all(LIMITS.decide(c.score) == "none" for c in chapter.candidates)
    broader = CODED.match("0904").best
    assert broader is not None and broader.id == "pepper"
    assert LIMITS.decide(broader.score) == "review"


def test_a_code_with_no_listed_good_is_no_match():
    assert CODED.match("8471.30").candidates == ()
    chocolate = CODED.match("1806.32")
    assert chocolate.candidates == ()
    assert chocolate.derived is not None and chocolate.derived.id == "chocolate"


# -- mechanics ------------------------------------------------------------------------------


def test_goods_on_the_latest_edition_are_preferred_when_equally_good():
    matcher = GoodsMatcher(
        [good("khat-old", "Khat (old)", ["khat leaves"]), good("khat", "Khat", ["khat leaves"])],
        latest=["khat"],
    )
    result = matcher.match("dried khat leaves")
    assert [c.id for c in result.candidates][:2] == ["khat", "khat-old"]
    assert result.candidates[0].score > result.candidates[1].score


def test_match_many_keeps_order_and_matches_each_distinct_string_once():
    matcher = GoodsMatcher([good("cotton", "Cotton", ["raw cotton"])])
    queries = ["raw cotton", "RAW COTTON", "", "raw cotton", "steel"]
    results = matcher.match_many(queries)
    assert [r.query for r in results] == queries
    assert results[0] is results[3]  # the same string is matched once
    assert results[1].candidates == results[0].candidates  # same words, same answer
    assert [bool(r.candidates) for r in results] == [True, True, False, True, False]

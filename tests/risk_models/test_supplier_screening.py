"""Supplier screening: spelling variants of listed entities are hits, look-alikes are not."""

from __future__ import annotations

import pytest

from reference_data import DATA_DIR, EnforcementEntity, ReferenceData
from reference_data.loader import FileReader, read_entities
from risk_models.matching import MatchResult, Thresholds
from risk_models.matching.legal_forms import canonical_word, fold, split_words, strip_legal_forms
from risk_models.matching.suppliers import SupplierScreener, normalise_company_name

# The service's default cut-offs (supplychain/config.py); the engine itself has none.
LIMITS = Thresholds(accept=92.0, review=80.0)


def listed(
    entity_id: str, name: str, iso3: str, *aliases: str, source: str = "cbp-wro"
) -> EnforcementEntity:
    return EnforcementEntity(entity_id, source, name, aliases, iso3, "", None, "WRO", "", 1)


def reference_of(*entities: EnforcementEntity) -> ReferenceData:
    return ReferenceData("test", "test+00000000", (), {}, {}, {}, (), {}, {}, entities, ())


@pytest.fixture(scope="module")
def shipped() -> SupplierScreener:
    """A screener over the enforcement lists as shipped (only those files are read)."""
    reader = FileReader(DATA_DIR)
    entities = read_entities(reader)
    assert reader.problems == []
    return SupplierScreener(reference_of(*entities))


def best(screener: SupplierScreener, name: str, iso3: str | None = None):
    return screener.screen(name, iso3).best


def words(name: str) -> tuple[str, ...]:
    return normalise_company_name(name).tokens


# -- normalisation --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "form",
    ["Co., Ltd.", "Company Limited", "Co Ltd", "CO.,LTD", "Ltd", "Limited", "Bhd", "Berhad",
     "Sdn. Bhd.", "GmbH", "AG", "S.A.", "S. A. de C. V.", "SARL", "d.o.o.", "(P) Ltd", "Pvt Ltd",
     "Private Limited", "LLC", "Inc", "Incorporated", "Corp.", "Corporation", "PLC", "JSC",
     "A.Ş.", "Tbk", "Pte. Ltd.", "Corporation Bhd", "Ltd. Şti."],
)  # fmt: skip
def test_legal_forms_in_many_languages_fall_away(form):
    assert words(f"Acme Textile {form}") == ("acme", "textile")
    assert normalise_company_name(f"Acme Textile {form}").forms


def test_indonesian_pt_comes_off_the_front_and_tbk_off_the_end():
    name = normalise_company_name("PT Sinar Abadi Tbk")
    assert name.tokens == ("sinar", "abadi")
    assert name.forms == ("pt", "tbk")


def test_a_name_made_only_of_a_legal_form_keeps_its_word():
    assert words("Limited") == ("limited",)


def test_legal_form_in_mid_name_marks_the_words_after_it_as_the_seat():
    legal = strip_legal_forms(split_words(fold("Borovo Europe D.O.O. Vukovar")))
    assert legal.words == ("borovo", "europe", "vukovar")
    assert legal.seat == ("vukovar",)


@pytest.mark.parametrize(
    ("slip", "form"),
    [("Corpration", "corporation"), ("Compnay", "company"), ("Limted", "limited"),
     ("Berhadd", "berhad"), ("Incorparated", "incorporated")],
)  # fmt: skip
def test_misspelt_long_legal_words_still_fall_away_and_say_so(slip, form):
    name = normalise_company_name(f"Zorbak Textile {slip}")
    assert name.tokens == ("zorbak", "textile")
    assert name.forms == (form,) and name.slips == (slip.lower(),)


@pytest.mark.parametrize(
    ("name", "kept"),
    [("Zorbak Compass", "compass"), ("Zorbak Limes", "lime"), ("Zorbak Corporal", "corporal")],
)
def test_words_that_only_look_like_legal_words_stay(name, kept):
    assert words(name) == ("zorbak", kept)


@pytest.mark.parametrize(
    ("name", "seat"),
    [("Zorbak Group Ltd, Port Louis", {"port", "louis"}),
     ("Zorbak Group Co., Ltd. (Xiangyang)", {"xiangyang"}),
     ("Zorbak Textile Corp Shanghai Branch", {"shanghai", "branch"})],
)  # fmt: skip
def test_a_short_tail_after_a_company_form_is_the_seat(name, seat):
    assert normalise_company_name(name).seat == seat


def test_the_seat_after_a_legal_form_costs_like_a_place_not_like_a_name():
    screener = SupplierScreener(reference_of(listed("x-1", "Zorbak Quilting Group Ltd.", "MUS")))
    hit = best(screener, "Zorbak Quilting Group Ltd, Port Louis")
    assert LIMITS.decide(hit.score) != "none"
    assert {f.detail for f in hit.features if f.name == "extra_word"} == {
        'place name "port" is not in the listed name',
        'place name "louis" is not in the listed name',
    }


@pytest.mark.parametrize("form", ["Corp", "Corp.", "Corporation", "CORPORATION", "Corpration"])
def test_a_legal_form_may_stand_for_a_word_of_the_listed_name(form):
    entity = listed("x-1", "Xinjiang Farming Construction Corps", "")
    screener = SupplierScreener(reference_of(entity))
    hit = best(screener, f"Xinjiang Farming Construction {form}")
    assert hit is not None and LIMITS.decide(hit.score) == "accepted"
    assert "legal_form_as_word" in {f.name for f in hit.features} and hit.method == "variant"
    assert screener.screen("Xinjiang Farming Construction Co").candidates == ()
    assert screener.screen("Xinjiang Farming Construction Company").candidates == ()


def test_a_legal_form_written_in_full_says_so_when_it_stands_for_a_word():
    screener = SupplierScreener(reference_of(listed("x-1", "Xinjiang Farming Corps", "")))
    hit = best(screener, "Xinjiang Farming Corporation")
    (feature,) = [f for f in hit.features if f.name == "legal_form_as_word"]
    assert (feature.query_value, feature.reference_value) == ("corporation", "corps")
    assert 'the legal form "corporation" stands for the listed word' in feature.detail


@pytest.mark.parametrize("iso3", ["CHN", None])
def test_the_corps_is_found_when_written_as_a_corporation(shipped, iso3):
    hit = best(shipped, "Xinjiang Production and Construction Corporation", iso3)
    assert hit is not None and hit.id == "uflpa-001" and LIMITS.decide(hit.score) == "accepted"


def test_a_name_written_with_both_renderings_of_a_word_is_the_listed_name():
    entity = listed("x-1", "Dalian Xinghai Rubber Works", "CHN", "Dalian Starsea Rubber Works")
    screener = SupplierScreener(reference_of(entity))
    for query in ["Dalian Xinghai (Starsea) Rubber Works", "Dalian Xinghai Starsea Rubber Works"]:
        hit = best(screener, query)
        assert hit.id == "x-1" and LIMITS.decide(hit.score) == "accepted", query
        assert "Dalian Xinghai (Starsea) Rubber Works" in hit.features[0].detail


def test_both_renderings_need_a_short_replaced_span_and_a_shared_rest():
    from risk_models.matching.suppliers import _both_renderings

    assert _both_renderings("Dalian Xinghai Rubber Works", "Dalian Starsea Rubber Works") == (
        "Dalian Xinghai (Starsea) Rubber Works"
    )
    assert _both_renderings("Dalian Xinghai Rubber Works", "Fujian Hengtai Metal Trading") == ""
    assert _both_renderings("Dalian Xinghai Works", "Dalian Xinghai Rubber Works") == ""


def test_a_short_name_found_only_through_a_slip_is_not_a_hit():
    screener = SupplierScreener(reference_of(listed("x-1", "Korvi Apparel", "IND")))
    assert LIMITS.decide(best(screener, "Korvi Apparel Co Ltd").score) == "accepted"
    slip = best(screener, "Korva Garments Co., Ltd.")
    assert slip is not None and LIMITS.decide(slip.score) == "none"
    assert "thin_name" in {f.name for f in slip.features}
    # With a place that agrees as well, the same slip is believable.
    placed = SupplierScreener(reference_of(listed("x-2", "Hetian Korvi Apparel", "CHN")))
    assert LIMITS.decide(best(placed, "Hetian Korva Apparel").score) != "none"


def test_case_accents_punctuation_and_ampersand_fold_together():
    assert words("SOCIÉTÉ  Générale & Fils") == words("societe generale and fils")
    assert words("O'Brien-Smith, Ltd.") == ("obrien", "smith")


def test_dotted_and_spaced_initials_join_into_one_word():
    assert words("L.Y.S.Z.D. Trade") == words("L Y S Z D Trade") == words("LYSZD Trade")


@pytest.mark.parametrize(
    ("short", "long"),
    [("Mfg", "Manufacturing"), ("Intl", "International"), ("Tech", "Technology"),
     ("Info", "Information"), ("Ind", "Industrial"), ("Inds", "Industries"),
     ("Dev", "Development"), ("Grp", "Group"), ("Prod", "Products"), ("Garments", "Apparel"),
     ("Plant", "Factory"), ("Fty", "Factory"), ("Acc", "Accessories"), ("Ent", "Enterprise"),
     ("Gmts", "Garments"), ("Tex", "Textiles"), ("Cty", "County"), ("Fca", "Finca")],
)  # fmt: skip
def test_abbreviations_and_translation_synonyms_fold_together(short, long):
    assert words(f"Acme {short}") == words(f"Acme {long}")


@pytest.mark.parametrize(
    ("variant", "canonical"),
    [("Hotan", "Hetian"), ("Kashi", "Kashgar"), ("Wulumuqi", "Urumqi"), ("Sinkiang", "Xinjiang"),
     ("Beedi", "Bidi")],
)  # fmt: skip
def test_known_romanisations_of_one_place_fold_together(variant, canonical):
    assert words(variant) == words(canonical)
    assert canonical_word(variant.lower())[1] == "transliteration"


def test_plurals_fold_but_words_ending_in_ss_or_is_do_not():
    assert words("Gloves Accessories") == ("glove", "accessory")
    assert words("Glass Oasis") == ("glass", "oasis")


# -- hits -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "iso3", "entity_id"),
    [
        ("HETIAN TAIDA APPAREL COMPANY LIMITED", None, "cbp-wro-032"),
        ("Hotan Taida Apparel Co Ltd", "CHN", "cbp-wro-032"),
        ("Hetian Tayda Apparel Co., Ltd.", None, "cbp-wro-032"),  # a typo
        ("Hotan Taida Garments Co", "CHN", "uflpa-004"),  # transliteration and synonym
        ("hefei bitland info tech co ltd", None, "cbp-wro-044"),
        ("Xinjiang Junggar Cotton & Linen Co.", None, "uflpa-009"),
        ("Baoding L.Y.S.Z.D. Trade and Business Co. Ltd", "CHN", "cbp-wro-043"),
        ("Top Glove Sdn. Bhd.", "MYS", "cbp-wro-045"),
        ("TopGlove Corporation Berhad", None, "cbp-wro-045"),
        ("Giant Mfg. Co., Ltd.", "TWN", "cbp-wro-051"),
        ("Nine Star Corp", None, "uflpa-013"),
        ("Natchi Apparels (P) Ltd", "IND", "cbp-wro-036"),
        ("Hoshine Silicon Industry (Shanshan) Co Ltd", "CHN", "uflpa-005"),
        ("Kwong Ngai Industries Co", None, "cbp-wro-016"),
        ("Shenyang New Life Rubber Factory", None, "cbp-wro-011"),  # alias
        ("XPCC", None, "uflpa-001"),  # alias
        ("BAT Malawi Ltd", "MWI", "cbp-wro-049"),  # alias
        ("Linglong International Europe d.o.o.", "SRB", "cbp-wro-053"),
        ("Finca Monte Grande, S.A. de C.V.", "MEX", "cbp-wro-054"),
        ("Chenguang Biotech Group Co Ltd", "CHN", "uflpa-019"),
    ],
)
def test_variants_of_listed_entities_are_hits(shipped, query, iso3, entity_id):
    result = shipped.screen(query, iso3)
    hits = {c.id: c for c in result.candidates if LIMITS.decide(c.score) != "none"}
    assert entity_id in hits, result


@pytest.mark.parametrize(
    "query",
    [
        "Hetian Taida Apparel Co., Ltd.",
        "Hotan Taida Apparel Co Ltd",
        "Top Glove Corporation Bhd",
        "Hefei Bitland Information Technology Co., Ltd.",
        "Dongguan Oasis Shoes Co Ltd",
    ],
)
def test_same_words_are_accepted_without_a_country(shipped, query):
    assert LIMITS.decide(best(shipped, query).score) == "accepted"


def test_an_entity_on_two_lists_is_a_hit_on_both(shipped):
    result = shipped.screen("Hoshine Silicon Industry Co., Ltd.")
    assert {(c.source, c.id) for c in result.candidates if c.score >= 92} == {
        ("cbp-wro", "cbp-wro-046"),
        ("uflpa", "uflpa-005"),
    }


def test_candidates_carry_the_entity_as_listed_and_come_best_first(shipped):
    result = shipped.screen("Xinjiang Zhongtai Chemical Co Ltd", "CHN")
    assert isinstance(result, MatchResult)
    assert result.query == "Xinjiang Zhongtai Chemical Co Ltd"
    scores = [c.score for c in result.candidates]
    assert scores == sorted(scores, reverse=True)
    top = result.best
    assert (top.id, top.name, top.source, top.method) == (
        "uflpa-014",
        "Xinjiang Zhongtai Chemical Co., Ltd.",
        "uflpa",
        "exact",
    )


def test_methods_say_how_the_name_was_found(shipped):
    assert best(shipped, "Bingtuan").method == "alias"
    assert best(shipped, "Hotan Taida Apparel").method == "variant"
    assert best(shipped, "Hetian Tayda Apparel").method == "fuzzy"


# -- names carrying other names -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "carried"),
    [("Acme Ltd d/b/a Zorbak Quilting", ["Acme Ltd", "Zorbak Quilting"]),
     ("Acme Ltd D.B.A. Zorbak Quilting", ["Acme Ltd", "Zorbak Quilting"]),
     ("Acme Ltd, a.k.a. Zorbak", ["Acme Ltd", "Zorbak"]),
     ("Acme Ltd aka Zorbak", ["Acme Ltd", "Zorbak"]),
     ("Acme Ltd f/k/a Zorbak Inc", ["Acme Ltd", "Zorbak Inc"]),
     ("Acme t/a Zorbak", ["Acme", "Zorbak"]),
     ("Acme Pty Ltd trading as Zorbak", ["Acme Pty Ltd", "Zorbak"]),
     ("Acme Co (formerly Zorbak Co)", ["Acme Co", "Zorbak Co"]),
     ("ZQ (Zorbak Quilting)", ["ZQ", "Zorbak Quilting"]),
     ("Zorbak Quilting Co. (Klang) Sdn Bhd", ["Zorbak Quilting Co. Sdn Bhd", "Klang"]),
     ("Zorbak Quilting [Penang Branch]", ["Zorbak Quilting", "Penang Branch"]),
     ("Zorbak Quilting (Penang", ["Zorbak Quilting", "Penang"]),  # a field cut short
     ("Zorbak (Group) Ltd t/a Acme", ["Zorbak (Group) Ltd", "Zorbak Ltd", "Group", "Acme"])],
)  # fmt: skip
def test_a_name_carries_the_names_in_its_brackets_and_after_aka(name, carried):
    from risk_models.matching.suppliers import carried_names

    assert [c.text for c in carried_names(name)] == carried


@pytest.mark.parametrize(
    "name", ["Aka Textiles Ltd", "Zorbak Trading AS", "Ta Hsing Co", "Acme Import/Export Ltd"]
)
def test_words_that_only_look_like_aka_carry_no_other_name(name):
    from risk_models.matching.suppliers import carried_names

    assert carried_names(name) == ()


@pytest.fixture(scope="module")
def zorbak() -> SupplierScreener:
    return SupplierScreener(
        reference_of(
            listed("x-1", "Zorbak Quilting Group Ltd.", "MUS", "ZQG"),
            listed("x-2", "Hetian Velmora Apparel Co., Ltd.", "CHN"),
            listed("x-3", "Kestrel Glove Corporation Bhd", "MYS"),
        )
    )


@pytest.mark.parametrize(
    ("query", "entity_id", "shown"),
    [("Acme Holdings Ltd d/b/a Zorbak Quilting Group", "x-1", 'given after "d/b/a"'),
     ("Zorbak Quilting Group Ltd t/a Acme Foods", "x-1", 'before "t/a"'),
     ("Zorbak Quilting (Group) Ltd t/a Acme Foods", "x-1", 'before "t/a"'),
     ("Acme Holdings Ltd (formerly Zorbak Quilting Group Ltd)", "x-1", 'after "formerly"'),
     ("Hetian Velmora Apparel Co., Ltd. (aka Hotan Velmora Apparel)", "x-2", "outside"),
     ("Acme Co., Ltd. (aka Hotan Velmora Apparel)", "x-2", 'after "aka"'),
     ("ZQG (Zorbak Quilting Group)", "x-1", "in brackets"),
     ("Acme Holdings Ltd (ZQG)", "x-1", "in brackets"),  # a listed alias, as is
     ("Kestrel Glove Sdn Bhd (Klang)", "x-3", "where the company sits"),
     ("Kestrel Glove Corporation Bhd (Klang Factory)", "x-3", "a branch or site"),
     ("Hetian Velmora Apparel Co., Ltd. (Velmora)", "x-2", "words of the name again"),
     ("Kestrel Glove Corporation Bhd (KGC)", "x-3", "the initials of the name")],
)  # fmt: skip
def test_a_name_carried_by_the_supplier_name_is_accepted_and_named(zorbak, query, entity_id, shown):
    hit = best(zorbak, query)
    assert hit is not None and hit.id == entity_id and LIMITS.decide(hit.score) == "accepted"
    (carried,) = [f for f in hit.features if f.name == "carried_name"]
    assert shown in carried.detail and f'screened as "{carried.query_value}"' in carried.detail
    assert hit.score == pytest.approx(min(100.0, sum(f.score for f in hit.features)))
    assert hit.method in ("variant", "alias", "fuzzy")


def test_a_bracketed_place_or_branch_costs_less_than_the_same_words_outside(zorbak):
    bracketed = best(zorbak, "Kestrel Glove Sdn Bhd (Klang Branch)", "MYS")
    plain = best(zorbak, "Kestrel Glove Sdn Bhd Klang Branch", "MYS")
    assert bracketed.score >= 98 and LIMITS.decide(plain.score) != "accepted"


@pytest.mark.parametrize(
    "query",
    ["Acme Trading Ltd (ZQ)",  # two or three letters: only a listed alias as is
     "Acme Trading Ltd (ZQX)",
     "Acme Trading Ltd (Velmora)",  # one word of a listed name is not that name
     "Acme Trading Ltd (aka Velmora)",
     "Kestrel Glove (Sports Equipment) Co",  # business words in brackets are the name's
     "Velmora Foods Ltd (Hetian)"],
)  # fmt: skip
def test_a_carried_name_gives_no_hit_that_its_words_would_not(zorbak, query):
    carried = best(zorbak, query)
    plain = best(zorbak, query.replace("(", "").replace(")", ""))
    if carried is not None:
        assert carried.score <= plain.score, carried
        assert "carried_name" not in {f.name for f in carried.features}


def test_another_name_in_brackets_sends_the_listed_name_to_review(zorbak):
    hit = best(zorbak, "Kestrel Glove Co (Sunbeam)", "MYS")
    assert hit.id == "x-3" and LIMITS.decide(hit.score) == "review"
    assert "another name" in next(f.detail for f in hit.features if f.name == "carried_name")


def test_the_same_words_bracketed_otherwise_are_screened_apart(zorbak):
    pairs = [("Acme (Zorbak Quilting Group)", None), ("Acme Zorbak Quilting Group", None)]
    carried, plain = zorbak.screen_many(pairs)
    assert LIMITS.decide(carried.best.score) == "accepted"
    assert LIMITS.decide(plain.best.score) != "accepted"
    for (name, iso3), result in zip(pairs, (carried, plain), strict=True):
        assert result.candidates == zorbak.screen(name, iso3).candidates


@pytest.mark.parametrize(
    ("query", "entity_id"),
    [("Hetian Taida Apparel Co., Ltd. (aka Hotan Taida)", "uflpa-004"),
     ("XPCC (Xinjiang Production and Construction Corporation)", "uflpa-001"),
     ("Xinjiang Production & Construction Corporation (XPCC)", "uflpa-001"),
     ("Top Glove Sdn Bhd (Klang)", "cbp-wro-045")],
)  # fmt: skip
def test_listed_entities_carried_by_a_supplier_name_are_accepted(shipped, query, entity_id):
    result = shipped.screen(query, "CHN" if "Glove" not in query else "MYS")
    hits = {c.id: c for c in result.candidates if LIMITS.decide(c.score) == "accepted"}
    assert entity_id in hits, result


def test_a_word_of_the_name_written_again_costs_a_point_and_keeps_the_match_whole(zorbak):
    hit = best(zorbak, "Hetian Velmora Apparel Co., Ltd. / Hotan Velmora", "CHN")
    assert hit.id == "x-2" and LIMITS.decide(hit.score) == "accepted"
    names = [f.name for f in hit.features]
    assert names.count("repeated_word") == 2 and "thin_name" not in names
    assert "extra_word" not in names
    assert hit.score == pytest.approx(min(100.0, sum(f.score for f in hit.features)))


def test_a_repeated_word_does_not_excuse_the_other_words(zorbak):
    hit = best(zorbak, "Hetian Velmora Apparel Co., Ltd. / Velmora Foods", "CHN")
    assert LIMITS.decide(hit.score) != "accepted"


def test_a_business_word_after_the_form_is_no_place_but_a_branch_is(zorbak):
    hit = best(zorbak, "Hetian Velmora Apparel Co., Ltd. Foods", "CHN")
    assert 'generic business word "foods" is not in the listed name' in {
        f.detail for f in hit.features
    }
    branch = best(zorbak, "Hetian Velmora Apparel Co., Ltd. Branch", "CHN")
    assert 'place name "branch" is not in the listed name' in {f.detail for f in branch.features}


def test_the_seat_is_the_words_after_the_form_not_the_same_words_elsewhere():
    entity = listed("x-1", "Xinjiang Korvane Chemical Co., Ltd.", "CHN", "Korvane Chemical")
    screener = SupplierScreener(reference_of(entity))
    hit = best(screener, "Korvane Securities Co., Ltd. / Korvane Securities", "CHN")
    assert hit is None or LIMITS.decide(hit.score) == "none", hit


# -- misses ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "Hetian Fresh Fruit Co.",
        "Shanghai Huayi Group Co., Ltd.",
        "Tianjin Sunrise Trading Co",
        "Guangzhou Pearl Apparel Co., Ltd.",
        "Xinjiang Huafeng Textile Co Ltd",
        "Yunnan Baiyao Group",
        "Machinery Co Ltd",
        "Union Trading Co",
        "Shenyang Industrial Rubber Plant",
        "Apparel Co., Ltd.",
    ],
)
def test_names_sharing_only_generic_words_and_places_are_not_candidates(shipped, query):
    assert shipped.screen(query).candidates == ()


@pytest.mark.parametrize(
    ("query", "iso3"),
    [
        ("Giant Eagle Inc.", "USA"),
        ("Giant Eagle Inc.", None),
        ("Camel Toys Co., Ltd.", None),
        ("Camel Trading Co", "CHN"),
        ("Top Gloves Trading", None),
        ("Top Gloves Trading", "MYS"),
        ("Top Quality Gloves Sdn Bhd", "MYS"),
        ("Tianshan Cement Co., Ltd.", "CHN"),
        ("Meixin Trading Co", None),
        ("Wang Da Trading", None),
        ("Oasis Footwear Ltd", "GBR"),
    ],
)
def test_short_and_common_listed_names_do_not_match_look_alikes(shipped, query, iso3):
    result = shipped.screen(query, iso3)
    assert all(LIMITS.decide(c.score) == "none" for c in result.candidates), result


@pytest.mark.parametrize(
    ("query", "listed_word", "believable"),
    [("Hetian Haolun Hair Accessories Co Ltd", "haolin", True),  # a vowel for a vowel
     ("Hoshin Silicon Industry Co Ltd", "hoshine", True),  # a letter lost
     ("Supermac Corporation Bhd", "supermax", True),
     ("Hetian Baolin Hair Accessories Co Ltd", "haolin", False),  # another first letter
     ("Grant Manufacturing Co., Ltd.", "giant", False),  # a consonant in a short word
     ("Chengguang Textile Co., Ltd.", "chenguang", True)],  # believable, but more differs
)  # fmt: skip
def test_only_believable_misspellings_count_and_only_when_the_rest_agrees(
    shipped, query, listed_word, believable
):
    result = shipped.screen(query)
    typos = [f for c in result.candidates for f in c.features if f.name == "typo"]
    assert any(f.reference_value == listed_word for f in typos) is believable
    matched = any(LIMITS.decide(c.score) != "none" for c in result.candidates)
    assert matched is (believable and not query.startswith("Chengguang"))


def test_a_look_alike_stays_visible_as_a_near_miss(shipped):
    near = best(shipped, "Giant Eagle Inc.")
    assert near is not None and near.id == "cbp-wro-051" and 60 <= near.score < 80
    assert {"extra_word", "missing_word", "thin_name"} <= {f.name for f in near.features}


def test_a_missing_distinctive_word_rules_out_a_hit(shipped):
    result = shipped.screen("Inner Mongolia Hengzheng Group")  # the parent, not the listed unit
    assert all(c.score < 80 for c in result.candidates)


def test_numbers_tell_vessels_and_prisons_apart(shipped):
    result = shipped.screen("Da Wang 2")
    assert result.best.id == "cbp-wro-039"
    assert all(c.score < 80 for c in result.candidates if c.id == "cbp-wro-038")


def test_a_subsidiary_of_a_long_coined_name_goes_to_review(shipped):
    hit = best(shipped, "Supermax Glove Manufacturing Sdn Bhd", "MYS")
    assert hit.id == "cbp-wro-047" and LIMITS.decide(hit.score) == "review"


@pytest.mark.parametrize("query", ["Ninestar Logistics Co", "Hoshine Foods Ltd"])
def test_a_coined_listed_word_with_other_business_words_goes_to_review(shipped, query):
    assert LIMITS.decide(best(shipped, query).score) == "review"


def test_names_of_thin_records_need_every_word_when_none_is_distinctive():
    screener = SupplierScreener(reference_of(listed("x-1", "Yunnan Machinery", "CHN")))
    assert best(screener, "Yunnan Machinery Co., Ltd.").score >= 92
    assert screener.screen("Machinery Co., Ltd.").candidates == ()
    assert screener.screen("Yunnan Tea Group").candidates == ()


def test_words_common_in_the_lists_count_as_generic():
    entities = [listed(f"x-{i}", f"Zorbak {word} Works", "CHN") for i, word in
                enumerate(["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf",
                           "Hotel", "India", "Juliet"])]  # fmt: skip
    screener = SupplierScreener(reference_of(*entities))
    assert screener.screen("Zorbak Trading").candidates == ()
    assert best(screener, "Zorbak Delta Works").id == "x-3"


def test_rejected_names_never_reach_the_comparison(monkeypatch, shipped):
    calls = []
    original = SupplierScreener._compare
    monkeypatch.setattr(
        SupplierScreener, "_compare", lambda self, *a: calls.append(a) or original(self, *a)
    )
    shipped.screen_many([(f"Shanghai Apparel Trading {i} Co Ltd", None) for i in range(200)])
    assert calls == []


# -- country --------------------------------------------------------------------------------------


def test_country_is_evidence_not_a_filter(shipped):
    same = best(shipped, "Top Glove", "MYS")
    unknown = best(shipped, "Top Glove")
    other = best(shipped, "Top Glove", "USA")
    assert same.id == unknown.id == other.id == "cbp-wro-045"
    assert same.score > unknown.score > other.score
    assert other.score >= 80  # the same name elsewhere still goes to a person


def test_country_signal_explains_agreement_difference_and_absence(shipped):
    def country(iso3):
        return next(f for f in best(shipped, "Top Glove", iso3).features if f.name == "country")

    agree, differ, absent = country("MYS"), country("usa"), country(None)
    assert agree.score > 0 and (agree.query_value, agree.reference_value) == ("MYS", "MYS")
    assert differ.score < 0 and "USA" in differ.detail and "MYS" in differ.detail
    assert absent.score == 0 and "no supplier country" in absent.detail


# -- explanations ---------------------------------------------------------------------------------


def test_every_point_of_a_score_is_explained(shipped):
    for query, iso3 in [("Hotan Tayda Garments Co", "CHN"), ("Giant Eagle Inc.", "USA")]:
        for candidate in shipped.screen(query, iso3).candidates:
            assert candidate.score == pytest.approx(
                min(100.0, sum(f.score for f in candidate.features))
            )


def test_features_show_the_values_they_compared(shipped):
    features = {f.name: f for f in best(shipped, "Hotan Tayda Apparel Co Ltd").features}
    assert (features["transliteration"].query_value,
            features["transliteration"].reference_value) == ("hotan", "hetian")  # fmt: skip
    assert (features["typo"].query_value, features["typo"].reference_value) == ("tayda", "taida")
    assert features["listed_name"].reference_value == "Hetian Taida Apparel Co., Ltd."
    assert features["legal_form"].score > 0


def test_an_alias_hit_says_which_alias(shipped):
    features = best(shipped, "Junggar Cotton").features
    assert features[0].name == "listed_alias" and "Junggar Cotton" in features[0].detail


# -- many at once ---------------------------------------------------------------------------------


def test_screen_many_answers_in_order_and_agrees_with_screen(shipped):
    pairs = [
        ("Hetian Taida Apparel", "CHN"),
        ("Acme", None),
        ("hetian taida apparel", "CHN"),
        ("Hetian Taida Apparel", "CHN"),
        ("Top Glove", "MYS"),
        ("Top Glove", None),
    ]
    results = shipped.screen_many(pairs)
    assert [r.query for r in results] == [name for name, _ in pairs]
    for (name, iso3), result in zip(pairs, results, strict=True):
        assert result.candidates == shipped.screen(name, iso3).candidates
    assert results[0] is results[3]  # the same pair is screened once
    assert results[0].candidates is results[2].candidates  # as is the same normalised name
    assert results[4].best.score != results[5].best.score  # the country is part of the key


def test_screen_many_accepts_lower_case_and_blank_countries(shipped):
    upper, lower, blank = shipped.screen_many([("Top Glove", "MYS"), ("Top Glove", " mys "),
                                               ("Top Glove", "")])  # fmt: skip
    assert upper.best.score == lower.best.score
    assert blank.best.score == best(shipped, "Top Glove").score

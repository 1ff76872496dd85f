"""Column recognition: English, French and ERP headers, doubts, contests, and explicit mappings."""

from __future__ import annotations

import pytest

from supplychain.ingest import IngestError, explicit_mapping, normalise_header, propose_mapping


def mapped(headers: list[str]) -> dict[str, str]:
    return propose_mapping(headers).to_dict()


@pytest.mark.parametrize(
    ("header", "field"),
    [
        # English and ERP wording
        ("Vendor", "supplier_name"),
        ("Vendor Name", "supplier_name"),
        ("SUPPLIER", "supplier_name"),
        ("Supplier_Name", "supplier_name"),
        ("Vendor #", "supplier_id"),
        ("Vendor No.", "supplier_id"),
        ("Country of origin", "country"),
        ("COO", "country"),
        ("Origin", "country"),
        ("Supplier Country", "country"),
        ("Item description", "product_description"),
        ("Product", "product_description"),
        ("Product Desc.", "product_description"),
        ("HS", "hs_code"),
        ("HTS", "hs_code"),
        ("HS code", "hs_code"),
        ("Tariff code", "hs_code"),
        ("Amount", "spend"),
        ("Spend", "spend"),
        ("Qty", "quantity"),
        ("UoM", "unit"),
        ("Tier", "tier"),
        ("Supplier Address", "address"),
        # French
        ("Fournisseur", "supplier_name"),
        ("Nom du fournisseur", "supplier_name"),
        ("Raison sociale", "supplier_name"),
        ("N° fournisseur", "supplier_id"),
        ("Pays", "country"),
        ("Pays d'origine", "country"),
        ("PAYS D’ORIGINE", "country"),
        ("Produit", "product_description"),
        ("Description article", "product_description"),
        ("Désignation", "product_description"),
        ("Designation", "product_description"),
        ("Code SH", "hs_code"),
        ("Montant", "spend"),
        ("Dépenses", "spend"),
        ("Devise", "currency"),
        ("Quantité", "quantity"),
        ("Qté", "quantity"),
        ("Unité", "unit"),
        ("Rang", "tier"),
        ("Adresse", "address"),
    ],
)
def test_headers_are_recognised_in_english_french_and_erp_wording(header: str, field: str):
    mapping = propose_mapping([header])

    assert mapping.to_dict() == {field: header}


def test_normalising_folds_case_accents_punctuation_and_function_words():
    assert normalise_header("  Pays d’Origine ") == normalise_header("PAYS_ORIGINE")
    assert normalise_header("Nom du fournisseur") == "nom fournisseur"
    assert normalise_header("Vendor #") == normalise_header("vendor no.") == "vendor number"


def test_a_complete_english_erp_export_needs_no_confirmation():
    headers = [
        "Vendor",
        "Vendor #",
        "COO",
        "Item description",
        "HTS",
        "Amount",
        "Currency",
        "Qty",
        "UoM",
        "Tier",
    ]

    mapping = propose_mapping(headers)

    assert not mapping.needs_confirmation
    assert mapping.reasons == ()
    assert mapping.column("supplier_id") == 1
    assert all(choice.confidence == 1.0 for choice in mapping.choices.values())


def test_a_complete_french_export_needs_no_confirmation():
    headers = [
        "Raison sociale",
        "Pays d'origine",
        "Désignation",
        "Code SH",
        "Montant",
        "Devise",
        "Rang",
    ]

    mapping = propose_mapping(headers)

    assert not mapping.needs_confirmation
    assert set(mapping.choices) == {
        "supplier_name",
        "country",
        "product_description",
        "hs_code",
        "spend",
        "currency",
        "tier",
    }


@pytest.mark.parametrize(
    ("header", "currency"),
    [
        ("Value (CAD)", "CAD"),
        ("Spend USD", "USD"),
        ("Montant (€)", "EUR"),
        ("Montant en CAD", "CAD"),
        ("Value (C$)", "CAD"),
        ("Spend (US$)", "USD"),
    ],
)
def test_a_currency_in_the_spend_header_becomes_the_currency_hint(header: str, currency: str):
    mapping = propose_mapping(["Supplier", "Country", header])

    assert mapping.column("spend") == 2
    assert mapping.currency_hint == currency
    assert not mapping.needs_confirmation


def test_a_lower_case_word_is_not_taken_for_a_currency_code():
    mapping = propose_mapping(["Supplier", "Country", "Total all"])  # ALL is the Albanian lek

    assert mapping.currency_hint is None


def test_a_dollar_sign_in_the_spend_header_asks_which_dollar():
    mapping = propose_mapping(["Supplier", "Country", "Amount ($)"])

    assert mapping.column("spend") == 2
    assert mapping.currency_hint is None
    assert mapping.needs_confirmation
    assert any("'$'" in reason for reason in mapping.reasons)


def test_a_typo_is_matched_fuzzily_with_a_confidence_below_one():
    mapping = propose_mapping(["Suplier nmae", "Country"])

    choice = mapping.choices["supplier_name"]
    assert choice.method == "fuzzy"
    assert 0.8 <= choice.confidence < 1.0


def test_a_doubtful_match_asks_for_confirmation():
    mapping = propose_mapping(["country", "name", "address"])  # an open-data facility list

    assert mapping.choices["supplier_name"].header == "name"
    assert mapping.choices["supplier_name"].confidence < 0.9
    assert mapping.needs_confirmation
    assert mapping.reasons == ("'name' was read as Supplier name (confidence 85%).",)


def test_the_confirmation_threshold_is_configurable():
    assert not propose_mapping(["country", "name"], confirm_below=0.8).needs_confirmation


def test_competing_headers_are_flagged_and_the_stronger_one_is_chosen():
    mapping = propose_mapping(["Description", "Supplier", "Item description", "Country"])

    assert mapping.choices["product_description"].header == "Item description"
    assert mapping.competing == {"product_description": ("Description",)}
    assert mapping.needs_confirmation
    assert "'Description'" in mapping.reasons[0]


def test_two_equally_good_headers_compete_and_the_leftmost_wins():
    mapping = propose_mapping(["Supplier", "Country", "Country of origin"])

    assert mapping.choices["country"].header == "Country"
    assert mapping.competing == {"country": ("Country of origin",)}
    assert mapping.needs_confirmation


@pytest.mark.parametrize(
    ("headers", "missing"),
    [
        (["Supplier", "Amount"], ("country",)),
        (["Country", "Amount"], ("supplier_name_or_product_description",)),
        (["Amount"], ("supplier_name_or_product_description", "country")),
    ],
)
def test_missing_required_fields_ask_for_confirmation(headers: list[str], missing: tuple[str, ...]):
    mapping = propose_mapping(headers)

    assert mapping.missing_required == missing
    assert mapping.needs_confirmation


def test_a_product_without_a_supplier_is_enough():
    mapping = propose_mapping(["Product", "Country"])

    assert mapping.missing_required == ()
    assert not mapping.needs_confirmation


@pytest.mark.parametrize(
    "header", ["Unit price", "Prix unitaire", "Product code", "SKU", "Date", "City"]
)
def test_lookalike_headers_are_left_unmapped(header: str):
    mapping = propose_mapping(["Supplier", "Country", header])

    assert mapping.unmapped == (header,)


def test_short_unknown_headers_are_not_fuzzily_matched():
    assert mapped(["ID2", "PO", "Ref"]) == {}


# Explicit mappings


def test_an_explicit_mapping_accepts_header_names_and_column_indexes():
    headers = ["Nom", "Pays", "Produit", "Valeur"]

    mapping = explicit_mapping(
        headers,
        {"supplier_name": "Nom", "country": 1, "spend": "valeur", "tier": None},
        currency_hint="cad",
    )

    assert mapping.to_dict() == {"supplier_name": "Nom", "country": "Pays", "spend": "Valeur"}
    assert mapping.currency_hint == "CAD"
    assert not mapping.needs_confirmation
    assert {choice.method for choice in mapping.choices.values()} == {"explicit"}


def test_a_saved_mapping_round_trips_through_to_dict():
    headers = ["Vendor", "Vendor #", "COO", "Item description"]
    proposal = propose_mapping(headers)

    again = explicit_mapping(headers, proposal.to_dict())

    assert {name: c.column for name, c in again.choices.items()} == {
        name: c.column for name, c in proposal.choices.items()
    }


def test_an_unknown_header_is_refused_by_name():
    with pytest.raises(IngestError) as caught:
        explicit_mapping(["Supplier", "Country"], {"supplier_name": "Vendor Name"})

    assert caught.value.code == "bad_mapping"
    assert "'Vendor Name'" in caught.value.detail
    assert "'Supplier', 'Country'" in caught.value.detail


def test_an_unknown_field_is_refused_by_name():
    with pytest.raises(IngestError, match="'colour' is not a field"):
        explicit_mapping(["Supplier"], {"supplier_name": 0, "colour": 0})


def test_an_out_of_range_index_is_refused():
    with pytest.raises(IngestError, match=r"Column index 5 .* numbered 0 to 1"):
        explicit_mapping(["Supplier", "Country"], {"supplier_name": 5})


def test_one_column_for_two_fields_is_refused():
    with pytest.raises(IngestError, match="mapped to both"):
        explicit_mapping(
            ["Supplier", "Country"], {"supplier_name": 0, "product_description": "Supplier"}
        )


def test_an_explicit_mapping_needs_something_to_screen():
    with pytest.raises(IngestError, match="supplier name or a product description"):
        explicit_mapping(["Supplier", "Country"], {"country": "Country"})


def test_an_explicit_mapping_may_lack_a_country_but_says_so():
    mapping = explicit_mapping(["Supplier"], {"supplier_name": "Supplier"})

    assert mapping.missing_required == ("country",)
    assert not mapping.needs_confirmation


def test_an_unknown_currency_hint_is_refused():
    with pytest.raises(IngestError, match="'XYZ' is not a known currency"):
        explicit_mapping(["Supplier"], {"supplier_name": 0}, currency_hint="XYZ")

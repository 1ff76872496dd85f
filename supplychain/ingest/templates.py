"""Downloadable upload templates: the canonical columns, one example row, help in EN and FR."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from supplychain.ingest.columns import FIELD_NAMES, FIELDS

SHEET_DATA = "Suppliers"
SHEET_HELP = "Columns - Colonnes"
TEXT_FORMAT = "@"  # Excel's "Text": keeps the leading zeros of codes people type in
TEXT_COLUMNS = ("supplier_id", "hs_code")
NUMBER_COLUMNS = {"spend": "#,##0.00", "quantity": "#,##0.###", "tier": "0"}
REQUIRED_EN = {
    "supplier_name": "Yes, or Product description",
    "product_description": "Yes, or Supplier name",
    "country": "Yes",
}
REQUIRED_FR = {
    "supplier_name": "Oui, ou Description du produit",
    "product_description": "Oui, ou Nom du fournisseur",
    "country": "Oui",
}
# Fixed so that the template's bytes only change when its content does.
CREATED = datetime(2025, 1, 1)


def template_headers() -> list[str]:
    """Return the template's column headers: the canonical fields' English labels."""
    return [FIELDS[name].label_en for name in FIELD_NAMES]


def template_csv() -> bytes:
    """Return the CSV template: UTF-8 with a BOM (so Excel shows accents), header + example."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(template_headers())
    writer.writerow([FIELDS[name].example for name in FIELD_NAMES])
    return buffer.getvalue().encode("utf-8-sig")


def template_xlsx() -> bytes:
    """Return the XLSX template: the data sheet first, then a sheet explaining each column."""
    workbook = Workbook()
    workbook.properties.creator = "supplychain-labour-risk"
    workbook.properties.created = CREATED
    data = workbook.active
    data.title = SHEET_DATA
    data.append(template_headers())
    data.append([_example(name) for name in FIELD_NAMES])
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for cell in data[1]:
        cell.font, cell.fill = bold, fill
    data.freeze_panes = "A2"
    for index, name in enumerate(FIELD_NAMES, start=1):
        letter = get_column_letter(index)
        data.column_dimensions[letter].width = max(14, len(FIELDS[name].label_en) + 4)
        if name in TEXT_COLUMNS:
            data.column_dimensions[letter].number_format = TEXT_FORMAT
            data[f"{letter}2"].number_format = TEXT_FORMAT
        elif name in NUMBER_COLUMNS:
            data[f"{letter}2"].number_format = NUMBER_COLUMNS[name]
    tier = get_column_letter(FIELD_NAMES.index("tier") + 1)
    validation = DataValidation(
        type="whole",
        operator="between",
        formula1="1",
        formula2="9",
        showErrorMessage=True,
        errorTitle="Tier / Rang",
        error="A whole number from 1 to 9. / Un nombre entier de 1 à 9.",
    )
    validation.add(f"{tier}2:{tier}1048576")
    data.add_data_validation(validation)

    help_sheet = workbook.create_sheet(SHEET_HELP)
    help_sheet.append(
        [
            "Column",
            "Required",
            "What to enter",
            "Colonne",
            "Obligatoire",
            "Quoi inscrire",
            "Example / Exemple",
        ]
    )
    for name in FIELD_NAMES:
        info = FIELDS[name]
        help_sheet.append(
            [
                info.label_en,
                REQUIRED_EN.get(name, "No"),
                info.help_en,
                info.label_fr,
                REQUIRED_FR.get(name, "Non"),
                info.help_fr,
                info.example,
            ]
        )
    help_sheet.append([])
    help_sheet.append(
        [
            "Keep the header row. Extra columns are kept as they are. "
            "French and common ERP headings are recognised too.",
        ]
    )
    help_sheet.append(
        [
            "Gardez la ligne d'en-tête. Les colonnes supplémentaires sont conservées telles "
            "quelles. Les en-têtes en français et ceux des ERP courants sont aussi reconnus.",
        ]
    )
    for cell in help_sheet[1]:
        cell.font, cell.fill = bold, fill
    for letter, width in zip("ABCDEFG", (22, 26, 60, 24, 28, 60, 28), strict=True):
        help_sheet.column_dimensions[letter].width = width
    for row in help_sheet.iter_rows(min_row=2, max_row=len(FIELD_NAMES) + 1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    help_sheet.freeze_panes = "A2"

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _example(name: str) -> str | int | float:
    """Return the example cell typed as Excel should store it (numbers as numbers)."""
    example = FIELDS[name].example
    if name in ("spend", "quantity"):
        return float(example) if "." in example else int(example)
    if name == "tier":
        return int(example)
    return example

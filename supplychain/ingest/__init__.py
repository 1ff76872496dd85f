"""The upload ingest layer: files in, plain records out, for jobs, the API and the CLI alike.

    table = read_table(data, filename)              # refuses hostile files (IngestError)
    mapping = propose_mapping(table.headers)        # or explicit_mapping(headers, saved)
    if mapping.needs_confirmation: ...              # show mapping.reasons to the person
    stream = records(table, mapping, default_currency="CAD")
    for record in stream: ...                       # Record, with record.problems
    stream.summary                                  # counts, complete after iteration
    text_fields(table, mapping, ("country",))       # just some cleaned text, much faster
    problems_csv(problems)                          # downloadable, formula-safe

No web and no database here: the caller keeps the original file and owns the transaction.
"""

from supplychain.ingest.columns import (
    FIELD_NAMES,
    FIELDS,
    ColumnChoice,
    ColumnMapping,
    FieldInfo,
    explicit_mapping,
    normalise_header,
    propose_mapping,
)
from supplychain.ingest.convert import (
    IngestSummary,
    Record,
    RecordStream,
    RowProblem,
    TextStream,
    problems_csv,
    records,
    text_fields,
)
from supplychain.ingest.errors import IngestError
from supplychain.ingest.reading import (
    ALLOWED_EXTENSIONS,
    DEFAULT_LIMITS,
    IngestLimits,
    Table,
    TableRow,
    list_sheets,
    read_table,
)
from supplychain.ingest.safe_cells import neutralise, safe_row
from supplychain.ingest.templates import template_csv, template_headers, template_xlsx

__all__ = [
    "ALLOWED_EXTENSIONS",
    "DEFAULT_LIMITS",
    "FIELDS",
    "FIELD_NAMES",
    "ColumnChoice",
    "ColumnMapping",
    "FieldInfo",
    "IngestError",
    "IngestLimits",
    "IngestSummary",
    "Record",
    "RecordStream",
    "RowProblem",
    "Table",
    "TableRow",
    "TextStream",
    "explicit_mapping",
    "list_sheets",
    "neutralise",
    "normalise_header",
    "problems_csv",
    "propose_mapping",
    "read_table",
    "records",
    "safe_row",
    "template_csv",
    "template_headers",
    "template_xlsx",
    "text_fields",
]

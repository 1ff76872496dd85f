"""The one error the ingest layer raises: a file or mapping we refuse, saying what and where."""

from __future__ import annotations

from typing import Any

from supplychain.errors import InvalidInput


class IngestError(InvalidInput):
    """An upload we cannot read as it is; the API answers 422 problem+json with `code`."""

    title = "Upload refused"

    def __init__(self, detail: str, *, code: str, **where: Any):
        clean = {key: value for key, value in where.items() if value is not None}
        super().__init__(detail, errors={"code": code, **clean})
        self.code = code
        self.where = clean

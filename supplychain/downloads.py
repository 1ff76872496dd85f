"""File downloads: one way to answer with an attachment, from the web pages and the API alike."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from urllib.parse import quote

from flask import Response


def attachment(
    body: bytes | str | Iterable[bytes] | Iterable[str], filename: str, mimetype: str
) -> Response:
    """Answer with `body` as a file to save under `filename`.

    A user's own file name may hold quotes or any script ("供应商 Müller.xlsx"): HTTP headers
    are Latin-1, so a name that is not ASCII goes as an ASCII fallback plus the RFC 6266
    `filename*` form that browsers prefer; Werkzeug quotes and escapes the fallback.
    """
    response = Response(body, mimetype=mimetype)
    options = {"filename": filename}
    if not filename.isascii():
        plain = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
        options = {
            "filename": plain.strip() or "download",
            "filename*": f"UTF-8''{quote(filename)}",
        }
    response.headers.set("Content-Disposition", "attachment", **options)
    return response

"""Attachments keep a user's own file name safe in the header."""

from __future__ import annotations

from flask import Flask

from supplychain.downloads import attachment


def test_an_ascii_name_is_given_as_is(app: Flask):
    response = attachment(b"a,b\r\n", "lines.csv", "text/csv")
    assert response.headers["Content-Disposition"] == "attachment; filename=lines.csv"
    assert response.get_data() == b"a,b\r\n" and response.mimetype == "text/csv"


def test_quotes_cannot_close_the_parameter(app: Flask):
    header = attachment(b"", 'list "final".csv', "text/csv").headers["Content-Disposition"]
    assert header == 'attachment; filename="list \\"final\\".csv"'


def test_a_name_in_any_script_gets_an_ascii_fallback_and_the_utf8_form(app: Flask):
    header = attachment(b"", "供应商 Müller.xlsx", "text/csv").headers["Content-Disposition"]
    header.encode("latin-1")  # a WSGI server can send it
    assert header == (
        "attachment; filename=Muller.xlsx; "
        "filename*=UTF-8''%E4%BE%9B%E5%BA%94%E5%95%86%20M%C3%BCller.xlsx"
    )

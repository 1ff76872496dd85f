"""Server-rendered pages."""

from flask import Flask


def register_web(app: Flask) -> None:
    """Register every page blueprint."""
    from supplychain.web import pages

    app.register_blueprint(pages.bp)

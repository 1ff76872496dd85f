"""Server-rendered pages."""

from flask import Flask


def register_web(app: Flask) -> None:
    """Register every page blueprint and the template helpers they share."""
    from supplychain.services.catalogue import listing_flags
    from supplychain.web import (
        account,
        assessments,
        auth,
        countries,
        goods,
        lists,
        pages,
        reports,
        review,
        vendor_check,
    )

    app.add_template_filter(listing_flags, "listing_flags")
    app.register_blueprint(pages.bp)
    app.register_blueprint(goods.bp)
    app.register_blueprint(countries.bp)
    app.register_blueprint(lists.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(account.bp)
    app.register_blueprint(vendor_check.bp)
    app.register_blueprint(assessments.bp)
    app.register_blueprint(review.bp)
    app.register_blueprint(reports.bp)

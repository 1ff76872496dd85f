"""The S-211 reporting core: plain report objects in; findings, PDF bytes and JSON out.

Nothing in this package imports Flask, SQLAlchemy or marshmallow, or reads the database: the
service layer builds a `Report` and an `EvidenceSummary` and hands them over.
"""

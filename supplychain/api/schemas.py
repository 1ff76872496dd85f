"""Marshmallow schemas of the API's resources."""

from marshmallow import Schema, fields


class SourceSchema(Schema):
    id = fields.String()
    publisher = fields.String()
    title = fields.String()
    edition = fields.String()
    published = fields.String()
    retrieved = fields.String()
    licence = fields.String()
    url = fields.String()
    trust = fields.String(metadata={"description": "A official ... D partial or possibly wrong"})
    optional = fields.Boolean()
    files = fields.List(fields.String())
    rows = fields.Integer()
    sha256 = fields.String()


class ReferenceVersionSchema(Schema):
    version = fields.String(metadata={"description": "release+digest, cited by every result"})
    release = fields.String()
    sources = fields.List(fields.Nested(SourceSchema))

"""POST /api/v1/screen/suppliers."""

from flask_smorest import Blueprint

blp = Blueprint("screening", __name__, description="Screen suppliers against enforcement lists")

"""POST /api/v1/match/goods and /api/v1/match/countries."""

from flask_smorest import Blueprint

blp = Blueprint("matching", __name__, description="Match products and countries to reference data")

"""Configuration defaults; the environment (SUPPLYCHAIN_*) and tests override them."""

from typing import Any

DEFAULTS: dict[str, Any] = {
    "ENV_NAME": "development",  # "production" requires SUPPLYCHAIN_SECRET_KEY
    "SECRET_KEY": None,
    "DATABASE_URL": None,  # default: SQLite file in the instance folder
    "REFDATA_DIR": None,  # imported editions; default: <instance>/refdata
    "OPTIONAL_LAYERS": "",  # comma-separated, e.g. "walkfree-gsi-2023"
    "REFDATA_FETCH_TIMEOUT": 30,
    "REFDATA_MAX_IMPORT_BYTES": 20 * 1024 * 1024,
    "API_TITLE": "Supply chain labour risk API",
    "API_VERSION": "v1",
    # Swagger UI 4 (the offline bundle we serve) renders OpenAPI 3.0 documents only.
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
    "API_SPEC_OPTIONS": {
        "info": {
            "description": "Goods at risk of forced and child labour, countries, enforcement "
            "lists, matching and exposure scoring. Errors are application/problem+json."
        }
    },
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "MAX_CONTENT_LENGTH": 50 * 1024 * 1024,
    "JSON_SORT_KEYS": False,
    # Match decisions: score >= ACCEPT is accepted, >= REVIEW goes to a person, else no match.
    "MATCH_GOODS_ACCEPT": 85.0,
    "MATCH_GOODS_REVIEW": 65.0,
    "MATCH_COUNTRIES_ACCEPT": 90.0,
    "MATCH_COUNTRIES_REVIEW": 75.0,
    "SCREEN_SUPPLIERS_ACCEPT": 92.0,  # same words and no conflicting country, or better
    "SCREEN_SUPPLIERS_REVIEW": 80.0,  # a listed name present with small differences
    "SCREEN_SUPPLIERS_FLOOR": 60.0,  # near misses down to here are shown, never counted
    "MATCH_MAX_ITEMS": 10_000,
    # Uploads and assessments.
    "UPLOAD_DIR": None,  # original files, named by sha256; default: <instance>/uploads
    "UPLOAD_MAX_BYTES": 50 * 1024 * 1024,
    "UPLOAD_MAX_ROWS": 1_000_000,
    "UPLOAD_DEFAULT_CURRENCY": None,  # ISO code for amounts written with no currency, or "$"
    "ASSESSMENT_MODEL": "labour-risk-v1",
    "ASSESSMENT_PROFILE": None,  # default: the model's own profile
    "ASSESSMENT_CHUNK": 5_000,  # lines per insert statement (progress commits once a second)
    # PostgreSQL only: store lines with COPY ... FROM STDIN rather than Core insert()
    # executemany; per-row statements (two foreign-key checks and eleven index entries each)
    # make a million-line list about a third slower to store. Other databases always insert.
    "ASSESSMENT_COPY": True,
    # How assessment jobs run: "rq" (needs REDIS_URL; run `supplychain worker`), "thread" (a
    # daemon thread of the web process) or "inline" (in the caller; tests and the CLI).
    # Default: "rq" when REDIS_URL is set, else "thread".
    "JOBS_MODE": None,
    "JOBS_QUEUE": "assessments",
    "JOBS_TIMEOUT": 3600,  # seconds a job may run; a "running" one older than this may be rerun
    # Accounts, sessions and request security.
    "PUBLIC_URL": None,  # e.g. "https://risk.example.org": links in e-mails; else the request host
    "MAIL_FROM": "Supply chain labour risk <no-reply@localhost>",
    "MAIL_OUTBOX_DIR": None,  # default: <instance>/outbox
    "PASSWORD_RESET_MAX_AGE": 3600,  # seconds a reset link stays valid
    "LOGIN_RATE_LIMIT": "10/minute;50/hour",  # per client address and e-mail, login and reset
    # Rate-limit counters shared by all workers (default: in process memory), and the queue of
    # assessment jobs that `supplychain worker` runs (default: a thread of the web process).
    "REDIS_URL": None,
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_STORAGE_URI": None,  # default: REDIS_URL, else memory://
    "RATELIMIT_KEY_PREFIX": "supplychain",
    "SESSION_COOKIE_SECURE": None,  # default: True outside development and testing
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    # Swagger UI's stylesheet draws its icons from data: URIs; nothing else is needed.
    "CONTENT_SECURITY_POLICY": (
        "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; "
        "form-action 'self'; frame-ancestors 'none'"
    ),
    "PERMISSIONS_POLICY": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}

DEVELOPMENT_SECRET = "development-only-secret-key"

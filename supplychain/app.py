"""The application factory, in named steps."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from supplychain import config as config_defaults
from supplychain.errors import register_error_handlers
from supplychain.extensions import api, csrf, db, limiter, login_manager, migrate


class ConfigurationError(RuntimeError):
    """The service was started with a configuration it cannot run with."""


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then SUPPLYCHAIN_* environment, then the given mapping."""
    app = Flask(__name__, instance_relative_config=True)
    configure(app, config)
    register_extensions(app)
    register_blueprints(app)
    register_security(app)
    register_error_handlers(app)
    register_commands(app)
    register_template_context(app)
    return app


def configure(app: Flask, overrides: Mapping[str, Any] | None) -> None:
    """Layer the configuration and derive the settings that depend on others."""
    app.config.from_mapping(config_defaults.DEFAULTS)
    app.config.from_prefixed_env("SUPPLYCHAIN")
    if overrides:
        app.config.from_mapping(overrides)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config["SECRET_KEY"]:
        if app.config["ENV_NAME"] not in ("development", "testing"):
            raise ConfigurationError(
                "SUPPLYCHAIN_SECRET_KEY must be set when SUPPLYCHAIN_ENV_NAME is "
                f"{app.config['ENV_NAME']!r}; only development and testing have a default."
            )
        app.config["SECRET_KEY"] = config_defaults.DEVELOPMENT_SECRET
    url = app.config["DATABASE_URL"] or f"sqlite:///{Path(app.instance_path) / 'supplychain.db'}"
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        # psycopg (3) is the driver we install; SQLAlchemy's bare scheme means psycopg2.
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    app.config["REFDATA_DIR"] = app.config["REFDATA_DIR"] or str(
        Path(app.instance_path) / "refdata"
    )
    if app.config["SESSION_COOKIE_SECURE"] is None:
        app.config["SESSION_COOKIE_SECURE"] = app.config["ENV_NAME"] not in (
            "development",
            "testing",
        )
    app.config["RATELIMIT_STORAGE_URI"] = (
        app.config["RATELIMIT_STORAGE_URI"] or app.config["REDIS_URL"] or "memory://"
    )
    app.config["MAIL_OUTBOX_DIR"] = app.config["MAIL_OUTBOX_DIR"] or str(
        Path(app.instance_path) / "outbox"
    )


def register_extensions(app: Flask) -> None:
    """Bind the unbound extensions to this app."""
    from supplychain import models  # noqa: F401  (models must be imported before migrations)

    db.init_app(app)
    migrate.init_app(
        app, db, directory=str(Path(__file__).parent.parent / "migrations"), render_as_batch=True
    )
    # flask-smorest registers a JSON-only HTTPException handler here; register_error_handlers
    # replaces it afterwards with ours, which answers people with a page too.
    api.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)


def register_blueprints(app: Flask) -> None:
    """Attach the web pages and the API resources."""
    from supplychain.api import register_api
    from supplychain.web import register_web

    register_api(api)
    register_web(app)


def register_security(app: Flask) -> None:
    """Add sessions' user loading, CSRF exemptions for the API, and security headers."""
    from supplychain.security import init_security

    init_security(app)


def register_commands(app: Flask) -> None:
    """Add the domain command groups to `flask`/`supplychain`."""
    from supplychain.cli import register_cli

    register_cli(app)


def register_template_context(app: Flask) -> None:
    """Give every page the reference-data version for its footer."""
    from supplychain.services.refdata import get_reference

    @app.context_processor
    def reference_version() -> dict[str, Any]:
        return {"reference_version": get_reference(app.config).version}

"""WSGI entry point: `gunicorn wsgi:app`."""

from supplychain import create_app

app = create_app()

"""The Flask service: web UI, JSON API, CLI, persistence, jobs and reports."""

from supplychain.app import create_app

__all__ = ["create_app"]

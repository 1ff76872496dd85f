"""Service functions shared by views, API, CLI and jobs; they flush, their callers commit."""

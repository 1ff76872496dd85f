"""Command-line groups, one per domain; they call the same services as the views."""

"""Constructs: one class each, keyword-only props, resolved plan objects in, no decisions made."""

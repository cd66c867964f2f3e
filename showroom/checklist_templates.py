"""Checklist templates seeded from the process documents (see showroom/reference.py)."""

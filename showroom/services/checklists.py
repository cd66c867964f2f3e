"""Writes of the checklists engine."""

"""Reads of the checklists engine."""

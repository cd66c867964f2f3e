"""Writes of the documents engine."""

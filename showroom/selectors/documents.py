"""Reads of the documents engine."""

"""Reads of the followups engine."""

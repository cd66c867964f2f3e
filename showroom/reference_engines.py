"""Imports the modules that declare reference steps (authority rules, checklist templates, …)."""

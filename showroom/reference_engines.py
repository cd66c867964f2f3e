"""Imports the modules that declare reference steps (authority rules, checklist templates, …)."""

import showroom.approval_kinds
import showroom.checklist_templates
import showroom.customer_reference
import showroom.frontdesk_reference  # noqa: F401

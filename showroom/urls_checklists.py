"""Pages and API routes of the checklists engine (included by showroom/urls.py)."""

page_patterns: list = []
api_routes: list = []  # (prefix, viewset, basename) registered on the core API router

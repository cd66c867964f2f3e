"""Pages and API routes of the documents engine (included by showroom/urls.py)."""

page_patterns: list = []
api_routes: list = []  # (prefix, viewset, basename) registered on the core API router

"""Settings of the opening benchmark's gunicorn: the product's, plus the one-query view."""

from showroom.settings import *  # noqa: F403

ROOT_URLCONF = "bench.realestate_opening_urls"
ALLOWED_HOSTS = ["*"]

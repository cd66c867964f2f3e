"""Settings for bench/throughput.py's gunicorn: the product's, plus a URL module that adds the plain
DRF baseline list beside the product's URLs (the baseline is no part of the product)."""

from showroom.settings import *  # noqa: F403

ROOT_URLCONF = "bench.throughput_urls"
DEBUG = False
ALLOWED_HOSTS = ["*"]
DATABASES["default"]["CONN_MAX_AGE"] = None  # noqa: F405  persistent connections, as the issue asks

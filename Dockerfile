# syntax=docker/dockerfile:1
# Showroom: one image for the web server (gunicorn), the Celery worker and Celery beat.
#   docker build -t showroom .
#   docker compose up        (see docker-compose.yml and README.md)

# --- front-end assets: pinned in package-lock.json, fetched with npm by scripts/assets.sh ----
# npm (and the Node.js it pulls in) is needed only to fetch the assets, so it stays in this
# stage and the runtime image receives the finished static/vendor/ folder.
FROM python:3.11-slim-bookworm AS assets
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends npm \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts/assets.sh scripts/assets.sh
RUN bash scripts/assets.sh

# --- runtime -----------------------------------------------------------------------------------
FROM python:3.11-slim-bookworm

# WeasyPrint needs Pango; without a CJK font it prints Chinese as empty boxes and says nothing
# (the system check showroom.W002 warns when Noto CJK is missing).
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk fontconfig \
    && rm -rf /var/lib/apt/lists/* \
    && fc-cache -f

# PYTHONPATH: settings find templates/, static/ and locale/ beside the package, so the project is
# always imported from /app, never from the copy `pip install .` puts in site-packages.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=showroom.settings

WORKDIR /app

# Dependencies first, in their own layer, rebuilt only when pyproject.toml changes (with no
# source copied yet `pip install .` installs the dependencies and an empty project).
COPY pyproject.toml README.md ./
RUN pip install . && pip uninstall -y showroom

COPY . .
COPY --from=assets /app/static/vendor static/vendor
RUN pip install --no-deps .

# Static files are collected at build time with the production storage (hashed, compressed).
# The key is a throw-away used only for this step; the real SECRET_KEY is given at run time.
ARG BUILD_SECRET_KEY=collectstatic-only-not-a-real-key-0123456789abcdefghijklmnopqrstuvwxyz
RUN DJANGO_ENV=production SECRET_KEY="$BUILD_SECRET_KEY" python manage.py collectstatic --noinput \
    && python -m compileall -q showroom leads testdrive delivery warehouse realestate

# A non-root user that owns only what it writes: media files and Celery beat's schedule.
RUN groupadd --system --gid 1000 showroom \
    && useradd --system --uid 1000 --gid showroom --home-dir /app --shell /usr/sbin/nologin showroom \
    && mkdir -p var/media var/celery \
    && chown -R showroom:showroom var/media var/celery
USER showroom

ENV MEDIA_ROOT=/app/var/media
EXPOSE 8000
CMD ["gunicorn", "showroom.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]

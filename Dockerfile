# Porchlight's production image: gunicorn serving the web app; the same image runs the background worker and
# the daily follow-ups (compose.yaml). Build: docker build -t porchlight .   Guide: docs/deploy.md
# tests/deploy/test_production.py runs the same steps (assets, collectstatic, check --deploy, gunicorn).

# --- build: Python packages and the front-end assets (Node.js is needed only here) ---
FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends nodejs npm \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# The front-end libraries, pinned by package-lock.json (USWDS, htmx, Leaflet, Vega).
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
COPY pyproject.toml README.md manage.py gunicorn.conf.py ./
COPY scripts ./scripts
COPY porchlight ./porchlight
RUN python -m venv /venv && /venv/bin/pip install -e . \
    && bash scripts/assets.sh \
    && rm -rf node_modules

# --- run ---
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/venv/bin:$PATH \
    DEBUG=false \
    STATIC_ROOT=/app/staticfiles
# pango for WeasyPrint (walk sheets, PDF reports); the PostgreSQL client for backups from this container.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
       postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --uid 10001 --home-dir /home/porchlight porchlight
COPY --from=build /venv /venv
COPY --from=build /app /app
WORKDIR /app
# Static files collected (hashed names, compressed) at build time; the secret exists only for this command.
RUN SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/var/media \
    && chown -R porchlight:porchlight /app/var
USER porchlight
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]
CMD ["gunicorn", "porchlight.wsgi"]

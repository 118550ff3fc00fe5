# STROM: one image for the web (gunicorn), worker and beat containers of docker-compose.yml.
# Build: docker compose build   (see docs/deployment.md)
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    PYTHONPATH=/app \
    STROM_VAR_DIR=/var/lib/strom \
    DJANGO_STATIC_ROOT=/app/staticfiles

# WeasyPrint's system libraries and the fonts the PDFs use.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz0b \
        libharfbuzz-subset0 \
        fonts-dejavu-core \
        fonts-noto-core \
    && rm -rf /var/lib/apt/lists/*

# The application runs as an unprivileged user. A fixed uid keeps file ownership in the
# /var/lib/strom volume stable across rebuilds. Its home is writable (fontconfig's cache,
# gunicorn's control socket); the code in /app is not.
RUN groupadd --system --gid 10001 strom \
    && useradd --system --uid 10001 --gid strom --create-home --home-dir /home/strom \
        --shell /usr/sbin/nologin strom

WORKDIR /app

# Dependencies first, from the pins in pyproject.toml, so that a code change does not
# reinstall them. The application itself runs from /app (PYTHONPATH), not from site-packages.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install --no-cache-dir -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# The source. Only what the app needs: never `COPY . .`, which would put .env, var/ and
# .venv/ into the image.
COPY manage.py ./
COPY strom ./strom
COPY cases ./cases
COPY services ./services
COPY referrals ./referrals
COPY agreements ./agreements
COPY training ./training
COPY reports ./reports
COPY templates ./templates
COPY static ./static
# The SQL the `migrate` service runs after the migrations (grants of the application role).
COPY deploy/postgres ./deploy/postgres
# locale/ may be empty, and git does not keep empty folders: the wildcard lets it be absent.
COPY locale* ./locale/

# Static files are collected into the image (/app/staticfiles), outside the volume, so
# an upgrade never serves an old copy. The manifest storage fails the build when a CSS or
# JS file refers to a file that is not there (a source map, an image): CI runs this same
# command (.ci/production-check) and tests/strom/test_production_static.py checks static/.
# Settings refuse to load without a secret key and an encryption key when DJANGO_DEBUG is
# off: these dummies are set for this one command only (not as ENV), are visible in
# `docker history`, and are never used at run time.
RUN DJANGO_SECRET_KEY=build-time-only-not-a-secret-collectstatic-does-not-sign-anything \
    STROM_FIELD_ENCRYPTION_KEYS=c3Ryb20tYnVpbGQtdGltZS1rZXktbm90LXVzZWQtISE= \
    python manage.py collectstatic --noinput

# Media files and the beat schedule live in the volume, which the strom user owns.
RUN mkdir -p /var/lib/strom/media \
    && chown -R strom:strom /var/lib/strom
VOLUME ["/var/lib/strom"]

USER strom
EXPOSE 8000

# No HEALTHCHECK here: the worker and beat containers use this image too and serve no
# HTTP. docker-compose.yml checks the web container at /healthz.
CMD ["gunicorn", "strom.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]

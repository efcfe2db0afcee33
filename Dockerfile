# Kredin: one image for web (gunicorn), worker and beat (celery). See docs/deployment.md.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint renders letters with Pango and HarfBuzz (it loads each library itself; the
# subsetter is not a dependency of Pango, and without it a letter takes 2-2.6x as long and
# WeasyPrint warns; see docs/benchmarks.md); DejaVu gives it a font with Norwegian letters.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 kredin
WORKDIR /app

# Dependencies first, so a code change does not reinstall them.
COPY pyproject.toml ./
RUN pip install .

COPY . .
# Static files are collected at build time and served by WhiteNoise. The values below exist
# only so settings load for this one command; the real ones come from .env at run time.
RUN DJANGO_ENV_FILE= DJANGO_DEBUG=false \
    DJANGO_SECRET_KEY=collectstatic-only-build-time-value \
    FIELD_ENCRYPTION_KEYS=Y29sbGVjdHN0YXRpYy1vbmx5LWJ1aWxkLWtleS0zMmI= \
    DATABASE_URL=sqlite:////tmp/collectstatic.sqlite3 \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/var \
    && chown -R kredin:kredin /app/var

USER kredin
EXPOSE 8000
CMD ["gunicorn", "kredin.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--threads", "4", "--access-logfile", "-"]

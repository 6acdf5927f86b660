# The cloud's image: web, worker and beat all run it (deploy/entrypoint.sh picks which).
#   docker build -t asiriapos-cloud .
#   docker run --env-file deploy/.env asiriapos-cloud web|worker|beat|migrate
# Small: Python slim, only the cloud extra (no Qt, no test tools), wheels built in a first
# stage. Runs as an unprivileged user; HEALTHCHECK calls /healthz.
FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml constraints.txt README.md ./
COPY cloud_api ./cloud_api
COPY asiria_desktop ./asiria_desktop
COPY asiria_demo_data ./asiria_demo_data
RUN python -m venv /opt/venv \
 && /opt/venv/bin/pip install -c constraints.txt '.[cloud]'

FROM python:3.11-slim-bookworm
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=cloud_api.settings \
    ASIRIA_STATIC_ROOT=/app/staticfiles \
    ASIRIA_JSON_LOGS=1
RUN groupadd --system --gid 10001 asiria \
 && useradd --system --uid 10001 --gid asiria --home-dir /app --shell /usr/sbin/nologin asiria
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY deploy/entrypoint.sh deploy/gunicorn.conf.py /app/deploy/
# Static files collected at build time (no database needed), served by whitenoise.
RUN SECRET_KEY=build-only DATABASE_URL=sqlite:////tmp/build.sqlite3 REDIS_URL=locmem:// \
    asiria-cloud collectstatic --noinput --verbosity 0 \
 && rm -f /tmp/build.sqlite3 \
 && chown -R asiria:asiria /app
USER asiria
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]
ENTRYPOINT ["/app/deploy/entrypoint.sh"]
CMD ["web"]

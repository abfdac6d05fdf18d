# Multi-stage: the project installed into a virtualenv (hash-locked requirements first when requirements.txt has
# hashes), then a slim runtime as an unprivileged user running the project's console script. Bases are pinned by
# digest (Dependabot's docker updates keep them current). .dockerignore keeps .env files and keys out of every layer.
FROM python:3.12-slim-bookworm@sha256:782412e85d0f0984994c290652577d4018aff08145c85b262bb63dc0c7522254 AS build
ARG SOURCE_DATE_EPOCH
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
COPY . .
RUN python -m venv /opt/venv \
 && __INSTALL__

FROM python:3.12-slim-bookworm@sha256:782412e85d0f0984994c290652577d4018aff08145c85b262bb63dc0c7522254
ENV PATH=/opt/venv/bin:$PATH PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PORT=8080
RUN useradd --uid 10001 --no-create-home --shell /usr/sbin/nologin app
WORKDIR /app
COPY --from=build /opt/venv /opt/venv
USER 10001
EXPOSE 8080
CMD ["__SCRIPT__"]

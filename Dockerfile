# One image for both services: `pagewire extractor` and `pagewire indexer` (see compose.yaml).
# The base is a variable so that machines without a container registry can use a local image
# (PYTHON_IMAGE=sandbox/python:3.11); any Debian-based Python 3.11+ image with venv works.
ARG PYTHON_IMAGE=python:3.11-slim
FROM ${PYTHON_IMAGE}

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH

RUN python3 -m venv /opt/venv \
 && groupadd --gid 10001 pagewire \
 && useradd --uid 10001 --gid 10001 --home-dir /app --no-create-home --shell /usr/sbin/nologin pagewire \
 && mkdir -p /app /data/index /data/archive \
 && chown pagewire:pagewire /data /data/index /data/archive

# Dependencies (and the build backend) first, read from pyproject.toml alone: this layer is
# rebuilt only when pyproject.toml changes, not on every source edit.
WORKDIR /src
COPY pyproject.toml ./
RUN python3 -c 'import tomllib; t = tomllib.load(open("pyproject.toml", "rb")); \
print(*t["build-system"]["requires"], *t["project"]["dependencies"], sep="\n")' \
      > /tmp/requirements.txt \
 && pip install -r /tmp/requirements.txt \
 && rm /tmp/requirements.txt

# Then the project itself, offline: no dependency and no build backend is fetched again.
COPY . ./
RUN pip install --no-deps --no-build-isolation --no-index . \
 && rm -rf /src/build /src/*.egg-info

# /data is where compose mounts the indexer's volume (owned by the user above; a new named
# volume copies that ownership). No VOLUME here: the extractors would each get an anonymous one.
WORKDIR /app
USER pagewire
EXPOSE 8080
ENTRYPOINT ["pagewire"]
CMD ["--help"]

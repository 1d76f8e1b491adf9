# syntax=docker/dockerfile:1.7
# Soba DEX server (dex-server). Build from the repo root:
#   docker build -f deploy/docker/dex-server.Dockerfile -t dex-server .
# Stages: build (all deps, compile TypeScript, build the web app) -> assemble (production tree,
# deploy/docker/assemble-runtime.sh) -> runtime (Node, tini, the tree, a non-root user).
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY . .
RUN npm ci --no-audit --no-fund \
 && npm run build:servers \
 && if [ -f packages/dex-web/package.json ]; then npm run build --workspace packages/dex-web --if-present; fi

FROM build AS assemble
RUN bash deploy/docker/assemble-runtime.sh dex-server /app

FROM ${NODE_IMAGE} AS runtime
ARG VERSION=0.0.0-dev
ARG REVISION=unknown
ARG SOURCE_URL=""
LABEL org.opencontainers.image.title="dex-server" \
      org.opencontainers.image.description="Soba DEX server" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.source="${SOURCE_URL}" \
      org.opencontainers.image.licenses="UNLICENSED"
# tini as PID 1 forwards SIGTERM to Node, which drains in-flight requests before it exits.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
# Owned by root and not writable by the runtime user: the app runs on a read-only root file system;
# only /tmp (a tmpfs or emptyDir in compose and Kubernetes) is written.
COPY --from=assemble /app /app
COPY deploy/docker/healthcheck.mjs /app/healthcheck.mjs
USER 1000:1000
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 CMD ["node", "/app/healthcheck.mjs"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "--conditions=compiled", "packages/dex-server/dist/start.js"]

# syntax=docker/dockerfile:1.7
# upstream-sync: Slack bot (Socket Mode: no inbound port needed) + optional webhook/metrics server.

# Node 22 LTS (Node 20 reached end of life in April 2026; some dependencies already need ≥ 22).
ARG NODE_VERSION=22

# --- build: compile TypeScript and better-sqlite3's native addon -------------------------------
FROM node:${NODE_VERSION}-bookworm AS build
WORKDIR /app
# better-sqlite3 builds from source when no prebuilt binary matches.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# Scripts are needed for better-sqlite3's build; `prepare` (tsc) runs after the sources are copied.
RUN npm ci --ignore-scripts \
 && npm rebuild better-sqlite3
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build \
 && npm prune --omit=dev

# --- runtime -----------------------------------------------------------------------------------
FROM node:${NODE_VERSION}-bookworm-slim
# git ≥ 2.38 (merge-tree --write-tree) is part of the product: the bot keeps a bare-repo cache.
RUN apt-get update \
 && apt-get install -y --no-install-recommends git ca-certificates tini \
 && rm -rf /var/lib/apt/lists/* \
 && git --version
ENV NODE_ENV=production \
    UPSTREAM_SYNC_DATA_DIR=/data \
    GIT_TERMINAL_PROMPT=0
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY manifest.yml ./
# The image's user owns only the data volume; the app files stay read-only to it.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
# The probe reads web.host/web.port from the same config file the bot runs with, so changing
# web.port needs no change here. Mount the config at /config/upstream-sync.yml (or override both).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
  CMD ["node", "dist/cli.js", "healthcheck", "--config", "/config/upstream-sync.yml"]
ENTRYPOINT ["/usr/bin/tini", "--", "node", "dist/cli.js"]
CMD ["start", "--config", "/config/upstream-sync.yml"]

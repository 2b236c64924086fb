# The patternloop hook receiver (`patternloop serve`) in a container, built from the same tarballs
# `pnpm check:packed` installs and tests. From the repository root:
#
#   docker build -t patternloop-receiver .
#   docker run -p 8787:8787 -e PATTERNLOOP_TOKEN=change-me -v patternloop-data:/data patternloop-receiver
#
# It listens on 0.0.0.0:8787 inside the container (`--host 0.0.0.0`: the default, 127.0.0.1, would not be
# reachable through the published port) and keeps its SQLite history in the /data volume; set
# PATTERNLOOP_DB=postgres://… to use PostgreSQL instead (see compose.yaml). Writes need PATTERNLOOP_TOKEN.

ARG NODE_BUILD_IMAGE=node:20-bookworm
ARG NODE_IMAGE=node:20-bookworm-slim

# 1. Build the workspace and pack each package, as a release does (workspace:* ranges become versions).
FROM ${NODE_BUILD_IMAGE} AS build
WORKDIR /src
# The pnpm of package.json's packageManager, from npm (as .ci/run does; corepack's signature check fails
# behind registry mirrors).
RUN npm install -g --no-audit --no-fund pnpm@10.34.9
COPY . .
# tsc needs no native module: better-sqlite3 is compiled once, in the next stage.
RUN pnpm install --frozen-lockfile --ignore-scripts \
  && pnpm build \
  && for p in packages/* apps/*; do (cd "$p" && pnpm pack --pack-destination /packages); done

# 2. Install the tarballs with npm, without dev dependencies (better-sqlite3 builds against the image's Node
#    headers when npm finds no prebuilt binary).
FROM ${NODE_BUILD_IMAGE} AS install
WORKDIR /app
COPY --from=build /packages /packages
RUN echo '{ "name": "patternloop-receiver", "private": true }' > package.json \
  && if [ -d /usr/local/include/node ]; then export npm_config_nodedir=/usr/local; \
     elif [ -d /usr/include/node ]; then export npm_config_nodedir=/usr; fi \
  && npm install --omit=dev --no-audit --no-fund /packages/*.tgz \
  && rm -rf /root/.npm

# 3. What runs: Node, the installed packages, an unprivileged user.
FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    PATTERNLOOP_DB=/data/history.sqlite
WORKDIR /app
COPY --from=install /app /app
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8787
# The health route reads and writes the database: a full disk or a lost server makes the container unhealthy.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8787/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# serve stops on SIGTERM (docker stop) within its --shutdown-grace, 10 s by default.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/app/node_modules/.bin/patternloop"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8787"]

# syntax=docker/dockerfile:1
# acrcheck: the Teams bot (default target) and the runner service (target "runner").
#   docker build -t acrcheck .                          the bot: node dist/server.js on 3978
#   docker build --target runner -t acrcheck-runner .   the runner service: node dist/runner-server.js on 3979
# Node 22 (maintenance LTS until April 2027); acrcheck also runs on Node 20.18+ and 24.
ARG NODE_IMAGE=node:22-bookworm-slim

# Compiles the TypeScript with the dev dependencies; nothing of this stage ships but dist/.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# What both services share: production dependencies only, the compiled code, cards and locales.
FROM ${NODE_IMAGE} AS runtime
# tini forwards SIGTERM to node, which as PID 1 would otherwise ignore it and be killed after the grace period.
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini \
  && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# --omit=optional drops what restify and bunyan do without (dtrace-provider, safe-json-stringify) and the
# TypeScript that i18next names as an optional peer; nothing left needs an install script. Then the source maps,
# TypeScript sources and declarations and Markdown that the packages ship go (licence texts stay): about half of
# node_modules, none of it run (scripts/stage-webapp.ts prunes the App Service upload the same way).
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund \
  && find node_modules -type f \( -name '*.map' -o -name '*.ts' -o -name '*.mts' -o -name '*.cts' -o -iname '*.md' \) \
    ! -iname 'licen[cs]e*' ! -iname 'notice*' -delete \
  && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY cards ./cards
COPY locales ./locales
USER node
ENTRYPOINT ["/usr/bin/tini", "--"]

# The runner service: probes registries for the bot from another network (CONTRACT §6).
FROM runtime AS runner
ENV PORT=3979
EXPOSE 3979
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3979) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/runner-server.js"]

# The bot (default target): POST /api/messages, GET /healthz.
FROM runtime AS bot
ENV PORT=3978
EXPOSE 3978
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3978) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/server.js"]

# Production image: build with dev dependencies, run with production ones only.
# The base image pinned to an exact release (both stages); bump it deliberately. Pin the digest as
# well (node:20.20.2-bookworm-slim@sha256:...) where your registry policy asks for it.
ARG NODE_IMAGE=node:20.20.2-bookworm-slim
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY simulator/package.json simulator/
COPY client/package.json client/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM ${NODE_IMAGE}
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json /app/package-lock.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --from=build --chown=node:node /app/simulator/package.json /app/simulator/package.json
COPY --from=build --chown=node:node /app/simulator/dist ./simulator/dist
COPY --from=build --chown=node:node /app/simulator/seed ./simulator/seed
COPY --chown=node:node deploy/docker/healthcheck.js ./healthcheck.js
USER node
# PORT (browsers) and OPS_PORT (probes, metrics, docs) as deploy/kubernetes sets them; OPS_PORT
# is unset by default, and then everything answers on PORT.
EXPOSE 3000 9090
# The gateway's liveness probe: /healthz on OPS_PORT when set, else on PORT (healthcheck.js). The
# same image also runs the OneAccess simulator (docker-compose.yml), which replaces this check
# with one on its own port.
HEALTHCHECK --interval=10s --timeout=3s CMD ["node", "healthcheck.js"]
CMD ["node", "dist/main.js"]

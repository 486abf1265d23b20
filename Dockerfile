# syntax=docker/dockerfile:1
# The metal3-provider image: one entrypoint (`metal3-provider`) for every component —
# `worker provisioning`, `worker boot`, `controller`, `codec-server` and `boot-server`.

ARG NODE_IMAGE=node:20-bookworm-slim
ARG HELM_IMAGE=alpine/helm:3.19.0

# ---- build: compile the TypeScript and the Temporal workflow bundle ----
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# The lock pins every version. `npm ci` refuses a lock that lacks other platforms' optional
# binaries; `npm install` honours the same lock.
RUN npm install --no-audit --no-fund
COPY . .
# tsc → dist/ (the product only: devstack/, sim/, bench/ and test/ are not even in the build context),
# then the workflow bundles (dist/workflow-bundle*.js) so workers start without bundling; then drop dev dependencies.
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund \
 && chmod 0755 bin/metal3-provider.js

# ---- helm, for `worker boot` (it deploys the bundled charts with the helm it finds on PATH) ----
FROM ${HELM_IMAGE} AS helm

# ---- runtime ----
FROM ${NODE_IMAGE}
# ipxe: the iPXE binaries (/usr/lib/ipxe: undionly.kpxe, ipxe.efi, snponly.efi) the boot server hands out.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ipxe \
 && rm -rf /var/lib/apt/lists/*
COPY --from=helm /usr/bin/helm /usr/local/bin/helm
WORKDIR /app
ENV NODE_ENV=production
# glibc gives each thread that allocates its own malloc arena, up to 8 per core, and keeps what each
# arena once held. The SDK's native threads and Node's worker threads made that about 200 MiB of a
# provisioning worker's memory with 1,000 Machines in flight; two arenas hold it to about 100 MiB at the
# same CPU (bench/results/fleet.md).
ENV MALLOC_ARENA_MAX=2
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
# Charts and CRDs ship next to package.json, where the provider looks for them.
COPY charts ./charts
COPY crds ./crds
RUN ln -s /app/bin/metal3-provider.js /usr/local/bin/metal3-provider
# The image's `node` user; the DHCP chart switches to root only under hostNetwork.
USER 1000:1000
ENTRYPOINT ["metal3-provider"]
CMD ["--help"]

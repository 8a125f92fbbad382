# syntax=docker/dockerfile:1
# The image-release command-line tool of projen-image-release.

FROM node:22-alpine AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx projen compile

FROM node:22-alpine
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --omit=peer --ignore-scripts --no-audit --no-fund \
    && npm cache clean --force
COPY --from=build /src/lib ./lib
USER 1000:1000
ENTRYPOINT ["node", "/app/lib/cli/main.js"]
CMD ["--help"]
# BEGIN projen-image-release: generated from .projenrc.ts by "npx projen"; edit the model, not these lines
ARG BUILD_DATE
ARG VCS_REF
ARG VERSION
LABEL org.opencontainers.image.created="${BUILD_DATE}" \
      org.opencontainers.image.revision="${VCS_REF}" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.title="image-release" \
      org.opencontainers.image.description="One typed model in .projenrc.ts for the whole release pipeline of a container image: workflow, Dockerfile labels and Dependabot." \
      org.opencontainers.image.vendor="projen-image-release" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.documentation="https://github.com/projen-image-release/projen-image-release/blob/HEAD/README.md" \
      org.opencontainers.image.source="https://github.com/projen-image-release/projen-image-release" \
      org.opencontainers.image.url="https://github.com/projen-image-release/projen-image-release"
# END projen-image-release

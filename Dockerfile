# Build the single binary in a Bun image, run it as a non-root user in a slim image.
FROM oven/bun:1.4.5 AS build
WORKDIR /src
COPY package.json package-lock.json bunfig.toml tsconfig.json ./
# Bun reads package-lock.json (migrating it), so the image gets the versions CI tested.
RUN bun install --production --ignore-scripts
COPY src ./src
RUN bun build src/main.ts --compile --bytecode --minify --format=esm \
      --no-compile-autoload-bunfig --no-compile-autoload-tsconfig --no-compile-autoload-package-json \
      --outfile /out/switchboard

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin switchboard \
 && mkdir -p /app/data && chown switchboard /app/data
WORKDIR /app
COPY --from=build /out/switchboard /usr/local/bin/switchboard
COPY agents.yaml ./agents.yaml
# Call records (storage.url's default SQLite file, ./data/switchboard.db): keep them on a volume.
VOLUME /app/data
USER switchboard
ENV PORT=5050
EXPOSE 5050
HEALTHCHECK --interval=30s --timeout=3s --start-period=5s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${PORT}/healthz" || exit 1
ENTRYPOINT ["/usr/local/bin/switchboard"]
CMD ["serve", "--config", "/app/agents.yaml"]

# Multi-stage: install and build with the full Node image, run on distroless (no shell, no package manager) as the
# non-root user. Bases are pinned by digest (Dependabot's docker updates keep them current). Nothing secret is
# copied in: .dockerignore keeps .env files and keys out, and build secrets belong in `RUN --mount=type=secret`.
FROM node:22-bookworm-slim@sha256:43ac6c60b8f89723f746e8a92ce91abd5017e627ce1ddfe4238355d3a30b772c AS build
ARG SOURCE_DATE_EPOCH
WORKDIR /app
COPY . .
RUN __BUILD__

FROM gcr.io/distroless/nodejs22-debian12:nonroot@sha256:13593b7570658e8477de39e2f4a1dd25db2f836d68a0ba771251572d23bb4f8e
WORKDIR /app
ENV NODE_ENV=production PORT=8080
COPY --from=build --chown=nonroot:nonroot /app /app
USER nonroot
EXPOSE 8080
CMD ["__ENTRY__"]

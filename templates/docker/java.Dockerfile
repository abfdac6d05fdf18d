# Multi-stage: build the jar with Maven/Gradle on Temurin 21, run it on distroless Java 21 (no shell) as the
# non-root user. Bases are pinned by digest (Dependabot's docker updates keep them current).
FROM maven:3.9-eclipse-temurin-21@sha256:c07f7ccfb8ca6c9fa29ee523f00afa7d2ca6132c92f8652c4aebb5ee3491f502 AS build
ARG SOURCE_DATE_EPOCH
WORKDIR /src
COPY . .
RUN __BUILD__ \
 && find __OUT__ -maxdepth 1 -name '*.jar' ! -name '*-plain.jar' ! -name '*-sources.jar' ! -name '*-javadoc.jar' -exec cp {} /app.jar \; \
 && test -s /app.jar

FROM gcr.io/distroless/java21-debian12:nonroot@sha256:7e37784d94dccbf5ccb195c73b295f5ad00cd266512dfbac12eb9c3c28f8077d
COPY --from=build /app.jar /app/app.jar
USER nonroot
EXPOSE 8080
ENTRYPOINT ["/usr/bin/java", "-jar", "/app/app.jar"]

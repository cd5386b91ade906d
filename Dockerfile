# syntax=docker/dockerfile:1
# portcullis as a container image for GitLab CI and other container-first runners: one static binary on an
# empty base, no shell, not root. `docker run --rm -v "$PWD:/src" portcullis scan /src`.
FROM rust:1.90-alpine3.22 AS build
RUN apk add --no-cache musl-dev
WORKDIR /build
COPY . .
RUN cargo build --release --locked \
    && mkdir -p /out/cache /out/tmp \
    && cp target/release/portcullis /out/portcullis \
    && chmod 1777 /out/tmp

FROM scratch
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /out/portcullis /usr/local/bin/portcullis
COPY --from=build --chown=65532:65532 /out/cache /cache
COPY --from=build /out/tmp /tmp
ENV PORTCULLIS_CACHE_DIR=/cache HOME=/cache
USER 65532:65532
WORKDIR /src
ENTRYPOINT ["/usr/local/bin/portcullis"]
CMD ["scan", "/src"]

# syntax=docker/dockerfile:1
# sigverify container image: a release build on the official Rust image, run on distroless
# (glibc and libgcc, no shell, no package manager) as the non-root user 65532.
#
#   docker build -t sigverify:latest .
#   docker run --rm -p 8080:8080 \
#     -v "$PWD/my-anchors:/etc/sigverify/trust-anchors:ro" sigverify:latest
#
# No trust anchor is part of the image: mount the certificates you trust (PEM or DER files) at
# /etc/sigverify/trust-anchors. Without them /readyz answers 503 and no signature can pass.

FROM rust:1.95-bookworm AS builder
WORKDIR /src
# The sources, the bundled policy, the locales and the test data the binary embeds.
COPY . .
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked --bin sigverify \
    && install -D -m 0755 target/release/sigverify /out/sigverify

# Debian 12 (glibc 2.36) like the builder, so the dynamically linked binary finds its libc.
FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=builder /out/sigverify /usr/local/bin/sigverify
COPY policy/default.toml /etc/sigverify/policy/default.toml
ENV SIGVERIFY_LISTEN=0.0.0.0:8080 \
    SIGVERIFY_POLICY=/etc/sigverify/policy/default.toml \
    SIGVERIFY_TRUST_ANCHORS_DIR=/etc/sigverify/trust-anchors \
    SIGVERIFY_SHUTDOWN_TIMEOUT_MS=20000
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/sigverify"]
CMD ["serve"]

# Multi-stage build: the stripped, LTO-optimised `dist` binary on a small, non-root runtime image.
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock build.rs ./
COPY src src
COPY playbooks playbooks
# The manifest names bench targets and the workspace's xtask member: cargo wants their files
# present.
COPY benches benches
COPY xtask xtask
RUN cargo build --profile dist --locked --bin kubedoctor

FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /src/target/dist/kubedoctor /usr/local/bin/kubedoctor
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/kubedoctor"]
CMD ["report", "-A"]

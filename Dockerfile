# evd in a container: built on Debian 12 the way the README builds it, run
# from a slim Debian 12 image as a non-root user.
#   docker build -t evd .
#   docker run -v evd-run:/run/evd -p 127.0.0.1:7480:7480 evd

FROM debian:12 AS build
WORKDIR /src
COPY scripts/install-deps.sh scripts/
RUN scripts/install-deps.sh
COPY . .
# Tests run in CI (.ci/run); the image only needs the binaries.
RUN cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DBUILD_TESTING=OFF -DCMAKE_INSTALL_PREFIX=/usr \
 && cmake --build build \
 && DESTDIR=/stage cmake --install build

FROM debian:12-slim
# Only the shared libraries evd and evctl link against.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libspdlog1.10 libfmt9 libsimdjson14 libsystemd0 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --user-group --home-dir /nonexistent \
      --shell /usr/sbin/nologin evd \
 && install -d -o evd -g evd -m 0755 /run/evd
COPY --from=build /stage/usr/sbin/evd /usr/sbin/evd
COPY --from=build /stage/usr/bin/evctl /usr/bin/evctl
COPY --from=build /stage/etc/evd/evd.toml /etc/evd/evd.toml

USER evd
# The Unix socket lives in a volume so that other containers can mount it;
# TCP must bind all interfaces inside the container to be published.
VOLUME ["/run/evd"]
EXPOSE 7480
ENV EVD_ADDR=unix:/run/evd/evd.sock
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s \
  CMD ["evctl", "ping", "--timeout-ms", "2000"]
ENTRYPOINT ["evd", "--config", "/etc/evd/evd.toml"]
CMD ["--listen", "unix:/run/evd/evd.sock", "--listen", "tcp:0.0.0.0:7480", \
     "--socket-mode", "0666"]

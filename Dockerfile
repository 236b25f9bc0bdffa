# syntax=docker/dockerfile:1
# Portico in a container: a static binary on a distroless base, run as a non-root user.
#   docker build -t portico --build-arg VERSION=$(git describe --tags --always) .
#   docker run -p 8080:8080 -p 8081:8081 -v $PWD/examples/chat:/etc/portico:ro portico

# Build stage: go.mod asks for Go 1.26.8.
FROM golang:1.26.8 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=""
RUN CGO_ENABLED=0 GOOS=linux go build -trimpath \
      -ldflags "-s -w -X main.version=${VERSION}" \
      -o /out/portico ./cmd/portico

# Run stage: no shell, no package manager; uid 65532 is distroless's "nonroot".
FROM gcr.io/distroless/static-debian12:nonroot AS run
COPY --from=build /out/portico /usr/local/bin/portico
USER 65532:65532
# Client traffic (HTTP, WebSocket, @connections), admin (health, readiness, metrics), embedded NATS.
EXPOSE 8080 8081 4222
# The config file (and the files it names) are mounted here.
VOLUME ["/etc/portico"]
# In a container the admin listener and the embedded NATS server listen on every interface, so
# probes and backends on the container network reach them; keep those ports on a private network.
# SIGTERM drains (close 1001, $disconnect) within node.drainTimeout.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/portico"]
CMD ["serve", "--config", "/etc/portico/portico.yaml", "--listen", ":8080", "--admin", ":8081", "--nats-listen", ":4222"]

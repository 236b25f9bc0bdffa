# Build: a static binary, no cgo.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o /out/portico ./cmd/portico

# Run: the binary alone, as a user without privileges.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/portico /usr/local/bin/portico
USER nonroot:nonroot
# Client traffic (HTTP and WebSocket), the admin listener, the embedded NATS server.
EXPOSE 8080 8081 4222
VOLUME ["/etc/portico"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/portico"]
CMD ["serve", "--config", "/etc/portico/portico.yaml", "--listen", ":8080", "--admin", "0.0.0.0:8081", "--nats-listen", "0.0.0.0:4222"]

// Package deps pins the modules the project builds on until the packages that use them land.
package deps

import (
	_ "github.com/asynkron/protoactor-go/actor"
	_ "github.com/aws/aws-lambda-go/events"
	_ "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	_ "github.com/aws/aws-sdk-go-v2/credentials"
	_ "github.com/aws/aws-sdk-go-v2/service/apigatewaymanagementapi"
	_ "github.com/coder/websocket"
	_ "github.com/gobwas/ws"
	_ "github.com/gobwas/ws/wsutil"
	_ "github.com/goccy/go-yaml"
	_ "github.com/nats-io/nats-server/v2/server"
	_ "github.com/nats-io/nats.go"
	_ "github.com/prometheus/client_golang/prometheus"
	_ "github.com/spf13/cobra"
	_ "github.com/stretchr/testify/require"
	_ "github.com/tidwall/gjson"
	_ "go.uber.org/goleak"
	_ "go.uber.org/zap"
	_ "golang.org/x/sys/unix"
)

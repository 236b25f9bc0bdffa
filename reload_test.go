package portico_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/apigatewaymanagementapi"
	"github.com/aws/aws-sdk-go-v2/service/apigatewaymanagementapi/types"
	"github.com/stretchr/testify/require"

	"github.com/portico-gateway/portico/internal/testutil"
)

func TestReloadSwapsConnectionsCredentials(t *testing.T) {
	cfg := testutil.LoadConfig(t, connectionsConfig(`connectionsApi: { credentials: [ { accessKeyId: AKIDOLD, secretAccessKey: old-secret } ] }`))
	n := testutil.StartNode(t, cfg)
	c, id := connect(t, n, "prod")
	ctx := context.Background()
	post := func(ak, sk, data string) error {
		_, err := sdk(n, "prod", ak, sk).PostToConnection(ctx, &apigatewaymanagementapi.PostToConnectionInput{ConnectionId: &id, Data: []byte(data)})
		return err
	}
	require.NoError(t, post("AKIDOLD", "old-secret", "old key"))
	require.Equal(t, "old key", read(t, c))

	next := testutil.LoadConfig(t, connectionsConfig(`connectionsApi: { credentials: [ { accessKeyId: AKIDNEW, secretAccessKey: new-secret } ] }`))
	next.Node.NATSDataDir = cfg.Node.NATSDataDir
	res, err := n.Reload(next)
	require.NoError(t, err)
	require.Equal(t, []string{"deployment", "connectionsApi.credentials"}, res.Applied)
	require.Empty(t, res.NotReloadable)

	require.NoError(t, post("AKIDNEW", "new-secret", "new key"))
	require.Equal(t, "new key", read(t, c))
	var forbidden *types.ForbiddenException
	require.ErrorAs(t, post("AKIDOLD", "old-secret", "old key"), &forbidden, "the old key is refused")
}

func TestReloadReportsWhatItCannotApply(t *testing.T) {
	cfg := testutil.LoadConfig(t, connectionsConfig(""))
	n := testutil.StartNode(t, cfg)
	c, _ := connect(t, n, "prod")

	next := testutil.LoadConfig(t, strings.Replace(connectionsConfig(""), "websocket:\n", "websocket:\n  idleTimeout: 30m\n  maxFrameBytes: 4096\n", 1))
	next.Node.NATSDataDir = cfg.Node.NATSDataDir
	next.Node.Listen = "127.0.0.1:1"
	res, err := n.Reload(next)
	require.NoError(t, err)
	require.Equal(t, []string{"node.listen", "websocket.maxFrameBytes"}, res.NotReloadable)
	require.Equal(t, []string{"deployment", "websocket.idleTimeout"}, res.Applied)
	require.Equal(t, 30*time.Minute, n.Connections().Limits().IdleTimeout)

	// The node still serves where it listened, and a second reload still reports the change.
	send(t, c, `{"action":"echo"}`)
	require.Equal(t, `{"action":"echo"}`, read(t, c))
	res, err = n.Reload(next)
	require.NoError(t, err)
	require.Equal(t, []string{"node.listen", "websocket.maxFrameBytes"}, res.NotReloadable)
	require.Equal(t, []string{"deployment"}, res.Applied)
}

package portico_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/apigatewaymanagementapi"
	"github.com/aws/aws-sdk-go-v2/service/apigatewaymanagementapi/types"
	"github.com/stretchr/testify/require"

	"github.com/portico-gateway/portico/internal/testutil"
)

const signedConfig = `connectionsApi:
  credentials:
    - { accessKeyId: AKIAPORTICO, secretAccessKey: s3cret }`

func TestSignedPostOverTheLimitIsPayloadTooLarge(t *testing.T) {
	n := testutil.StartNode(t, testutil.LoadConfig(t, connectionsConfig(signedConfig)))
	_, id := connect(t, n, "prod")
	_, err := sdk(n, "prod", "AKIAPORTICO", "s3cret").PostToConnection(context.Background(),
		&apigatewaymanagementapi.PostToConnectionInput{ConnectionId: &id, Data: make([]byte, 200<<10)})
	var tooLarge *types.PayloadTooLargeException
	require.ErrorAs(t, err, &tooLarge)
}

func TestSignatureScopedToAnotherRegionIsForbidden(t *testing.T) {
	n := testutil.StartNode(t, testutil.LoadConfig(t, "node: { region: eu-west-1 }\n"+connectionsConfig(signedConfig)))
	c, id := connect(t, n, "prod")
	at := func(region string) *apigatewaymanagementapi.Client {
		return apigatewaymanagementapi.New(apigatewaymanagementapi.Options{
			BaseEndpoint: aws.String(fmt.Sprintf("http://%s/prod", n.Addr())), Region: region,
			Credentials: credentials.NewStaticCredentialsProvider("AKIAPORTICO", "s3cret", ""), Retryer: aws.NopRetryer{},
		})
	}
	_, err := at("us-east-1").PostToConnection(context.Background(), &apigatewaymanagementapi.PostToConnectionInput{ConnectionId: &id, Data: []byte("x")})
	var forbidden *types.ForbiddenException
	require.ErrorAs(t, err, &forbidden)
	_, err = at("eu-west-1").PostToConnection(context.Background(), &apigatewaymanagementapi.PostToConnectionInput{ConnectionId: &id, Data: []byte("ok")})
	require.NoError(t, err)
	require.Equal(t, "ok", read(t, c))
}

func TestForwardedRequestIsNotALoopbackCallerUnlessItsProxyIsTrusted(t *testing.T) {
	post := func(t *testing.T, addr, id string, h http.Header) int {
		req, err := http.NewRequest(http.MethodPost, fmt.Sprintf("http://%s/prod/@connections/%s", addr, id), strings.NewReader("hi"))
		require.NoError(t, err)
		for k, v := range h {
			req.Header[k] = v
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	n := testutil.StartNode(t, testutil.LoadConfig(t, connectionsConfig("")))
	_, id := connect(t, n, "prod")
	addr := n.Addr().String()
	require.Equal(t, 200, post(t, addr, id, nil))
	require.Equal(t, 403, post(t, addr, id, http.Header{"X-Forwarded-For": {"198.51.100.7"}}))
	require.Equal(t, 403, post(t, addr, id, http.Header{"Forwarded": {"for=198.51.100.7"}}))

	trusted := testutil.StartNode(t, testutil.LoadConfig(t, "node: { trustedProxies: [ 127.0.0.0/8 ] }\n"+connectionsConfig("")))
	_, id = connect(t, trusted, "prod")
	addr = trusted.Addr().String()
	require.Equal(t, 403, post(t, addr, id, http.Header{"X-Forwarded-For": {"198.51.100.7"}}), "the client behind the proxy is not loopback")
	require.Equal(t, 200, post(t, addr, id, http.Header{"X-Forwarded-For": {"127.0.0.1"}}))
}

func TestPprofIsServedOnlyWhenEnabled(t *testing.T) {
	get := func(t *testing.T, addr string) int {
		resp, err := http.Get("http://" + addr + "/debug/pprof/cmdline")
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	off := testutil.StartNode(t, testutil.LoadConfig(t, connectionsConfig("")))
	require.Equal(t, 404, get(t, off.AdminAddr().String()))
	on := testutil.StartNode(t, testutil.LoadConfig(t, "node: { pprof: true }\n"+connectionsConfig("")))
	require.Equal(t, 200, get(t, on.AdminAddr().String()))
}

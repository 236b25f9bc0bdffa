package portico_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/apigatewaymanagementapi"
	"github.com/aws/aws-sdk-go-v2/service/apigatewaymanagementapi/types"
	"github.com/stretchr/testify/require"

	"github.com/portico-gateway/portico"
	"github.com/portico-gateway/portico/internal/testutil"
)

const signedConnections = `node: { region: eu-west-1 }
connectionsApi:
  credentials:
    - { accessKeyId: AKIAPORTICO, secretAccessKey: s3cret }`

// sdkIn is sdk with the client's region chosen.
func sdkIn(n *portico.Node, region string) *apigatewaymanagementapi.Client {
	return apigatewaymanagementapi.New(apigatewaymanagementapi.Options{
		BaseEndpoint: aws.String(fmt.Sprintf("http://%s/prod", n.Addr())),
		Region:       region,
		Credentials:  credentials.NewStaticCredentialsProvider("AKIAPORTICO", "s3cret", ""),
		Retryer:      aws.NopRetryer{},
	})
}

func TestSignedPostOverLimitIsPayloadTooLarge(t *testing.T) {
	n := testutil.StartNode(t, testutil.LoadConfig(t, connectionsConfig(signedConnections)))
	c, id := connect(t, n, "prod")
	api := sdkIn(n, "eu-west-1")
	_, err := api.PostToConnection(context.Background(), &apigatewaymanagementapi.PostToConnectionInput{ConnectionId: &id, Data: make([]byte, 200<<10)})
	var tooLarge *types.PayloadTooLargeException
	require.ErrorAs(t, err, &tooLarge, "a signed 200 KiB post is too large, not forbidden")
	_, err = api.PostToConnection(context.Background(), &apigatewaymanagementapi.PostToConnectionInput{ConnectionId: &id, Data: []byte(strings.Repeat("a", 128<<10))})
	require.NoError(t, err, "exactly 128 KiB, signed, is delivered")
	require.Len(t, read(t, c), 128<<10)
}

func TestSignedCallScopedToAnotherRegionIsForbidden(t *testing.T) {
	n := testutil.StartNode(t, testutil.LoadConfig(t, connectionsConfig(signedConnections)))
	c, id := connect(t, n, "prod")
	ctx := context.Background()
	_, err := sdkIn(n, "eu-west-1").PostToConnection(ctx, &apigatewaymanagementapi.PostToConnectionInput{ConnectionId: &id, Data: []byte("same region")})
	require.NoError(t, err)
	require.Equal(t, "same region", read(t, c))

	var forbidden *types.ForbiddenException
	_, err = sdkIn(n, "us-east-1").PostToConnection(ctx, &apigatewaymanagementapi.PostToConnectionInput{ConnectionId: &id, Data: []byte("x")})
	require.ErrorAs(t, err, &forbidden)
	_, err = sdkIn(n, "us-east-1").GetConnection(ctx, &apigatewaymanagementapi.GetConnectionInput{ConnectionId: &id})
	require.ErrorAs(t, err, &forbidden)
}

func TestSignedPostWithUnsignedPayloadIsForbidden(t *testing.T) {
	n := testutil.StartNode(t, testutil.LoadConfig(t, connectionsConfig(signedConnections)))
	_, id := connect(t, n, "prod")
	url := fmt.Sprintf("http://%s/prod/@connections/%s", n.Addr(), id)
	creds := aws.Credentials{AccessKeyID: "AKIAPORTICO", SecretAccessKey: "s3cret"}
	post := func(signedBody, sentBody, payloadHash string) int {
		req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(signedBody))
		require.NoError(t, err)
		req.Header.Set("X-Amz-Content-Sha256", payloadHash)
		require.NoError(t, v4.NewSigner().SignHTTP(context.Background(), creds, req, payloadHash, "execute-api", "eu-west-1", time.Now()))
		sent, err := http.NewRequest(http.MethodPost, url, strings.NewReader(sentBody))
		require.NoError(t, err)
		sent.Header = req.Header.Clone()
		resp, err := http.DefaultClient.Do(sent)
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, resp.Body)
		require.NoError(t, resp.Body.Close())
		return resp.StatusCode
	}
	sum := sha256.Sum256([]byte("signed"))
	require.Equal(t, http.StatusOK, post("signed", "signed", hex.EncodeToString(sum[:])))
	require.Equal(t, http.StatusForbidden, post("signed", "forged", hex.EncodeToString(sum[:])), "the payload hash is checked against the body")
	require.Equal(t, http.StatusForbidden, post("signed", "forged", "UNSIGNED-PAYLOAD"), "a signature that does not cover the body is refused")
	require.Equal(t, http.StatusForbidden, post("signed", "signed", "UNSIGNED-PAYLOAD"))
}

// postFrom posts to a connection without credentials, with extra headers.
func postFrom(t *testing.T, n *portico.Node, id string, header http.Header) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, fmt.Sprintf("http://%s/prod/@connections/%s", n.Addr(), id), strings.NewReader("hello"))
	require.NoError(t, err)
	for k, vs := range header {
		req.Header[k] = vs
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	if resp.StatusCode == http.StatusForbidden {
		require.Equal(t, "ForbiddenException", resp.Header.Get("X-Amzn-Errortype"))
		require.JSONEq(t, `{"message":"Forbidden"}`, string(body))
	}
	return resp.StatusCode, string(body)
}

func TestForwardedRequestWithoutTrustedProxyIsNotLoopbackCaller(t *testing.T) {
	n := testutil.StartNode(t, testutil.LoadConfig(t, connectionsConfig("")))
	c, id := connect(t, n, "prod")
	status, _ := postFrom(t, n, id, nil)
	require.Equal(t, http.StatusOK, status, "a direct loopback caller is admitted")
	require.Equal(t, "hello", read(t, c))
	for _, h := range []http.Header{
		{"X-Forwarded-For": {"127.0.0.1"}},
		{"X-Forwarded-For": {"203.0.113.9"}},
		{"Forwarded": {"for=127.0.0.1"}},
	} {
		status, _ := postFrom(t, n, id, h)
		require.Equal(t, http.StatusForbidden, status, "%v through an untrusted proxy on loopback", h)
	}
}

func TestForwardedRequestFromTrustedProxyIsJudgedByItsClient(t *testing.T) {
	n := testutil.StartNode(t, testutil.LoadConfig(t, connectionsConfig(`node: { trustedProxies: [127.0.0.0/8, "::1", 10.1.0.0/16] }`)))
	c, id := connect(t, n, "prod")
	for _, tc := range []struct {
		name   string
		header http.Header
		want   int
	}{
		{"internet client", http.Header{"X-Forwarded-For": {"203.0.113.9"}}, http.StatusForbidden},
		{"internet client behind two trusted proxies", http.Header{"X-Forwarded-For": {"203.0.113.9, 10.1.2.3"}}, http.StatusForbidden},
		{"spoofed loopback before an internet client", http.Header{"X-Forwarded-For": {"127.0.0.1, 203.0.113.9"}}, http.StatusForbidden},
		{"Forwarded internet client", http.Header{"Forwarded": {`for="[2001:db8::1]:4711";proto=http`}}, http.StatusForbidden},
		{"Forwarded unknown client", http.Header{"Forwarded": {"for=unknown"}}, http.StatusForbidden},
		{"loopback in one header, internet in the other", http.Header{"X-Forwarded-For": {"127.0.0.1"}, "Forwarded": {"for=203.0.113.9"}}, http.StatusForbidden},
		{"loopback client", http.Header{"X-Forwarded-For": {"127.0.0.1"}}, http.StatusOK},
		{"Forwarded loopback client", http.Header{"Forwarded": {`for="[::1]:5000"`}}, http.StatusOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, _ := postFrom(t, n, id, tc.header)
			require.Equal(t, tc.want, status)
			if tc.want == http.StatusOK {
				require.Equal(t, "hello", read(t, c))
			}
		})
	}
}

// adminGet fetches path from n's admin listener, with HTTP Basic credentials when user is set.
func adminGet(t *testing.T, n *portico.Node, path, user, password string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, fmt.Sprintf("http://%s%s", n.AdminAddr(), path), nil)
	require.NoError(t, err)
	if user != "" {
		req.SetBasicAuth(user, password)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, resp.Body)
	require.NoError(t, resp.Body.Close())
	return resp.StatusCode
}

func TestPprofIsOffByDefault(t *testing.T) {
	n := testutil.StartNode(t, testutil.LoadConfig(t, connectionsConfig("")))
	for _, p := range []string{"/debug/pprof/", "/debug/pprof/cmdline", "/debug/pprof/goroutine?debug=1", "/debug/pprof/symbol"} {
		require.Equal(t, http.StatusNotFound, adminGet(t, n, p, "", ""), p)
	}
	require.Equal(t, http.StatusOK, adminGet(t, n, "/healthz", "", ""))
}

func TestPprofServesWhenEnabled(t *testing.T) {
	n := testutil.StartNode(t, testutil.LoadConfig(t, connectionsConfig(`node: { pprof: true }`)))
	require.Equal(t, http.StatusOK, adminGet(t, n, "/debug/pprof/", "", ""))
	require.Equal(t, http.StatusOK, adminGet(t, n, "/debug/pprof/goroutine?debug=1", "", ""))
}

func TestPprofAsksForAdminCredentialsWhenSet(t *testing.T) {
	n := testutil.StartNode(t, testutil.LoadConfig(t, connectionsConfig(`node:
  pprof: true
  adminCredentials: [ { accessKeyId: ops, secretAccessKey: "correct horse" } ]`)))
	for _, p := range []string{"/debug/pprof/", "/debug/pprof/cmdline", "/debug/pprof/heap"} {
		require.Equal(t, http.StatusUnauthorized, adminGet(t, n, p, "", ""), p)
		require.Equal(t, http.StatusUnauthorized, adminGet(t, n, p, "ops", "wrong"), p)
		require.Equal(t, http.StatusUnauthorized, adminGet(t, n, p, "other", "correct horse"), p)
		require.Equal(t, http.StatusOK, adminGet(t, n, p, "ops", "correct horse"), p)
	}
	require.Equal(t, http.StatusOK, adminGet(t, n, "/healthz", "", ""), "probes stay open")
}

func TestReloadTurnsPprofOnAndOff(t *testing.T) {
	cfg := testutil.LoadConfig(t, connectionsConfig(""))
	n := testutil.StartNode(t, cfg)
	require.Equal(t, http.StatusNotFound, adminGet(t, n, "/debug/pprof/", "", ""))
	next := testutil.LoadConfig(t, connectionsConfig(`node: { pprof: true, adminCredentials: [ { accessKeyId: ops, secretAccessKey: pw } ] }`))
	res, err := n.Reload(next)
	require.NoError(t, err)
	require.Equal(t, []string{"deployment", "node.pprof", "node.adminCredentials"}, res.Applied)
	require.Equal(t, http.StatusUnauthorized, adminGet(t, n, "/debug/pprof/", "", ""))
	require.Equal(t, http.StatusOK, adminGet(t, n, "/debug/pprof/", "ops", "pw"))
	res, err = n.Reload(testutil.LoadConfig(t, connectionsConfig("")))
	require.NoError(t, err)
	require.Equal(t, http.StatusNotFound, adminGet(t, n, "/debug/pprof/", "ops", "pw"))
	require.Contains(t, res.Applied, "node.pprof")
}

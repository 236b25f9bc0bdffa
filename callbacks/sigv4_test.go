package callbacks

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/apigatewaymanagementapi"
	"github.com/aws/aws-sdk-go-v2/service/apigatewaymanagementapi/types"
	"github.com/stretchr/testify/require"
)

const (
	sigv4TestKey    = "AKIDPORTICOTEST"
	sigv4TestSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	sigv4TestGet    = `{"connectedAt":"2024-01-20T11:54:57.419Z","identity":{"sourceIp":"1.2.3.4","userAgent":"x"},"lastActiveAt":"2024-01-20T11:55:00.453Z"}`
)

var sigv4TestCreds = []Credential{{AccessKeyID: "AKIDOTHER", SecretAccessKey: "other"}, {AccessKeyID: sigv4TestKey, SecretAccessKey: sigv4TestSecret}}

// sigv4TestServer answers the three @connections operations after Verify, and remembers what
// Verify said for each request.
type sigv4TestServer struct {
	*httptest.Server
	mu   sync.Mutex
	errs []error
}

func startSigv4Server(t *testing.T, v *Verifier) *sigv4TestServer {
	t.Helper()
	s := &sigv4TestServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err == nil {
			err = v.Verify(r, body)
		}
		s.mu.Lock()
		s.errs = append(s.errs, err)
		s.mu.Unlock()
		if err != nil {
			w.Header().Set("X-Amzn-ErrorType", "ForbiddenException")
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusForbidden)
			_, _ = w.Write([]byte(`{"message":"Forbidden"}`))
			return
		}
		switch r.Method {
		case http.MethodGet:
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(sigv4TestGet))
		case http.MethodDelete:
			w.WriteHeader(http.StatusNoContent)
		default:
			w.WriteHeader(http.StatusOK)
		}
	}))
	t.Cleanup(s.Close)
	return s
}

// lastErr is what Verify returned for the latest request.
func (s *sigv4TestServer) lastErr(t *testing.T) error {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	require.NotEmpty(t, s.errs, "no request reached the server")
	return s.errs[len(s.errs)-1]
}

func newSigv4Client(srv *sigv4TestServer, region, ak, sk string, optFns ...func(*apigatewaymanagementapi.Options)) *apigatewaymanagementapi.Client {
	opts := apigatewaymanagementapi.Options{
		BaseEndpoint:     aws.String(srv.URL + "/prod"),
		Region:           region,
		Credentials:      credentials.NewStaticCredentialsProvider(ak, sk, ""),
		RetryMaxAttempts: 1,
		HTTPClient:       srv.Client(),
	}
	for _, fn := range optFns {
		fn(&opts)
	}
	return apigatewaymanagementapi.New(opts)
}

// callAll runs the three operations against id and returns their errors.
func callAll(ctx context.Context, c *apigatewaymanagementapi.Client, id string) (post, get, del error, got *apigatewaymanagementapi.GetConnectionOutput) {
	_, post = c.PostToConnection(ctx, &apigatewaymanagementapi.PostToConnectionInput{ConnectionId: aws.String(id), Data: []byte(`{"msg":"hi"}`)})
	got, get = c.GetConnection(ctx, &apigatewaymanagementapi.GetConnectionInput{ConnectionId: aws.String(id)})
	_, del = c.DeleteConnection(ctx, &apigatewaymanagementapi.DeleteConnectionInput{ConnectionId: aws.String(id)})
	return post, get, del, got
}

func TestVerifierAcceptsSDKCallsForEveryOperation(t *testing.T) {
	for _, tc := range []struct{ name, region, id string }{
		{"connection id ending in =", "us-east-1", "R1kmxc2VNjMCFIA="},
		{"connection id with - and _", "us-east-1", "a-b_c-D_e="},
		{"connection id with = inside", "us-east-1", "ab=cd=="},
		{"region other than us-east-1", "eu-west-3", "R1kmxc2VNjMCFIA="},
		{"region of another partition", "cn-north-1", "x_y-z="},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := startSigv4Server(t, NewVerifier(sigv4TestCreds, tc.region, 0))
			c := newSigv4Client(srv, tc.region, sigv4TestKey, sigv4TestSecret)
			post, get, del, got := callAll(context.Background(), c, tc.id)
			require.NoError(t, post)
			require.NoError(t, get)
			require.NoError(t, del)
			require.Equal(t, "1.2.3.4", aws.ToString(got.Identity.SourceIp))
			require.Equal(t, time.Date(2024, 1, 20, 11, 54, 57, 419e6, time.UTC), got.ConnectedAt.UTC())
		})
	}
}

// sigv4ShiftedSigner signs at the client's time plus shift.
type sigv4ShiftedSigner struct {
	signer *v4.Signer
	shift  time.Duration
}

func (s sigv4ShiftedSigner) SignHTTP(ctx context.Context, creds aws.Credentials, r *http.Request, payloadHash, service, region string, at time.Time, optFns ...func(*v4.SignerOptions)) error {
	return s.signer.SignHTTP(ctx, creds, r, payloadHash, service, region, at.Add(s.shift), optFns...)
}

// sigv4Doer lets a test change a request after the SDK signed it.
type sigv4Doer func(*http.Request) (*http.Response, error)

func (d sigv4Doer) Do(r *http.Request) (*http.Response, error) { return d(r) }

func alterAfterSigning(client *http.Client, alter func(*http.Request)) func(*apigatewaymanagementapi.Options) {
	return func(o *apigatewaymanagementapi.Options) {
		o.HTTPClient = sigv4Doer(func(r *http.Request) (*http.Response, error) {
			alter(r)
			return client.Do(r)
		})
	}
}

func TestVerifierRefusesBadSDKCallsAsForbidden(t *testing.T) {
	srv := startSigv4Server(t, NewVerifier(sigv4TestCreds, "us-east-1", 0))
	flipFirstByte := func(r *http.Request) {
		if r.Body == nil {
			return
		}
		b, _ := io.ReadAll(r.Body)
		if len(b) > 0 {
			b[0] ^= 0x20
		}
		r.Body = io.NopCloser(bytes.NewReader(b))
		r.GetBody = nil
	}
	for _, tc := range []struct {
		name       string
		ak, sk     string
		opt        func(*apigatewaymanagementapi.Options)
		wantReason string
		onlyPost   bool // GET and DELETE carry no body to change
	}{
		{name: "wrong secret", ak: sigv4TestKey, sk: "not-the-secret", wantReason: "signature mismatch"},
		{name: "unknown access key", ak: "AKIDUNKNOWN", sk: sigv4TestSecret, wantReason: `unknown access key "AKIDUNKNOWN"`},
		{name: "body changed after signing", ak: sigv4TestKey, sk: sigv4TestSecret,
			opt: alterAfterSigning(srv.Client(), flipFirstByte), wantReason: "signature mismatch", onlyPost: true},
		{name: "connection id changed after signing", ak: sigv4TestKey, sk: sigv4TestSecret,
			opt: alterAfterSigning(srv.Client(), func(r *http.Request) {
				r.URL.RawPath = strings.Replace(r.URL.EscapedPath(), "abc", "abd", 1)
				r.URL.Path, _ = url.PathUnescape(r.URL.RawPath)
			}), wantReason: "signature mismatch"},
		{name: "signed 20 minutes ago", ak: sigv4TestKey, sk: sigv4TestSecret,
			opt: func(o *apigatewaymanagementapi.Options) {
				o.HTTPSignerV4 = sigv4ShiftedSigner{signer: v4.NewSigner(), shift: -20 * time.Minute}
			}, wantReason: "in the past"},
		{name: "signed 20 minutes ahead", ak: sigv4TestKey, sk: sigv4TestSecret,
			opt: func(o *apigatewaymanagementapi.Options) {
				o.HTTPSignerV4 = sigv4ShiftedSigner{signer: v4.NewSigner(), shift: 20 * time.Minute}
			}, wantReason: "in the future"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var opts []func(*apigatewaymanagementapi.Options)
			if tc.opt != nil {
				opts = append(opts, tc.opt)
			}
			c := newSigv4Client(srv, "us-east-1", tc.ak, tc.sk, opts...)
			post, get, del, _ := callAll(context.Background(), c, "abc=")
			refused := []error{post, get, del}
			if tc.onlyPost {
				require.NoError(t, get)
				require.NoError(t, del)
				_, post = c.PostToConnection(context.Background(), &apigatewaymanagementapi.PostToConnectionInput{ConnectionId: aws.String("abc="), Data: []byte("x")})
				refused = []error{post}
			}
			for _, err := range refused {
				var forbidden *types.ForbiddenException
				require.ErrorAs(t, err, &forbidden)
				require.Equal(t, "ForbiddenException", forbidden.ErrorCode())
			}
			verr := srv.lastErr(t)
			require.ErrorIs(t, verr, ErrSignature)
			require.ErrorContains(t, verr, tc.wantReason)
		})
	}
}

func TestVerifierRefusesUnsignedRequest(t *testing.T) {
	srv := startSigv4Server(t, NewVerifier(sigv4TestCreds, "us-east-1", 0))
	resp, err := srv.Client().Post(srv.URL+"/prod/%40connections/abc%3D", "application/json", strings.NewReader("hi"))
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusForbidden, resp.StatusCode)
	require.Equal(t, "ForbiddenException", resp.Header.Get("X-Amzn-ErrorType"))
	require.JSONEq(t, `{"message":"Forbidden"}`, string(body))
	require.ErrorContains(t, srv.lastErr(t), "missing Authorization")
}

func sigv4Hash(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

// sendSigned signs req with the SDK's signer at `at` and sends it.
func sendSigned(t *testing.T, srv *sigv4TestServer, req *http.Request, body []byte, at time.Time, region, sessionToken string) int {
	t.Helper()
	creds := aws.Credentials{AccessKeyID: sigv4TestKey, SecretAccessKey: sigv4TestSecret, SessionToken: sessionToken}
	hash := req.Header.Get("X-Amz-Content-Sha256")
	if hash == "" {
		hash = sigv4Hash(body)
	}
	require.NoError(t, v4.NewSigner().SignHTTP(context.Background(), creds, req, hash, "execute-api", region, at))
	return sigv4Send(t, srv, req)
}

func sigv4Send(t *testing.T, srv *sigv4TestServer, req *http.Request) int {
	t.Helper()
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, resp.Body)
	require.NoError(t, resp.Body.Close())
	return resp.StatusCode
}

func TestVerifierAgreesWithSDKSigner(t *testing.T) {
	srv := startSigv4Server(t, NewVerifier(sigv4TestCreds, "us-west-2", 0))
	for _, tc := range []struct {
		name, method, target string
		headers              http.Header
		body                 string
		sessionToken         string
	}{
		{name: "escaped @ and =", method: http.MethodPost, target: "/prod/%40connections/abc%3D", body: "hi"},
		{name: "literal @", method: http.MethodPost, target: "/prod/@connections/abc%3D", body: "hi"},
		{name: "plus, space and unicode in the path", method: http.MethodGet, target: "/prod/@connections/a%2Bb%20c%C3%A9"},
		{name: "escaped slash in the path", method: http.MethodDelete, target: "/prod/@connections/a%2Fb"},
		{name: "empty body", method: http.MethodPost, target: "/prod/@connections/abc%3D"},
		{name: "query sorted after escaping", method: http.MethodGet, target: "/prod/@connections/x?b=2&a=1&a=0&a-b=3&a%2Fb=4"},
		{name: "query with spaces, plus and empty values", method: http.MethodGet, target: "/prod/@connections/x?q=a%20b&p=a%2Bb&e=&k"},
		{name: "header values with runs of spaces", method: http.MethodPost, target: "/prod/@connections/x", body: "{}",
			headers: http.Header{"X-Custom": {"  a   b  c "}, "Content-Type": {"application/json"}}},
		{name: "header with several values", method: http.MethodPost, target: "/prod/@connections/x", body: "{}",
			headers: http.Header{"X-Custom": {"one", " two ", "three  four"}}},
		{name: "session token", method: http.MethodPost, target: "/prod/@connections/x", body: "{}", sessionToken: "FQoGZXIvYXdzEBY"},
		{name: "content sha256 header", method: http.MethodPost, target: "/prod/@connections/x", body: "{}",
			headers: http.Header{"X-Amz-Content-Sha256": {sigv4Hash([]byte("{}"))}}},
		{name: "large binary body", method: http.MethodPost, target: "/prod/@connections/x", body: strings.Repeat("\x00\xff", 64<<10)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, srv.URL+tc.target, bytes.NewReader([]byte(tc.body)))
			require.NoError(t, err)
			if tc.body == "" {
				req.Body, req.ContentLength = http.NoBody, 0
			}
			for k, vs := range tc.headers {
				req.Header[k] = vs
			}
			status := sendSigned(t, srv, req, []byte(tc.body), time.Now(), "us-west-2", tc.sessionToken)
			require.NoError(t, srv.lastErr(t))
			require.Less(t, status, 300)
		})
	}
}

func TestVerifierChecksOnlyDeclaredSignedHeaders(t *testing.T) {
	srv := startSigv4Server(t, NewVerifier(sigv4TestCreds, "us-east-1", 0))
	newReq := func() *http.Request {
		req, err := http.NewRequest(http.MethodPost, srv.URL+"/prod/@connections/x", strings.NewReader("{}"))
		require.NoError(t, err)
		req.Header.Set("X-Custom", "signed")
		return req
	}
	sign := func(req *http.Request) {
		creds := aws.Credentials{AccessKeyID: sigv4TestKey, SecretAccessKey: sigv4TestSecret}
		require.NoError(t, v4.NewSigner().SignHTTP(context.Background(), creds, req, sigv4Hash([]byte("{}")), "execute-api", "us-east-1", time.Now()))
	}

	req := newReq()
	sign(req)
	req.Header.Set("X-Added-Later", "fine")
	require.Equal(t, http.StatusOK, sigv4Send(t, srv, req), "a header added after signing is not part of the signature")

	req = newReq()
	sign(req)
	req.Header.Set("X-Custom", "changed")
	require.Equal(t, http.StatusForbidden, sigv4Send(t, srv, req))
	require.ErrorContains(t, srv.lastErr(t), "signature mismatch")

	req = newReq()
	sign(req)
	req.Header.Del("X-Custom")
	require.Equal(t, http.StatusForbidden, sigv4Send(t, srv, req))
	require.ErrorContains(t, srv.lastErr(t), `signed header "x-custom" is missing`)
}

func TestVerifierChecksContentSha256AgainstBody(t *testing.T) {
	srv := startSigv4Server(t, NewVerifier(sigv4TestCreds, "us-east-1", 0))
	for _, tc := range []struct {
		name, claimed string
		wantStatus    int
		wantReason    string
	}{
		{name: "hash of the signed body refused for another body", claimed: sigv4Hash([]byte("signed")), wantStatus: http.StatusForbidden, wantReason: "does not match the body"},
		{name: "unsigned payload refused", claimed: "UNSIGNED-PAYLOAD", wantStatus: http.StatusForbidden, wantReason: "UNSIGNED-PAYLOAD is not accepted"},
		{name: "streaming payload refused", claimed: "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", wantStatus: http.StatusForbidden, wantReason: "unsupported X-Amz-Content-Sha256"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodPost, srv.URL+"/prod/@connections/x", strings.NewReader("forged"))
			require.NoError(t, err)
			req.Header.Set("X-Amz-Content-Sha256", tc.claimed)
			creds := aws.Credentials{AccessKeyID: sigv4TestKey, SecretAccessKey: sigv4TestSecret}
			require.NoError(t, v4.NewSigner().SignHTTP(context.Background(), creds, req, tc.claimed, "execute-api", "us-east-1", time.Now()))
			require.Equal(t, tc.wantStatus, sigv4Send(t, srv, req))
			if tc.wantReason != "" {
				require.ErrorContains(t, srv.lastErr(t), tc.wantReason)
			}
		})
	}
}

func TestVerifierAllowsDateSkewUpToMaxSkew(t *testing.T) {
	for _, tc := range []struct {
		name    string
		maxSkew time.Duration
		age     time.Duration
		wantOK  bool
	}{
		{"zero max skew means 5 minutes: 4 minutes old passes", 0, 4 * time.Minute, true},
		{"zero max skew means 5 minutes: 6 minutes old fails", 0, 6 * time.Minute, false},
		{"zero max skew means 5 minutes: 4 minutes ahead passes", 0, -4 * time.Minute, true},
		{"negative max skew means 5 minutes", -time.Second, 4 * time.Minute, true},
		{"one minute max skew: 2 minutes old fails", time.Minute, 2 * time.Minute, false},
		{"one hour max skew: 20 minutes old passes", time.Hour, 20 * time.Minute, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := startSigv4Server(t, NewVerifier(sigv4TestCreds, "us-east-1", tc.maxSkew))
			req, err := http.NewRequest(http.MethodGet, srv.URL+"/prod/@connections/x", nil)
			require.NoError(t, err)
			status := sendSigned(t, srv, req, nil, time.Now().Add(-tc.age), "us-east-1", "")
			if tc.wantOK {
				require.Equal(t, http.StatusOK, status)
				return
			}
			require.Equal(t, http.StatusForbidden, status)
			require.ErrorContains(t, srv.lastErr(t), "in the past")
		})
	}
}

// presign returns a presigned URL for method on target, signed at `at`, valid for expires.
func presign(t *testing.T, method, rawURL string, body []byte, at time.Time, expires time.Duration) string {
	t.Helper()
	u, err := url.Parse(rawURL)
	require.NoError(t, err)
	q := u.Query()
	q.Set("X-Amz-Expires", strconv.Itoa(int(expires/time.Second)))
	u.RawQuery = q.Encode()
	req, err := http.NewRequest(method, u.String(), nil)
	require.NoError(t, err)
	creds := aws.Credentials{AccessKeyID: sigv4TestKey, SecretAccessKey: sigv4TestSecret}
	signed, _, err := v4.NewSigner().PresignHTTP(context.Background(), creds, req, sigv4Hash(body), "execute-api", "ap-southeast-2", at)
	require.NoError(t, err)
	return signed
}

func TestVerifierAcceptsPresignedURLUntilItExpires(t *testing.T) {
	srv := startSigv4Server(t, NewVerifier(sigv4TestCreds, "ap-southeast-2", 0))
	target := srv.URL + "/prod/@connections/abc%3D"
	for _, tc := range []struct {
		name       string
		method     string
		body       string
		url        func() string
		wantReason string
	}{
		{name: "fresh GET", method: http.MethodGet, url: func() string { return presign(t, http.MethodGet, target, nil, time.Now(), time.Minute) }},
		{name: "fresh POST with a body", method: http.MethodPost, body: "hello",
			url: func() string { return presign(t, http.MethodPost, target, []byte("hello"), time.Now(), time.Minute) }},
		{name: "extra query parameter is signed too", method: http.MethodGet,
			url: func() string { return presign(t, http.MethodGet, target+"?a=b%20c", nil, time.Now(), time.Minute) }},
		{name: "signed 20 minutes ago for one minute", method: http.MethodGet, wantReason: "presigned URL expired",
			url: func() string {
				return presign(t, http.MethodGet, target, nil, time.Now().Add(-20*time.Minute), time.Minute)
			}},
		{name: "signed 20 minutes ago for an hour", method: http.MethodGet,
			url: func() string {
				return presign(t, http.MethodGet, target, nil, time.Now().Add(-20*time.Minute), time.Hour)
			}},
		{name: "signed for the future", method: http.MethodGet, wantReason: "in the future",
			url: func() string { return presign(t, http.MethodGet, target, nil, time.Now().Add(time.Hour), time.Hour) }},
		{name: "connection id swapped", method: http.MethodGet, wantReason: "signature mismatch",
			url: func() string {
				return strings.Replace(presign(t, http.MethodGet, target, nil, time.Now(), time.Minute), "abc%3D", "abd%3D", 1)
			}},
		{name: "expiry extended", method: http.MethodGet, wantReason: "signature mismatch",
			url: func() string {
				return strings.Replace(presign(t, http.MethodGet, target, nil, time.Now(), time.Minute), "X-Amz-Expires=60", "X-Amz-Expires=3600", 1)
			}},
		{name: "method changed", method: http.MethodDelete, wantReason: "signature mismatch",
			url: func() string { return presign(t, http.MethodGet, target, nil, time.Now(), time.Minute) }},
		{name: "missing expiry", method: http.MethodGet, wantReason: "X-Amz-Expires",
			url: func() string {
				return strings.Replace(presign(t, http.MethodGet, target, nil, time.Now(), time.Minute), "X-Amz-Expires=60&", "", 1)
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, tc.url(), strings.NewReader(tc.body))
			require.NoError(t, err)
			status := sigv4Send(t, srv, req)
			if tc.wantReason == "" {
				require.NoError(t, srv.lastErr(t))
				require.Equal(t, http.StatusOK, status)
				return
			}
			require.Equal(t, http.StatusForbidden, status)
			require.ErrorContains(t, srv.lastErr(t), tc.wantReason)
		})
	}
}

func TestVerifierExplainsMalformedSignatures(t *testing.T) {
	const (
		date  = "20240120T115500Z"
		sig   = "0000000000000000000000000000000000000000000000000000000000000000"
		scope = "/20240120/us-east-1/execute-api/aws4_request"
	)
	good := "AWS4-HMAC-SHA256 Credential=" + sigv4TestKey + scope + ", SignedHeaders=host;x-amz-date, Signature=" + sig
	for _, tc := range []struct {
		name       string
		target     string
		headers    map[string][]string
		wantReason string
	}{
		{name: "no Authorization", wantReason: "missing Authorization"},
		{name: "other algorithm", headers: map[string][]string{"Authorization": {"AWS4-HMAC-SHA512 Credential=x"}}, wantReason: "unsupported Authorization algorithm"},
		{name: "basic auth", headers: map[string][]string{"Authorization": {"Basic dXNlcjpwYXNz"}}, wantReason: "unsupported Authorization algorithm"},
		{name: "two Authorization headers", headers: map[string][]string{"Authorization": {good, good}, "X-Amz-Date": {date}}, wantReason: "more than one Authorization"},
		{name: "component without =", headers: map[string][]string{"Authorization": {"AWS4-HMAC-SHA256 Credential"}}, wantReason: "malformed Authorization component"},
		{name: "unknown component", headers: map[string][]string{"Authorization": {good + ", Extra=1"}, "X-Amz-Date": {date}}, wantReason: "unknown Authorization component"},
		{name: "repeated component", headers: map[string][]string{"Authorization": {good + ", Signature=" + sig}, "X-Amz-Date": {date}}, wantReason: "repeats Signature"},
		{name: "missing date", headers: map[string][]string{"Authorization": {good}}, wantReason: "X-Amz-Date"},
		{name: "malformed date", headers: map[string][]string{"Authorization": {good}, "X-Amz-Date": {"2024-01-20T11:55:00Z"}}, wantReason: "malformed X-Amz-Date"},
		{name: "missing signature", headers: map[string][]string{"Authorization": {"AWS4-HMAC-SHA256 Credential=" + sigv4TestKey + scope + ", SignedHeaders=host;x-amz-date"}, "X-Amz-Date": {date}}, wantReason: "all required"},
		{name: "short credential", headers: map[string][]string{"Authorization": {strings.Replace(good, scope, "/20240120/us-east-1", 1)}, "X-Amz-Date": {date}}, wantReason: "malformed credential"},
		{name: "wrong service", headers: map[string][]string{"Authorization": {strings.Replace(good, "execute-api", "s3", 1)}, "X-Amz-Date": {date}}, wantReason: `service "s3"`},
		{name: "wrong terminator", headers: map[string][]string{"Authorization": {strings.Replace(good, "aws4_request", "aws5_request", 1)}, "X-Amz-Date": {date}}, wantReason: "aws4_request"},
		{name: "scope date differs from X-Amz-Date", headers: map[string][]string{"Authorization": {good}, "X-Amz-Date": {"20240121T115500Z"}}, wantReason: "does not match X-Amz-Date"},
		{name: "host not signed", headers: map[string][]string{"Authorization": {strings.Replace(good, "host;", "", 1)}, "X-Amz-Date": {date}}, wantReason: "host is not a signed header"},
		{name: "date not signed", headers: map[string][]string{"Authorization": {strings.Replace(good, ";x-amz-date", "", 1)}, "X-Amz-Date": {date}}, wantReason: "x-amz-date is not a signed header"},
		{name: "token not signed", headers: map[string][]string{"Authorization": {good}, "X-Amz-Date": {date}, "X-Amz-Security-Token": {"t"}}, wantReason: "x-amz-security-token is not a signed header"},
		{name: "unsorted signed headers", headers: map[string][]string{"Authorization": {strings.Replace(good, "host;x-amz-date", "x-amz-date;host", 1)}, "X-Amz-Date": {date}}, wantReason: "sorted"},
		{name: "uppercase signed header", headers: map[string][]string{"Authorization": {strings.Replace(good, "host;", "Host;", 1)}, "X-Amz-Date": {date}}, wantReason: "lowercase"},
		{name: "signature not hex", headers: map[string][]string{"Authorization": {strings.Replace(good, sig, strings.Repeat("z", 64), 1)}, "X-Amz-Date": {date}}, wantReason: "malformed signature"},
		{name: "header and presigned query", target: "/prod/@connections/x?X-Amz-Signature=" + sig, headers: map[string][]string{"Authorization": {good}, "X-Amz-Date": {date}}, wantReason: "both"},
		{name: "malformed query", target: "/prod/@connections/x?a=%zz", headers: map[string][]string{"Authorization": {good}, "X-Amz-Date": {date}}, wantReason: "malformed query parameter"},
		{name: "presigned without credential", target: "/prod/@connections/x?X-Amz-Algorithm=AWS4-HMAC-SHA256", wantReason: "X-Amz-Credential"},
		{name: "presigned with other algorithm", target: "/prod/@connections/x?X-Amz-Algorithm=HMAC&X-Amz-Credential=a&X-Amz-Date=" + date + "&X-Amz-Expires=5&X-Amz-SignedHeaders=host&X-Amz-Signature=" + sig, wantReason: "unsupported X-Amz-Algorithm"},
		{name: "presigned with a week and a second", target: "/prod/@connections/x?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" + sigv4TestKey + scope + "&X-Amz-Date=" + date + "&X-Amz-Expires=604801&X-Amz-SignedHeaders=host&X-Amz-Signature=" + sig, wantReason: "X-Amz-Expires"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			target := tc.target
			if target == "" {
				target = "/prod/@connections/x"
			}
			r := httptest.NewRequest(http.MethodPost, "http://127.0.0.1"+target, nil)
			for k, vs := range tc.headers {
				r.Header[k] = vs
			}
			v := NewVerifier(sigv4TestCreds, "us-east-1", 0)
			v.now = func() time.Time { return time.Date(2024, 1, 20, 11, 55, 0, 0, time.UTC) }
			err := v.Verify(r, nil)
			require.ErrorIs(t, err, ErrSignature)
			require.ErrorContains(t, err, tc.wantReason)
		})
	}
}

func TestVerifierRefusesEverythingWithoutCredentials(t *testing.T) {
	srv := startSigv4Server(t, NewVerifier(nil, "us-east-1", 0))
	c := newSigv4Client(srv, "us-east-1", sigv4TestKey, sigv4TestSecret)
	_, err := c.PostToConnection(context.Background(), &apigatewaymanagementapi.PostToConnectionInput{ConnectionId: aws.String("abc="), Data: []byte("x")})
	var forbidden *types.ForbiddenException
	require.ErrorAs(t, err, &forbidden)
	require.ErrorContains(t, srv.lastErr(t), "unknown access key")
}

func TestVerifierIsSafeForConcurrentUse(t *testing.T) {
	srv := startSigv4Server(t, NewVerifier(sigv4TestCreds, "us-east-1", 0))
	good := newSigv4Client(srv, "us-east-1", sigv4TestKey, sigv4TestSecret)
	bad := newSigv4Client(srv, "us-east-1", sigv4TestKey, "wrong")
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 4 {
				id := aws.String("c" + strconv.Itoa(i) + "-" + strconv.Itoa(j) + "=")
				if _, err := good.PostToConnection(context.Background(), &apigatewaymanagementapi.PostToConnectionInput{ConnectionId: id, Data: []byte("x")}); err != nil {
					errs <- err
				}
				if _, err := bad.PostToConnection(context.Background(), &apigatewaymanagementapi.PostToConnectionInput{ConnectionId: id, Data: []byte("x")}); err == nil {
					errs <- errors.New("a wrong secret was accepted")
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
}

// sigv4FuzzNow is the verifier's clock in FuzzVerify; the seeds are signed at this time.
var sigv4FuzzNow = time.Date(2024, 1, 20, 11, 55, 0, 0, time.UTC)

// sigv4FuzzRequest is the request FuzzVerify checks, built from the fuzzed parts.
func sigv4FuzzRequest(authorization, amzDate, rawQuery string, body []byte) *http.Request {
	r := &http.Request{
		Method:        http.MethodPost,
		URL:           &url.URL{Path: "/prod/@connections/abc=", RawPath: "/prod/%40connections/abc%3D", RawQuery: rawQuery},
		Host:          "127.0.0.1:8080",
		Header:        http.Header{},
		ContentLength: int64(len(body)),
	}
	if authorization != "" {
		r.Header.Set("Authorization", authorization)
	}
	if amzDate != "" {
		r.Header.Set("X-Amz-Date", amzDate)
	}
	return r
}

func TestFuzzSeedsSignedBySDKVerify(t *testing.T) {
	v := NewVerifier(sigv4TestCreds, "us-east-1", 0)
	v.now = func() time.Time { return sigv4FuzzNow }
	// The checked-in corpus under testdata/fuzz/FuzzVerify holds the values logged here.
	auth, date := sigv4FuzzSeed(t)
	t.Logf("seed Authorization: %s", auth)
	require.NoError(t, v.Verify(sigv4FuzzRequest(auth, date, "", []byte("hello")), []byte("hello")))
	require.ErrorIs(t, v.Verify(sigv4FuzzRequest(auth, date, "", []byte("hellO")), []byte("hellO")), ErrSignature)

	query := sigv4FuzzPresignedSeed(t)
	t.Logf("seed presigned query: %s", query)
	require.NoError(t, v.Verify(sigv4FuzzRequest("", "", query, []byte("hello")), []byte("hello")))
	require.ErrorIs(t, v.Verify(sigv4FuzzRequest("", "", query, []byte("hellO")), []byte("hellO")), ErrSignature)
}

// sigv4FuzzPresignedSeed presigns the fuzz request shape with the SDK's signer at sigv4FuzzNow.
func sigv4FuzzPresignedSeed(t testing.TB) (rawQuery string) {
	req, err := http.NewRequest(http.MethodPost, "http://127.0.0.1:8080/prod/%40connections/abc%3D?X-Amz-Expires=300", nil)
	require.NoError(t, err)
	creds := aws.Credentials{AccessKeyID: sigv4TestKey, SecretAccessKey: sigv4TestSecret}
	signed, _, err := v4.NewSigner().PresignHTTP(context.Background(), creds, req, sigv4Hash([]byte("hello")), "execute-api", "us-east-1", sigv4FuzzNow)
	require.NoError(t, err)
	u, err := url.Parse(signed)
	require.NoError(t, err)
	return u.RawQuery
}

// sigv4FuzzSeed signs the fuzz request shape with the SDK's signer at sigv4FuzzNow.
func sigv4FuzzSeed(t testing.TB) (authorization, amzDate string) {
	req, err := http.NewRequest(http.MethodPost, "http://127.0.0.1:8080/prod/%40connections/abc%3D", strings.NewReader("hello"))
	require.NoError(t, err)
	creds := aws.Credentials{AccessKeyID: sigv4TestKey, SecretAccessKey: sigv4TestSecret}
	require.NoError(t, v4.NewSigner().SignHTTP(context.Background(), creds, req, sigv4Hash([]byte("hello")), "execute-api", "us-east-1", sigv4FuzzNow))
	return req.Header.Get("Authorization"), req.Header.Get("X-Amz-Date")
}

func FuzzVerify(f *testing.F) {
	auth, date := sigv4FuzzSeed(f)
	f.Add(auth, date, "", []byte("hello"))
	f.Add(strings.Replace(auth, ", ", ",", -1), date, "", []byte("hello"))
	f.Add(auth, date, "X-Amz-Signature=00", []byte("hello"))
	f.Add("", "", sigv4FuzzPresignedSeed(f), []byte("hello"))
	f.Add("", "", "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential="+sigv4TestKey+"%2F20240120%2Fus-east-1%2Fexecute-api%2Faws4_request&X-Amz-Date="+date+"&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=abcd", []byte{})
	f.Add("AWS4-HMAC-SHA256 ", "", "", []byte(nil))
	f.Add("AWS4-HMAC-SHA256 Credential=/////, SignedHeaders=;;, Signature=zz", "x", "a=%&b", []byte{0xff})
	v := NewVerifier(sigv4TestCreds, "us-east-1", 0)
	v.now = func() time.Time { return sigv4FuzzNow }
	f.Fuzz(func(t *testing.T, authorization, amzDate, rawQuery string, body []byte) {
		err := v.Verify(sigv4FuzzRequest(authorization, amzDate, rawQuery, body), body)
		if err != nil && !errors.Is(err, ErrSignature) {
			t.Fatalf("error %v does not wrap ErrSignature", err)
		}
		if err == nil && string(body) != "hello" {
			t.Fatalf("accepted a body the seed did not sign: %q %q %q %q", authorization, amzDate, rawQuery, body)
		}
	})
}

func TestVerifierRefusesScopeOfAnotherRegionOrService(t *testing.T) {
	srv := startSigv4Server(t, NewVerifier(sigv4TestCreds, "eu-west-1", 0))
	for _, tc := range []struct{ name, region, service, wantReason string }{
		{name: "the gateway's region", region: "eu-west-1", service: "execute-api"},
		{name: "another region", region: "us-east-1", service: "execute-api", wantReason: `scope names "us-east-1", this gateway serves "eu-west-1"`},
		{name: "another service", region: "eu-west-1", service: "lambda", wantReason: `names service "lambda"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodPost, srv.URL+"/prod/@connections/x", strings.NewReader("{}"))
			require.NoError(t, err)
			creds := aws.Credentials{AccessKeyID: sigv4TestKey, SecretAccessKey: sigv4TestSecret}
			require.NoError(t, v4.NewSigner().SignHTTP(context.Background(), creds, req, sigv4Hash([]byte("{}")), tc.service, tc.region, time.Now()))
			status := sigv4Send(t, srv, req)
			if tc.wantReason == "" {
				require.Equal(t, http.StatusOK, status)
				require.NoError(t, srv.lastErr(t))
				return
			}
			require.Equal(t, http.StatusForbidden, status)
			require.ErrorIs(t, srv.lastErr(t), ErrSignature)
			require.ErrorContains(t, srv.lastErr(t), tc.wantReason)
		})
	}
}

func TestVerifierRefusesSDKClientOfAnotherRegion(t *testing.T) {
	srv := startSigv4Server(t, NewVerifier(sigv4TestCreds, "eu-west-1", 0))
	c := newSigv4Client(srv, "us-east-1", sigv4TestKey, sigv4TestSecret)
	post, get, del, _ := callAll(context.Background(), c, "abc=")
	for _, err := range []error{post, get, del} {
		var forbidden *types.ForbiddenException
		require.ErrorAs(t, err, &forbidden)
	}
	require.ErrorContains(t, srv.lastErr(t), "scoped to a valid region")
}

func TestVerifierRefusesUnsignedPayloadReplayedWithAnotherBody(t *testing.T) {
	srv := startSigv4Server(t, NewVerifier(sigv4TestCreds, "us-east-1", 0))
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/prod/@connections/x", strings.NewReader("signed"))
	require.NoError(t, err)
	req.Header.Set("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")
	creds := aws.Credentials{AccessKeyID: sigv4TestKey, SecretAccessKey: sigv4TestSecret}
	require.NoError(t, v4.NewSigner().SignHTTP(context.Background(), creds, req, "UNSIGNED-PAYLOAD", "execute-api", "us-east-1", time.Now()))
	// The same signed headers, another body of the same length.
	replay, err := http.NewRequest(http.MethodPost, req.URL.String(), strings.NewReader("forged"))
	require.NoError(t, err)
	replay.Header = req.Header.Clone()
	require.Equal(t, http.StatusForbidden, sigv4Send(t, srv, replay))
	require.ErrorContains(t, srv.lastErr(t), "UNSIGNED-PAYLOAD is not accepted")
}

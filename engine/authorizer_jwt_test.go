package engine

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/require"
)

// issuer is an OpenID provider on 127.0.0.1: discovery document and JWKS of one RSA key.
type issuer struct {
	url string
	key *rsa.PrivateKey
}

func startIssuer(t *testing.T) *issuer {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	iss := &issuer{key: key}
	mux := http.NewServeMux()
	mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]string{"issuer": iss.url, "jwks_uri": iss.url + "/keys"})
	})
	mux.HandleFunc("/keys", func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]any{"keys": []map[string]string{{
			"kty": "RSA", "kid": "k1", "use": "sig", "alg": "RS256",
			"n": base64.RawURLEncoding.EncodeToString(key.N.Bytes()),
			"e": base64.RawURLEncoding.EncodeToString(big.NewInt(int64(key.E)).Bytes()),
		}}})
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	iss.url = srv.URL
	return iss
}

func (iss *issuer) token(t *testing.T, claims jwt.MapClaims, key *rsa.PrivateKey, kid string) string {
	t.Helper()
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	tok.Header["kid"] = kid
	s, err := tok.SignedString(key)
	require.NoError(t, err)
	return s
}

func TestJWTAuthorizerChecksTokensAsAPIGatewayDoes(t *testing.T) {
	iss := startIssuer(t)
	env := newAdapterEnv(t, `
apis:
  - name: site
    protocolType: HTTP
    authorizers:
      - name: cognito
        authorizerType: JWT
        identitySource: [ "$request.header.Authorization" ]
        jwtConfiguration: { issuer: "`+iss.url+`", audience: [ app-client ] }
    routes:
      - routeKey: GET /me
        authorizationType: JWT
        authorizerId: cognito
        integration: { integrationType: NATS, integrationUri: site.me }
      - routeKey: GET /admin
        authorizationType: JWT
        authorizerId: cognito
        authorizationScopes: [ admin ]
        integration: { integrationType: MOCK, templates: { $default: "sub=$context.authorizer.claims.sub" } }
      - routeKey: GET /open
        integration: { integrationType: MOCK, templates: { $default: "open" } }
`)
	evs := capture[events.APIGatewayV2HTTPRequest](t, env, "site.me", `{"statusCode":200,"body":"me"}`)
	now := time.Now()
	good := jwt.MapClaims{"iss": iss.url, "aud": "app-client", "sub": "user-1", "exp": now.Add(time.Hour).Unix(),
		"iat": now.Add(-time.Minute).Unix(), "scope": "read admin", "groups": []string{"a", "b"}}
	with := func(change func(jwt.MapClaims)) jwt.MapClaims {
		c := jwt.MapClaims{}
		for k, v := range good {
			c[k] = v
		}
		change(c)
		return c
	}
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	bearer := func(s string) http.Header { return http.Header{"Authorization": {"Bearer " + s}} }

	rec := env.serve(t, http.MethodGet, "http://localhost/me", nil, bearer(iss.token(t, good, iss.key, "k1")))
	require.Equal(t, 200, rec.Code, rec.Body.String())
	ev := receive(t, evs)
	require.Equal(t, "user-1", ev.RequestContext.Authorizer.JWT.Claims["sub"])
	require.Equal(t, "[a b]", ev.RequestContext.Authorizer.JWT.Claims["groups"])
	require.Regexp(t, `^\d+$`, ev.RequestContext.Authorizer.JWT.Claims["exp"])
	require.Nil(t, ev.RequestContext.Authorizer.JWT.Scopes, "no scopes when the route needs none")

	for name, h := range map[string]http.Header{
		"no token":        nil,
		"not a JWT":       bearer("nonsense"),
		"other key":       bearer(iss.token(t, good, other, "k1")),
		"unknown kid":     bearer(iss.token(t, good, iss.key, "k9")),
		"wrong audience":  bearer(iss.token(t, with(func(c jwt.MapClaims) { c["aud"] = "someone-else" }), iss.key, "k1")),
		"wrong issuer":    bearer(iss.token(t, with(func(c jwt.MapClaims) { c["iss"] = "https://evil.example" }), iss.key, "k1")),
		"expired":         bearer(iss.token(t, with(func(c jwt.MapClaims) { c["exp"] = now.Add(-time.Minute).Unix() }), iss.key, "k1")),
		"no expiry":       bearer(iss.token(t, with(func(c jwt.MapClaims) { delete(c, "exp") }), iss.key, "k1")),
		"issued in a bit": bearer(iss.token(t, with(func(c jwt.MapClaims) { c["iat"] = now.Add(time.Hour).Unix() }), iss.key, "k1")),
	} {
		rec := env.serve(t, http.MethodGet, "http://localhost/me", nil, h)
		require.Equal(t, 401, rec.Code, name)
		require.Equal(t, `{"message":"Unauthorized"}`, rec.Body.String(), name)
		require.True(t, strings.HasPrefix(rec.Header().Get("Www-Authenticate"), "Bearer "), name)
	}
	select {
	case ev := <-evs:
		t.Fatalf("a refused request reached the integration: %+v", ev.RequestContext.Authorizer)
	default:
	}

	// client_id counts as the audience (Cognito access tokens).
	rec = env.serve(t, http.MethodGet, "http://localhost/me", nil,
		bearer(iss.token(t, with(func(c jwt.MapClaims) { delete(c, "aud"); c["client_id"] = "app-client" }), iss.key, "k1")))
	require.Equal(t, 200, rec.Code)
	receive(t, evs)

	rec = env.serve(t, http.MethodGet, "http://localhost/admin", nil, bearer(iss.token(t, good, iss.key, "k1")))
	require.Equal(t, 200, rec.Code)
	require.Equal(t, "sub=user-1", rec.Body.String())
	rec = env.serve(t, http.MethodGet, "http://localhost/admin", nil,
		bearer(iss.token(t, with(func(c jwt.MapClaims) { c["scope"] = "read" }), iss.key, "k1")))
	require.Equal(t, 403, rec.Code)
	require.Equal(t, `{"message":"Forbidden"}`, rec.Body.String())

	rec = env.serve(t, http.MethodGet, "http://localhost/open", nil, nil)
	require.Equal(t, 200, rec.Code)
}

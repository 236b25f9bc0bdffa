package engine

import (
	"context"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/portico-gateway/portico/engine/config"
	"github.com/portico-gateway/portico/routeselect"
)

// jwtAuthorizer is an HTTP API's JWT authorizer: the token from the identity source is checked
// against the issuer's JWKS (found by OpenID discovery), the issuer, the audiences, exp/nbf/iat
// and, per route, the scopes — as API Gateway checks them.
type jwtAuthorizer struct {
	name     string
	issuer   string
	audience []string
	source   *routeselect.Expression
	keys     *jwks
}

// JWKS fetch limits, as API Gateway's: 1500 ms per fetch, 150000 bytes.
const (
	jwksFetchTimeout = 1500 * time.Millisecond
	jwksMaxBytes     = 150000
	// jwksRefreshAfter refetches the keys this long after the last fetch; an unknown kid refetches
	// them at most once every jwksMissInterval.
	jwksRefreshAfter = time.Hour
	jwksMissInterval = 10 * time.Second
)

func compileJWTAuthorizer(z *config.Authorizer, transport http.RoundTripper) (*jwtAuthorizer, error) {
	src := "$request.header.Authorization"
	if len(z.IdentitySource) > 0 {
		src = z.IdentitySource[0]
	}
	e, err := routeselect.Parse(src)
	if err != nil {
		return nil, fmt.Errorf("identitySource: %w", err)
	}
	if transport == nil {
		transport = http.DefaultTransport
	}
	issuer := z.JWTConfiguration.Issuer
	return &jwtAuthorizer{name: z.Name, issuer: issuer, audience: z.JWTConfiguration.Audience, source: e,
		keys: &jwks{issuer: issuer, client: &http.Client{Transport: transport, Timeout: jwksFetchTimeout}}}, nil
}

// errForbidden is a valid token without a scope the route needs (403); other failures are 401.
var errForbidden = errors.New("the token has none of the route's scopes")

// authorize checks q's token; on success it returns the claims as API Gateway passes them (values
// as strings) and the token's scopes when the route has scopes.
func (z *jwtAuthorizer) authorize(ctx context.Context, q *httpRequest, routeScopes []string) (map[string]string, []string, error) {
	raw, _ := z.source.Evaluate(nil, q)
	raw = strings.TrimSpace(raw)
	if len(raw) > 7 && strings.EqualFold(raw[:7], "bearer ") {
		raw = strings.TrimSpace(raw[7:])
	}
	if raw == "" {
		return nil, nil, errors.New("no token")
	}
	claims := jwt.MapClaims{}
	_, err := jwt.ParseWithClaims(raw, claims, func(t *jwt.Token) (any, error) {
		kid, _ := t.Header["kid"].(string)
		return z.keys.key(ctx, kid)
	}, jwt.WithValidMethods([]string{"RS256", "RS384", "RS512"}), jwt.WithIssuer(z.issuer),
		jwt.WithExpirationRequired(), jwt.WithIssuedAt())
	if err != nil {
		return nil, nil, err
	}
	if !z.audienceMatches(claims) {
		return nil, nil, errors.New("the token does not have a valid audience")
	}
	var scopes []string
	if len(routeScopes) > 0 {
		scopes = tokenScopes(claims)
		ok := false
		for _, s := range scopes {
			for _, want := range routeScopes {
				ok = ok || s == want
			}
		}
		if !ok {
			return nil, nil, errForbidden
		}
	}
	return claimStrings(claims), scopes, nil
}

func (z *jwtAuthorizer) audienceMatches(c jwt.MapClaims) bool {
	var auds []string
	if a, err := c.GetAudience(); err == nil {
		auds = a
	}
	if id, ok := c["client_id"].(string); ok {
		auds = append(auds, id)
	}
	for _, a := range auds {
		for _, want := range z.audience {
			if a == want {
				return true
			}
		}
	}
	return false
}

func tokenScopes(c jwt.MapClaims) []string {
	for _, k := range []string{"scope", "scp"} {
		switch v := c[k].(type) {
		case string:
			return strings.Fields(v)
		case []any:
			out := make([]string, 0, len(v))
			for _, x := range v {
				out = append(out, fmt.Sprint(x))
			}
			return out
		}
	}
	return nil
}

// claimStrings renders claims as API Gateway does: every value a string, numbers as integers when
// whole, arrays as "[a b]".
func claimStrings(c jwt.MapClaims) map[string]string {
	out := make(map[string]string, len(c))
	for k, v := range c {
		out[k] = claimString(v)
	}
	return out
}

func claimString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		if x == float64(int64(x)) {
			return strconv.FormatInt(int64(x), 10)
		}
		return strconv.FormatFloat(x, 'f', -1, 64)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = claimString(e)
		}
		return "[" + strings.Join(parts, " ") + "]"
	case nil:
		return ""
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// jwks is an issuer's key set, fetched on first use, refreshed hourly and when a token names a
// key it does not hold (at most every jwksMissInterval).
type jwks struct {
	issuer string
	client *http.Client

	mu      sync.Mutex
	keys    map[string]*rsa.PublicKey
	fetched time.Time
	tried   time.Time
}

func (k *jwks) key(ctx context.Context, kid string) (*rsa.PublicKey, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	now := time.Now()
	stale := k.keys == nil || now.Sub(k.fetched) > jwksRefreshAfter
	if _, ok := k.keys[kid]; (!ok || stale) && now.Sub(k.tried) > jwksMissInterval {
		k.tried = now
		if keys, err := k.fetch(ctx); err == nil {
			k.keys, k.fetched = keys, now
		} else if k.keys == nil {
			return nil, err
		}
	}
	if key, ok := k.keys[kid]; ok {
		return key, nil
	}
	return nil, fmt.Errorf("no key %q in the issuer's JWKS", kid)
}

func (k *jwks) fetch(ctx context.Context) (map[string]*rsa.PublicKey, error) {
	var disc struct {
		JWKSURI string `json:"jwks_uri"`
	}
	if err := k.getJSON(ctx, strings.TrimSuffix(k.issuer, "/")+"/.well-known/openid-configuration", &disc); err != nil {
		return nil, err
	}
	if disc.JWKSURI == "" {
		return nil, errors.New("the issuer's discovery document names no jwks_uri")
	}
	var set struct {
		Keys []struct {
			Kty, Kid, N, E, Use string
		} `json:"keys"`
	}
	if err := k.getJSON(ctx, disc.JWKSURI, &set); err != nil {
		return nil, err
	}
	keys := map[string]*rsa.PublicKey{}
	for _, j := range set.Keys {
		if j.Kty != "RSA" || (j.Use != "" && j.Use != "sig") {
			continue
		}
		n, err1 := base64.RawURLEncoding.DecodeString(strings.TrimRight(j.N, "="))
		e, err2 := base64.RawURLEncoding.DecodeString(strings.TrimRight(j.E, "="))
		if err1 != nil || err2 != nil || len(e) > 4 {
			continue
		}
		keys[j.Kid] = &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
	}
	return keys, nil
}

func (k *jwks) getJSON(ctx context.Context, url string, v any) error {
	ctx, cancel := context.WithTimeout(ctx, jwksFetchTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := k.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: status %d", url, resp.StatusCode)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, jwksMaxBytes+1))
	if err != nil {
		return err
	}
	if len(body) > jwksMaxBytes {
		return fmt.Errorf("GET %s: over %d bytes", url, jwksMaxBytes)
	}
	return json.Unmarshal(body, v)
}

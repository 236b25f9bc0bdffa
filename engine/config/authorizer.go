package config

import (
	"fmt"
	"net/url"
	"strings"
)

// Authorizer is one authorizer of an API, as apigatewayv2 spells it. Portico serves JWT
// authorizers of HTTP APIs; the other kinds are refused by validation until they are served.
type Authorizer struct {
	// Name names the authorizer; routes refer to it by name (or by AuthorizerID). Required;
	// unique within the API.
	Name string `yaml:"name,omitempty" json:"name,omitempty"`
	// AuthorizerID is the id routes may use as authorizerId. Zero value: the name.
	AuthorizerID string `yaml:"authorizerId,omitempty" json:"authorizerId,omitempty"`
	// AuthorizerType is JWT. Required.
	AuthorizerType string `yaml:"authorizerType,omitempty" json:"authorizerType,omitempty"`
	// IdentitySource is where the token is, as one selection expression in a list.
	// Zero value: ["$request.header.Authorization"].
	IdentitySource []string `yaml:"identitySource,omitempty" json:"identitySource,omitempty"`
	// JWTConfiguration is the issuer and audiences a JWT authorizer accepts. Required for JWT.
	JWTConfiguration *JWTConfiguration `yaml:"jwtConfiguration,omitempty" json:"jwtConfiguration,omitempty"`
}

// JWTConfiguration configures a JWT authorizer.
type JWTConfiguration struct {
	// Issuer is the token's iss; its OpenID discovery document ({issuer}/.well-known/openid-configuration)
	// names the JWKS. Required: an https URL (http only for a loopback host).
	Issuer string `yaml:"issuer,omitempty" json:"issuer,omitempty"`
	// Audience lists the accepted aud (or client_id) values, 1 to 50. Required.
	Audience []string `yaml:"audience,omitempty" json:"audience,omitempty"`
}

// ID is the authorizer's id: AuthorizerID, else Name.
func (a *Authorizer) ID() string {
	if a.AuthorizerID != "" {
		return a.AuthorizerID
	}
	return a.Name
}

// validateAuthorizers checks an API's authorizers and the routes' use of them.
func validateAuthorizers(p *problems, path string, a *API) {
	if len(a.Authorizers) > 0 && a.ProtocolType != ProtocolHTTP {
		p.add(path+".authorizers", "authorizers are served for HTTP APIs (JWT) only so far; %s API authorizers are refused rather than left unenforced", a.ProtocolType)
		return
	}
	ids := map[string]bool{}
	for i := range a.Authorizers {
		z := &a.Authorizers[i]
		zpath := fmt.Sprintf("%s.authorizers[%d]", path, i)
		if z.Name == "" {
			p.add(zpath+".name", "required")
		} else if ids[z.Name] || ids[z.ID()] {
			p.add(zpath+".name", "%q is already used by another authorizer", z.Name)
		}
		ids[z.Name], ids[z.ID()] = true, true
		switch z.AuthorizerType {
		case "JWT":
		case "":
			p.add(zpath+".authorizerType", "required")
			continue
		case "REQUEST":
			p.add(zpath+".authorizerType", "Lambda REQUEST authorizers are not served yet; refused rather than left unenforced")
			continue
		default:
			p.add(zpath+".authorizerType", "must be JWT")
			continue
		}
		if len(z.IdentitySource) > 1 {
			p.add(zpath+".identitySource", "a JWT authorizer takes one identity source")
		}
		for j, src := range z.IdentitySource {
			if !strings.HasPrefix(src, "$request.header.") && !strings.HasPrefix(src, "$request.querystring.") {
				p.add(fmt.Sprintf("%s.identitySource[%d]", zpath, j), "must be $request.header.NAME or $request.querystring.NAME")
			}
		}
		jc := z.JWTConfiguration
		if jc == nil {
			p.add(zpath+".jwtConfiguration", "required for authorizerType JWT")
			continue
		}
		if u, err := url.Parse(jc.Issuer); jc.Issuer == "" {
			p.add(zpath+".jwtConfiguration.issuer", "required")
		} else if err != nil || u.Host == "" || (u.Scheme != "https" && !(u.Scheme == "http" && isLoopbackHost(u.Hostname()))) {
			p.add(zpath+".jwtConfiguration.issuer", "must be an https URL (http only on a loopback host)")
		}
		if n := len(jc.Audience); n == 0 || n > 50 {
			p.add(zpath+".jwtConfiguration.audience", "1 to 50 audiences are required")
		}
	}
	for j := range a.Routes {
		r := &a.Routes[j]
		rpath := fmt.Sprintf("%s.routes[%d]", path, j)
		switch r.AuthorizationType {
		case "", "NONE":
			if r.AuthorizerID != "" {
				p.add(rpath+".authorizerId", "needs authorizationType JWT")
			}
			if len(r.AuthorizationScopes) > 0 {
				p.add(rpath+".authorizationScopes", "needs authorizationType JWT")
			}
		case "JWT":
			if a.ProtocolType != ProtocolHTTP {
				p.add(rpath+".authorizationType", "JWT authorizers are for HTTP APIs")
				continue
			}
			found := false
			for k := range a.Authorizers {
				if z := &a.Authorizers[k]; z.AuthorizerType == "JWT" && (z.Name == r.AuthorizerID || z.ID() == r.AuthorizerID) {
					found = true
				}
			}
			if !found {
				p.add(rpath+".authorizerId", "must name a JWT authorizer of the API")
			}
			if len(r.AuthorizationScopes) > 10 {
				p.add(rpath+".authorizationScopes", "at most 10 scopes")
			}
		case "CUSTOM", "AWS_IAM":
			p.add(rpath+".authorizationType", "%s authorization is not served yet; refused rather than left open", r.AuthorizationType)
		default:
			p.add(rpath+".authorizationType", "must be NONE or JWT")
		}
	}
}

func isLoopbackHost(h string) bool {
	return h == "localhost" || strings.HasPrefix(h, "127.") || h == "::1"
}

package engine

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/portico-gateway/portico/engine/integration"
)

// requestParameter maps one value of the event onto the integration request, as an
// integration's requestParameters do: "integration.request.header.connectionId": "context.connectionId".
type requestParameter struct {
	header bool   // target: header (true) or query string (false)
	name   string // target name
	source string // "context", "header", "querystring", "stageVariables", "literal"
	key    string // source name, or the literal value
}

func compileRequestParameters(m map[string]string) ([]requestParameter, error) {
	var out []requestParameter
	for target, src := range m {
		var p requestParameter
		switch {
		case strings.HasPrefix(target, "integration.request.header."):
			p.header, p.name = true, strings.TrimPrefix(target, "integration.request.header.")
		case strings.HasPrefix(target, "integration.request.querystring."):
			p.name = strings.TrimPrefix(target, "integration.request.querystring.")
		default:
			return nil, fmt.Errorf("%q: target must be integration.request.header.NAME or integration.request.querystring.NAME", target)
		}
		if p.name == "" {
			return nil, fmt.Errorf("%q: empty target name", target)
		}
		switch {
		case len(src) >= 2 && src[0] == '\'' && src[len(src)-1] == '\'':
			p.source, p.key = "literal", src[1:len(src)-1]
		case strings.HasPrefix(src, "context."):
			p.source, p.key = "context", strings.TrimPrefix(src, "context.")
		case strings.HasPrefix(src, "route.request.header."):
			p.source, p.key = "header", strings.TrimPrefix(src, "route.request.header.")
		case strings.HasPrefix(src, "route.request.querystring."):
			p.source, p.key = "querystring", strings.TrimPrefix(src, "route.request.querystring.")
		case strings.HasPrefix(src, "stageVariables."):
			p.source, p.key = "stageVariables", strings.TrimPrefix(src, "stageVariables.")
		default:
			return nil, fmt.Errorf("%q: source %q must be 'literal', context.NAME, route.request.header.NAME, route.request.querystring.NAME or stageVariables.NAME", target, src)
		}
		out = append(out, p)
	}
	return out, nil
}

// applyRequestParameters sets the integration request's headers and query string values from the
// event, as the route's requestParameters say.
func applyRequestParameters(req *integration.Request, params []requestParameter, r *wsRequest) error {
	if len(params) == 0 {
		return nil
	}
	u, err := url.Parse(req.URL)
	if err != nil {
		return &integration.Error{Kind: integration.Invalid, Backend: req.URL, Err: err}
	}
	q := u.Query()
	for _, p := range params {
		var v string
		var ok bool
		switch p.source {
		case "literal":
			v, ok = p.key, true
		case "context":
			v, ok = r.Context(p.key)
		case "header":
			v, ok = r.Header(p.key)
		case "querystring":
			v, ok = r.QueryString(p.key)
		case "stageVariables":
			v, ok = r.StageVariable(p.key)
		}
		if !ok {
			continue
		}
		if p.header {
			req.Header.Set(p.name, v)
		} else {
			q.Set(p.name, v)
		}
	}
	u.RawQuery = q.Encode()
	req.URL = u.String()
	return nil
}

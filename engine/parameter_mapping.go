package engine

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/portico-gateway/portico/routeselect"
)

// paramMapping is one HTTP API parameter mapping: "overwrite:header.X": "$request.header.Y".
type paramMapping struct {
	action string // append | overwrite | remove
	target string // header | querystring | path | statuscode
	name   string
	value  *routeselect.Expression
}

// parameterMappings are a route's request mappings and its response mappings by status code,
// applied in the order API Gateway does: removes, then overwrites, then appends.
type parameterMappings struct {
	request  []paramMapping
	response map[int][]paramMapping
}

func compileParameterMappings(request map[string]string, response map[string]map[string]string) (*parameterMappings, error) {
	if len(request) == 0 && len(response) == 0 {
		return nil, nil
	}
	pm := &parameterMappings{}
	var err error
	if pm.request, err = compileMappingSet(request); err != nil {
		return nil, err
	}
	for status, m := range response {
		code, err := strconv.Atoi(status)
		if err != nil {
			return nil, fmt.Errorf("responseParameters: status %q", status)
		}
		set, err := compileMappingSet(m)
		if err != nil {
			return nil, err
		}
		if pm.response == nil {
			pm.response = map[int][]paramMapping{}
		}
		pm.response[code] = set
	}
	return pm, nil
}

var actionOrder = map[string]int{"remove": 0, "overwrite": 1, "append": 2}

func compileMappingSet(m map[string]string) ([]paramMapping, error) {
	out := make([]paramMapping, 0, len(m))
	for key, v := range m {
		action, target, _ := strings.Cut(key, ":")
		loc, name, _ := strings.Cut(target, ".")
		e, err := routeselect.Parse(v)
		if err != nil {
			return nil, fmt.Errorf("%q: %w", key, err)
		}
		out = append(out, paramMapping{action: action, target: loc, name: name, value: e})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if actionOrder[out[i].action] != actionOrder[out[j].action] {
			return actionOrder[out[i].action] < actionOrder[out[j].action]
		}
		return out[i].target+out[i].name < out[j].target+out[j].name
	})
	return out, nil
}

// applyRequest changes the request to the backend: its headers, its query string, its path.
func (pm *parameterMappings) applyRequest(target *url.URL, h http.Header, q *httpRequest) {
	if pm == nil || len(pm.request) == 0 {
		return
	}
	var query url.Values
	for _, m := range pm.request {
		v, _ := m.value.Evaluate(nil, q)
		switch m.target {
		case "header":
			applyHeaderMapping(h, m, v)
		case "querystring":
			if query == nil {
				query = target.Query()
			}
			switch m.action {
			case "remove":
				query.Del(m.name)
			case "overwrite":
				query.Set(m.name, v)
			case "append":
				query.Add(m.name, v)
			}
		case "path":
			if !strings.HasPrefix(v, "/") {
				v = "/" + v
			}
			if u, err := url.Parse(v); err == nil {
				target.Path, target.RawPath = u.Path, u.RawPath
			}
		}
	}
	if query != nil {
		target.RawQuery = query.Encode()
	}
}

func applyHeaderMapping(h http.Header, m paramMapping, v string) {
	switch m.action {
	case "remove":
		h.Del(m.name)
	case "overwrite":
		h.Set(m.name, v)
	case "append":
		if prior := h.Get(m.name); prior != "" {
			h.Set(m.name, prior+","+v)
		} else {
			h.Set(m.name, v)
		}
	}
}

// responseMappings returns the mappings for a backend status, and whether any reads the body.
func (pm *parameterMappings) responseMappings(status int) ([]paramMapping, bool) {
	if pm == nil {
		return nil, false
	}
	set := pm.response[status]
	for _, m := range set {
		for _, ref := range m.value.Variables() {
			if strings.HasPrefix(ref, "response.body") {
				return set, true
			}
		}
	}
	return set, false
}

// applyResponse applies response mappings to the answer's headers and returns its status.
func applyResponse(set []paramMapping, status int, h http.Header, src *responseSource) int {
	for _, m := range set {
		v, _ := m.value.Evaluate(nil, src)
		if m.target == "statuscode" {
			if n, err := strconv.Atoi(v); err == nil && n >= 100 && n <= 599 {
				status = n
			}
			continue
		}
		applyHeaderMapping(h, m, v)
	}
	return status
}

// responseSource gives response mappings $response.header.x, $response.body.x and the request's
// $context and $stageVariables.
type responseSource struct {
	*httpRequest
	header http.Header
	body   []byte
}

// IntegrationResponse implements routeselect.IntegrationResponseSource.
func (s *responseSource) IntegrationResponse(name string) (string, bool) {
	switch {
	case strings.HasPrefix(name, "header."):
		v := s.header.Values(strings.TrimPrefix(name, "header."))
		return strings.Join(v, ","), len(v) > 0
	case name == "body":
		return string(s.body), true
	case strings.HasPrefix(name, "body."):
		r := gjson.GetBytes(s.body, strings.TrimPrefix(name, "body."))
		return r.String(), r.Exists()
	}
	return "", false
}

// errBodyTooLarge is a backend answer over the payload limit.
var errBodyTooLarge = fmt.Errorf("response body over %d bytes", MaxHTTPBody)

// readLimited reads a response body of at most the payload limit; a longer one is an error, never
// a body cut short without a word.
func readLimited(r io.Reader) ([]byte, error) {
	var b bytes.Buffer
	if _, err := io.Copy(&b, io.LimitReader(r, MaxHTTPBody+1)); err != nil {
		return nil, err
	}
	if b.Len() > MaxHTTPBody {
		return nil, errBodyTooLarge
	}
	return b.Bytes(), nil
}

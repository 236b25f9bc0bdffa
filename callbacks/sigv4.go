package callbacks

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/textproto"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The canonicalisation below follows what github.com/aws/aws-sdk-go-v2/aws/signer/v4 does when it
// signs (double-escaped path, query pairs escaped then sorted, header values trimmed and their inner
// runs of spaces collapsed). It is written out here rather than delegated to the SDK's signer because
// a verifier must rebuild the canonical request from the header list the client declared in
// SignedHeaders, while the SDK's signer picks its own list (it always adds content-length when the
// length is positive and never signs user-agent or expect), so other SigV4 clients (botocore, the
// JavaScript SDK) would not verify. The tests check it against the SDK's signer and client.

// ErrSignature is wrapped by every error Verify returns.
var ErrSignature = errors.New("signature does not match")

// Credential is one access key the @connections API accepts.
type Credential struct {
	AccessKeyID     string `json:"accessKeyId" yaml:"accessKeyId"`
	SecretAccessKey string `json:"secretAccessKey" yaml:"secretAccessKey"`
}

// Verifier checks SigV4-signed requests against a set of credentials. Safe for concurrent use.
type Verifier struct {
	secrets map[string]string
	region  string
	maxSkew time.Duration
	now     func() time.Time
}

const (
	sigv4Algorithm   = "AWS4-HMAC-SHA256"
	sigv4Service     = "execute-api"
	sigv4Terminator  = "aws4_request"
	sigv4TimeFormat  = "20060102T150405Z"
	sigv4DateFormat  = "20060102"
	sigv4Unsigned    = "UNSIGNED-PAYLOAD"
	sigv4MaxExpires  = 7 * 24 * time.Hour
	sigv4DefaultSkew = 5 * time.Minute
	// DefaultRegion is the region a Verifier expects in credential scopes when given none, the
	// default of node.region.
	DefaultRegion = "us-east-1"
)

// NewVerifier returns a verifier for creds that accepts only credential scopes naming region and
// the execute-api service, as API Gateway does (a signature scoped to another region is refused,
// so it cannot be replayed against this one). Region "" means DefaultRegion. MaxSkew zero means
// 5 minutes.
//
// maxSkew bounds how far X-Amz-Date may be from the verifier's clock (a negative value also means
// 5 minutes). Entries without an access key id are ignored; of two entries with the same access key
// id, the later one wins.
func NewVerifier(creds []Credential, region string, maxSkew time.Duration) *Verifier {
	if region == "" {
		region = DefaultRegion
	}
	if maxSkew <= 0 {
		maxSkew = sigv4DefaultSkew
	}
	secrets := make(map[string]string, len(creds))
	for _, c := range creds {
		if c.AccessKeyID != "" {
			secrets[c.AccessKeyID] = c.SecretAccessKey
		}
	}
	return &Verifier{secrets: secrets, region: region, maxSkew: maxSkew, now: time.Now}
}

// Verify checks r's signature. body is the request's full body (already read by the caller; r.Body is
// not read). Returns nil, or an error wrapping ErrSignature that says what is wrong (missing
// Authorization, unknown access key, wrong service, date skew, signature mismatch, ...).
//
// Both the Authorization header form and the presigned-URL query form are accepted. The canonical
// URI and query come from r.RequestURI when it holds a path (as on a server request, and untouched
// by handlers that rewrite r.URL), else from r.URL; Host comes from r.Host.
func (v *Verifier) Verify(r *http.Request, body []byte) error {
	if r == nil || r.URL == nil {
		return sigv4Errorf("no request")
	}
	path, rawQuery := sigv4Target(r)
	query, err := sigv4ParseQuery(rawQuery)
	if err != nil {
		return err
	}
	s, err := v.parse(r, query)
	if err != nil {
		return err
	}
	if s.region != v.region {
		return sigv4Errorf("credential should be scoped to a valid region: scope names %q, this gateway serves %q", s.region, v.region)
	}
	if err := v.checkTime(s); err != nil {
		return err
	}
	secret, ok := v.secrets[s.accessKeyID]
	if !ok {
		return sigv4Errorf("unknown access key %q", s.accessKeyID)
	}
	payloadHash, err := sigv4PayloadHash(r, body)
	if err != nil {
		return err
	}
	headers, err := sigv4CanonicalHeaders(r, s.signedHeaders)
	if err != nil {
		return err
	}
	canonical := strings.Join([]string{
		r.Method,
		sigv4Escape(path, true),
		sigv4CanonicalQuery(query, s.presigned),
		headers,
		s.signedHeadersRaw,
		payloadHash,
	}, "\n")
	digest := sha256.Sum256([]byte(canonical))
	stringToSign := sigv4Algorithm + "\n" + s.amzDate + "\n" + s.scope + "\n" + hex.EncodeToString(digest[:])
	key := sigv4SigningKey(secret, s.amzDate[:len(sigv4DateFormat)], s.region)
	if !hmac.Equal(sigv4HMAC(key, stringToSign), s.signature) {
		return sigv4Errorf("signature mismatch for access key %q (%s %s, signed headers %s)",
			s.accessKeyID, r.Method, sigv4Escape(path, true), s.signedHeadersRaw)
	}
	return nil
}

// sigv4Signed is what a request claims about its signature, from either form.
type sigv4Signed struct {
	presigned        bool
	accessKeyID      string
	scope            string // yyyymmdd/region/service/aws4_request
	region           string
	amzDate          string
	at               time.Time
	expires          time.Duration // presigned only
	signedHeaders    []string
	signedHeadersRaw string
	signature        []byte
}

func (v *Verifier) parse(r *http.Request, query []sigv4Pair) (sigv4Signed, error) {
	auth := r.Header.Values("Authorization")
	presigned := sigv4QueryHas(query, "X-Amz-Signature") || sigv4QueryHas(query, "X-Amz-Algorithm") ||
		sigv4QueryHas(query, "X-Amz-Credential")
	switch {
	case len(auth) > 0 && presigned:
		return sigv4Signed{}, sigv4Errorf("both an Authorization header and a presigned query")
	case len(auth) > 1:
		return sigv4Signed{}, sigv4Errorf("more than one Authorization header")
	case len(auth) == 1:
		return sigv4ParseHeader(r, auth[0])
	case presigned:
		return sigv4ParsePresigned(query)
	default:
		return sigv4Signed{}, sigv4Errorf("missing Authorization header or presigned query")
	}
}

func sigv4ParseHeader(r *http.Request, auth string) (sigv4Signed, error) {
	algorithm, rest, _ := strings.Cut(strings.TrimSpace(auth), " ")
	if algorithm != sigv4Algorithm {
		return sigv4Signed{}, sigv4Errorf("unsupported Authorization algorithm %q", algorithm)
	}
	var credential, signedHeaders, signature string
	seen := map[string]bool{}
	for _, part := range strings.Split(rest, ",") {
		k, val, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return sigv4Signed{}, sigv4Errorf("malformed Authorization component %q", part)
		}
		if seen[k] {
			return sigv4Signed{}, sigv4Errorf("Authorization repeats %s", k)
		}
		seen[k] = true
		switch k {
		case "Credential":
			credential = val
		case "SignedHeaders":
			signedHeaders = val
		case "Signature":
			signature = val
		default:
			return sigv4Signed{}, sigv4Errorf("unknown Authorization component %q", k)
		}
	}
	dates := r.Header.Values("X-Amz-Date")
	if len(dates) != 1 {
		return sigv4Signed{}, sigv4Errorf("want exactly one X-Amz-Date header, got %d", len(dates))
	}
	s, err := sigv4Build(credential, signedHeaders, signature, dates[0])
	if err != nil {
		return sigv4Signed{}, err
	}
	if !sigv4Contains(s.signedHeaders, "x-amz-date") {
		return sigv4Signed{}, sigv4Errorf("x-amz-date is not a signed header")
	}
	if r.Header.Get("X-Amz-Security-Token") != "" && !sigv4Contains(s.signedHeaders, "x-amz-security-token") {
		return sigv4Signed{}, sigv4Errorf("x-amz-security-token is not a signed header")
	}
	return s, nil
}

func sigv4ParsePresigned(query []sigv4Pair) (sigv4Signed, error) {
	get := func(k string) (string, error) {
		val, n := "", 0
		for _, p := range query {
			if p.k == k {
				val, n = p.v, n+1
			}
		}
		if n != 1 {
			return "", sigv4Errorf("want exactly one %s query parameter, got %d", k, n)
		}
		return val, nil
	}
	var vals [6]string
	for i, k := range []string{"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature"} {
		val, err := get(k)
		if err != nil {
			return sigv4Signed{}, err
		}
		vals[i] = val
	}
	if vals[0] != sigv4Algorithm {
		return sigv4Signed{}, sigv4Errorf("unsupported X-Amz-Algorithm %q", vals[0])
	}
	s, err := sigv4Build(vals[1], vals[4], vals[5], vals[2])
	if err != nil {
		return sigv4Signed{}, err
	}
	secs, err := strconv.ParseInt(vals[3], 10, 64)
	if err != nil || secs < 1 || time.Duration(secs)*time.Second > sigv4MaxExpires {
		return sigv4Signed{}, sigv4Errorf("X-Amz-Expires %q is not a number of seconds between 1 and 604800", vals[3])
	}
	s.presigned = true
	s.expires = time.Duration(secs) * time.Second
	return s, nil
}

// sigv4Build checks the parts both forms share: credential scope, signed header list, signature
// and date.
func sigv4Build(credential, signedHeaders, signature, amzDate string) (sigv4Signed, error) {
	if credential == "" || signedHeaders == "" || signature == "" {
		return sigv4Signed{}, sigv4Errorf("credential, signed headers and signature are all required")
	}
	parts := strings.Split(credential, "/")
	if len(parts) != 5 || parts[0] == "" || parts[2] == "" {
		return sigv4Signed{}, sigv4Errorf("malformed credential %q, want AKID/yyyymmdd/region/execute-api/aws4_request", credential)
	}
	if parts[3] != sigv4Service {
		return sigv4Signed{}, sigv4Errorf("credential scope names service %q, want %s", parts[3], sigv4Service)
	}
	if parts[4] != sigv4Terminator {
		return sigv4Signed{}, sigv4Errorf("credential scope ends in %q, want %s", parts[4], sigv4Terminator)
	}
	at, err := time.Parse(sigv4TimeFormat, amzDate)
	if err != nil || len(amzDate) != len(sigv4TimeFormat) {
		return sigv4Signed{}, sigv4Errorf("malformed X-Amz-Date %q, want yyyymmddThhmmssZ", amzDate)
	}
	if parts[1] != amzDate[:len(sigv4DateFormat)] {
		return sigv4Signed{}, sigv4Errorf("credential scope date %q does not match X-Amz-Date %q", parts[1], amzDate)
	}
	names := strings.Split(signedHeaders, ";")
	for i, name := range names {
		if name == "" || name != strings.ToLower(name) || (i > 0 && names[i-1] >= name) {
			return sigv4Signed{}, sigv4Errorf("signed headers %q are not lowercase, sorted and unique", signedHeaders)
		}
	}
	if !sigv4Contains(names, "host") {
		return sigv4Signed{}, sigv4Errorf("host is not a signed header")
	}
	sig, err := hex.DecodeString(signature)
	if err != nil || len(sig) != sha256.Size {
		return sigv4Signed{}, sigv4Errorf("malformed signature %q, want 64 hex digits", signature)
	}
	return sigv4Signed{
		accessKeyID:      parts[0],
		scope:            strings.Join(parts[1:], "/"),
		region:           parts[2],
		amzDate:          amzDate,
		at:               at,
		signedHeaders:    names,
		signedHeadersRaw: signedHeaders,
		signature:        sig,
	}, nil
}

func (v *Verifier) checkTime(s sigv4Signed) error {
	now := v.now()
	if s.at.After(now.Add(v.maxSkew)) {
		return sigv4Errorf("X-Amz-Date %s is more than %s in the future", s.amzDate, v.maxSkew)
	}
	if s.presigned {
		if end := s.at.Add(s.expires); now.After(end) {
			return sigv4Errorf("presigned URL expired at %s", end.UTC().Format(sigv4TimeFormat))
		}
		return nil
	}
	if now.Sub(s.at) > v.maxSkew {
		return sigv4Errorf("X-Amz-Date %s is more than %s in the past", s.amzDate, v.maxSkew)
	}
	return nil
}

// sigv4Target returns the escaped path and raw query the client sent.
func sigv4Target(r *http.Request) (path, rawQuery string) {
	if strings.HasPrefix(r.RequestURI, "/") {
		path, rawQuery, _ = strings.Cut(r.RequestURI, "?")
	} else {
		path, rawQuery = r.URL.EscapedPath(), r.URL.RawQuery
	}
	if path == "" {
		path = "/"
	}
	return path, rawQuery
}

// sigv4Pair is one decoded query parameter.
type sigv4Pair struct{ k, v string }

// sigv4ParseQuery decodes a raw query the way url.ParseQuery does, but keeps the order and fails
// on the pairs url.ParseQuery would drop, since their signer could not have signed them.
func sigv4ParseQuery(raw string) ([]sigv4Pair, error) {
	var pairs []sigv4Pair
	for raw != "" {
		var part string
		part, raw, _ = strings.Cut(raw, "&")
		if part == "" {
			continue
		}
		if strings.Contains(part, ";") {
			return nil, sigv4Errorf("malformed query parameter %q", part)
		}
		k, val, _ := strings.Cut(part, "=")
		dk, err := url.QueryUnescape(k)
		if err != nil {
			return nil, sigv4Errorf("malformed query parameter %q", part)
		}
		dv, err := url.QueryUnescape(val)
		if err != nil {
			return nil, sigv4Errorf("malformed query parameter %q", part)
		}
		pairs = append(pairs, sigv4Pair{dk, dv})
	}
	return pairs, nil
}

func sigv4QueryHas(query []sigv4Pair, k string) bool {
	for _, p := range query {
		if p.k == k {
			return true
		}
	}
	return false
}

// sigv4CanonicalQuery escapes every name and value, then sorts by name and value. A presigned
// request leaves its X-Amz-Signature out.
func sigv4CanonicalQuery(query []sigv4Pair, presigned bool) string {
	escaped := make([]sigv4Pair, 0, len(query))
	for _, p := range query {
		if presigned && p.k == "X-Amz-Signature" {
			continue
		}
		escaped = append(escaped, sigv4Pair{sigv4Escape(p.k, false), sigv4Escape(p.v, false)})
	}
	sort.Slice(escaped, func(i, j int) bool {
		if escaped[i].k != escaped[j].k {
			return escaped[i].k < escaped[j].k
		}
		return escaped[i].v < escaped[j].v
	})
	var b strings.Builder
	for i, p := range escaped {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.k)
		b.WriteByte('=')
		b.WriteString(p.v)
	}
	return b.String()
}

// sigv4CanonicalHeaders renders "name:value\n" for every signed header, in the declared order.
func sigv4CanonicalHeaders(r *http.Request, names []string) (string, error) {
	var b strings.Builder
	for _, name := range names {
		values := sigv4HeaderValues(r, name)
		if len(values) == 0 {
			return "", sigv4Errorf("signed header %q is missing from the request", name)
		}
		b.WriteString(name)
		b.WriteByte(':')
		for i, val := range values {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strings.TrimSpace(sigv4StripSpaces(val)))
		}
		b.WriteByte('\n')
	}
	return b.String(), nil
}

func sigv4HeaderValues(r *http.Request, name string) []string {
	if name == "host" {
		if r.Host != "" {
			return []string{r.Host}
		}
		if r.URL.Host != "" {
			return []string{r.URL.Host}
		}
		return nil
	}
	key := textproto.CanonicalMIMEHeaderKey(name)
	values := r.Header[key]
	for k, vs := range r.Header {
		if k != key && strings.EqualFold(k, name) {
			values = append(values[:len(values):len(values)], vs...)
		}
	}
	if len(values) == 0 && name == "content-length" && r.ContentLength > 0 {
		values = []string{strconv.FormatInt(r.ContentLength, 10)}
	}
	return values
}

// sigv4PayloadHash is X-Amz-Content-Sha256 when present (checked against body), else the sha256
// of body. UNSIGNED-PAYLOAD is refused: execute-api signs the payload, and a signature that does
// not cover the body could be replayed with another body.
func sigv4PayloadHash(r *http.Request, body []byte) (string, error) {
	sum := sha256.Sum256(body)
	claimed := r.Header.Values("X-Amz-Content-Sha256")
	switch {
	case len(claimed) == 0:
		return hex.EncodeToString(sum[:]), nil
	case len(claimed) > 1:
		return "", sigv4Errorf("more than one X-Amz-Content-Sha256 header")
	case claimed[0] == sigv4Unsigned:
		return "", sigv4Errorf("X-Amz-Content-Sha256 UNSIGNED-PAYLOAD is not accepted; sign the payload")
	}
	h, err := hex.DecodeString(claimed[0])
	if err != nil || len(h) != sha256.Size {
		return "", sigv4Errorf("unsupported X-Amz-Content-Sha256 %q", claimed[0])
	}
	if !hmac.Equal(h, sum[:]) {
		return "", sigv4Errorf("X-Amz-Content-Sha256 does not match the body")
	}
	return claimed[0], nil
}

// sigv4Escape percent-encodes every byte outside A-Z a-z 0-9 - . _ ~ (and '/' when keepSlash),
// with uppercase hex, as the SDK's signer does for paths and query components.
func sigv4Escape(s string, keepSlash bool) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if ('A' <= c && c <= 'Z') || ('a' <= c && c <= 'z') || ('0' <= c && c <= '9') ||
			c == '-' || c == '.' || c == '_' || c == '~' || (c == '/' && keepSlash) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&0x0f])
	}
	return b.String()
}

// sigv4StripSpaces trims leading and trailing spaces and collapses inner runs of spaces to one.
func sigv4StripSpaces(s string) string {
	s = strings.Trim(s, " ")
	if !strings.Contains(s, "  ") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' && i > 0 && s[i-1] == ' ' {
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func sigv4SigningKey(secret, date, region string) []byte {
	key := sigv4HMAC([]byte("AWS4"+secret), date)
	key = sigv4HMAC(key, region)
	key = sigv4HMAC(key, sigv4Service)
	return sigv4HMAC(key, sigv4Terminator)
}

func sigv4HMAC(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

func sigv4Contains(names []string, name string) bool {
	for _, n := range names {
		if n == name {
			return true
		}
	}
	return false
}

// sigv4Error says why a request was refused; it wraps ErrSignature.
type sigv4Error struct{ reason string }

func (e *sigv4Error) Error() string { return "sigv4: " + e.reason }

func (e *sigv4Error) Unwrap() error { return ErrSignature }

func sigv4Errorf(format string, args ...any) error {
	return &sigv4Error{reason: fmt.Sprintf(format, args...)}
}

package config

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode"
)

// checkSubject reports why s is not a NATS subject an integration can publish to: dot-separated
// non-empty tokens, no whitespace or control characters, no wildcards.
func checkSubject(s string) error {
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			return fmt.Errorf("invalid NATS subject %q: contains whitespace or control characters", s)
		}
	}
	for _, tok := range strings.Split(s, ".") {
		switch {
		case tok == "":
			return fmt.Errorf("invalid NATS subject %q: empty token", s)
		case strings.ContainsAny(tok, "*>"):
			return fmt.Errorf("invalid NATS subject %q: wildcards are not allowed", s)
		}
	}
	return nil
}

// checkHTTPURL reports why s is not an absolute http or https URL with a host. Stage variable
// references (${stageVariables.name}) are allowed anywhere and stand for one word.
func checkHTTPURL(s string) error {
	u, err := url.Parse(replaceStageVariables(s))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errors.New("must be an http or https URL with a host")
	}
	return nil
}

// replaceStageVariables replaces each ${...} reference with a placeholder word so the rest of s
// can be checked as a URL.
func replaceStageVariables(s string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			break
		}
		b.WriteString(s[:i])
		b.WriteString("stagevariable")
		s = s[i+j+1:]
	}
	b.WriteString(s)
	return b.String()
}

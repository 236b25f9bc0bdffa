package mapping

import (
	"encoding/base64"
	"net/url"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
)

func TestEscapeJavaScriptFollowsCommonsLang(t *testing.T) {
	tests := []struct{ in, want string }{
		{``, ``},
		{`plain text 123`, `plain text 123`},
		{`it's`, `it\'s`},
		{`say "hi"`, `say \"hi\"`},
		{`a\b`, `a\\b`},
		{`</script>`, `<\/script>`},
		{"\b\f\n\r\t", `\b\f\n\r\t`},
		{"\x00\x01\x1f", `\u0000\u0001\u001F`},
		{"\x7f", "\x7f"},
		{"é", `\u00E9`},
		{"Ā", `\u0100`},
		{"€", `\u20AC`},
		{"😀", `\uD83D\uDE00`},
		{"a\xffb", `a\uFFFDb`},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			got, err := escapeJavaScript([]byte("pre"), tt.in)
			require.NoError(t, err)
			require.Equal(t, "pre"+tt.want, string(got))
		})
	}
}

func TestURLEncodeFollowsJavaURLEncoder(t *testing.T) {
	tests := []struct{ in, want string }{
		{``, ``},
		{`AZaz09.-*_`, `AZaz09.-*_`},
		{`a b`, `a+b`},
		{`~!'()`, `%7E%21%27%28%29`},
		{`é`, `%C3%A9`},
		{`a+b=c&d`, `a%2Bb%3Dc%26d`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := urlEncode(nil, tt.in)
			require.NoError(t, err)
			require.Equal(t, tt.want, string(got))
		})
	}
}

func TestURLDecodeFollowsJavaURLDecoder(t *testing.T) {
	tests := []struct {
		in, want string
		wantErr  string
	}{
		{in: ``, want: ``},
		{in: `a+b`, want: `a b`},
		{in: `%7e%7E%C3%A9`, want: `~~é`},
		{in: `100%`, wantErr: "incomplete escape at input byte 3"},
		{in: `%4`, wantErr: "incomplete escape at input byte 0"},
		{in: `%g0`, wantErr: `invalid escape "%g0" at input byte 0`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := urlDecode([]byte("pre"), tt.in)
			if tt.wantErr != "" {
				require.EqualError(t, err, tt.wantErr)
				require.Equal(t, "pre", string(got))
				return
			}
			require.NoError(t, err)
			require.Equal(t, "pre"+tt.want, string(got))
		})
	}
}

func TestBase64DecodeAcceptsPaddedAndUnpadded(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"", "", true},
		{"YQ==", "a", true},
		{"YQ", "a", true},
		{"YWI=", "ab", true},
		{"YWI", "ab", true},
		{"YWJj", "abc", true},
		{"YQ=", "", false},
		{"Y", "", false},
		{"YW\nJj", "", false},
		{"YW-j", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := base64Decode([]byte("pre"), tt.in)
			if !tt.ok {
				require.Error(t, err)
				require.Equal(t, "pre", string(got))
				return
			}
			require.NoError(t, err)
			require.Equal(t, "pre"+tt.want, string(got))
		})
	}
}

func FuzzUtilRoundTrips(f *testing.F) {
	for _, s := range []string{"", "a b", "é😀", "\x00\xff", "a+b%2F", "it's \"x\"/\\"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		enc, err := urlEncode(nil, s)
		require.NoError(t, err)
		dec, err := urlDecode(nil, string(enc))
		require.NoError(t, err)
		require.Equal(t, s, string(dec))
		want, err := url.QueryUnescape(string(enc))
		require.NoError(t, err)
		require.Equal(t, s, want)

		b64, err := base64Encode(nil, s)
		require.NoError(t, err)
		require.Equal(t, base64.StdEncoding.EncodeToString([]byte(s)), string(b64))
		dec, err = base64Decode(nil, string(b64))
		require.NoError(t, err)
		require.Equal(t, s, string(dec))

		js, err := escapeJavaScript(nil, s)
		require.NoError(t, err)
		for i, c := range js {
			if c >= utf8.RuneSelf {
				t.Fatalf("escapeJavaScript(%q) has a non-ASCII byte at %d: %q", s, i, js)
			}
		}
		_, _ = urlDecode(nil, s)
		_, _ = base64Decode(nil, s)
	})
}

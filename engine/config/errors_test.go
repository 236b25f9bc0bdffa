package config

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestErrorfPositionsEngineProblemsLikeValidate(t *testing.T) {
	c, err := Load("testdata/chat.yaml")
	require.NoError(t, err)

	fe := c.Errorf("apis[0].routeSelectionExpression", "unknown expression %q", "$request.bdy")
	require.Equal(t, FieldError{
		Path: "apis[0].routeSelectionExpression",
		Msg:  `unknown expression "$request.bdy"`,
		Pos:  "testdata/chat.yaml:4:5",
	}, fe)
	require.EqualError(t, fe, `testdata/chat.yaml:4:5: apis[0].routeSelectionExpression: unknown expression "$request.bdy"`)
}

func TestLocate(t *testing.T) {
	c, err := Load("testdata/full.yaml")
	require.NoError(t, err)

	tests := []struct {
		path string
		want string
	}{
		{"node.drainTimeout", "testdata/full.yaml:10:3"},
		{"apis[0]", "testdata/full.yaml:28:5"},
		{"apis[1].stages[0].stageName", "testdata/full.yaml:61:9"},
		{"apis[0].routes[0].integration.templates.$default", "testdata/full.yaml:43:13"},
		{`apis[0].routes[0].integration.requestParameters["integration.request.header.X-Connection"]`, "testdata/full.yaml:45:13"},
		{"apis[0].routes[0].integration.requestParameters.integration.request.header.X-Connection", "testdata/full.yaml:45:13"},
		{"apis[0].stages[0].stageVariables.color", "testdata/full.yaml:53:27"},
		{"apis[1].routes[0].integration.integrationUri", "testdata/full.yaml:59:9"},
		{"apis[1].routes[7].routeKey", "testdata/full.yaml:57:5"},
		{"websocket.nothing.deeper", "testdata/full.yaml:13:1"},
		{"", "testdata/full.yaml:2:1"},
		{"apis[", "testdata/full.yaml:2:1"},
		{`apis["unterminated`, "testdata/full.yaml:2:1"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			require.Equal(t, tt.want, c.Locate(tt.path))
		})
	}
}

func TestLocateIsEmptyForConfigBuiltInCode(t *testing.T) {
	c := &Config{File: "made.yaml"}
	require.Empty(t, c.Locate("apis[0].name"))
	require.Equal(t, FieldError{Path: "apis[0].name", Msg: "bad"}, c.Errorf("apis[0].name", "bad"))
	require.EqualError(t, c.Errorf("apis[0].name", "bad"), "apis[0].name: bad")

	var nilConfig *Config
	require.Empty(t, nilConfig.Locate("apis"))
}

func TestLocateWithoutFileNameGivesLineAndColumn(t *testing.T) {
	c, err := Parse("", []byte("node:\n  listen: :1\n"))
	require.NoError(t, err)
	require.Equal(t, "2:3", c.Locate("node.listen"))

	_, err = Parse("", []byte("node:\n  listen: [1]\n"))
	require.EqualError(t, err, "2:11: node.listen: expected a string, got a sequence")
}

func TestErrorsAsFindsEitherForm(t *testing.T) {
	_, err := Parse("x.yaml", []byte("node: { logLevel: loud }\n"))
	wrapped := fmt.Errorf("load config: %w", err)

	var ptr *Errors
	require.True(t, errors.As(wrapped, &ptr))
	require.Len(t, *ptr, 1)

	var plain Errors
	require.True(t, errors.As(wrapped, &plain))
	require.Equal(t, "node.logLevel", plain[0].Path)
	require.Equal(t, "x.yaml:1:9", plain[0].Pos)
}

func TestErrorsPrintOneProblemPerLine(t *testing.T) {
	es := Errors{
		{Pos: "a.yaml:1:1", Path: "node", Msg: "first"},
		{Path: "apis", Msg: "second"},
		{Pos: "a.yaml:3:1", Msg: "third"},
	}
	require.Equal(t, "a.yaml:1:1: node: first\napis: second\na.yaml:3:1: third", es.Error())
}

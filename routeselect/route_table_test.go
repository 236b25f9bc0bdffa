package routeselect_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/portico-gateway/portico/routeselect"
)

var chatKeys = []string{"$connect", "$disconnect", "$default", "echo", "sendmessage", "chat/join"}

func TestSelectPicksTheRouteKey(t *testing.T) {
	tests := []struct {
		name   string
		expr   string
		keys   []string
		body   string
		src    routeselect.Source
		want   string
		wantOK bool
	}{
		{"exact match", `$request.body.action`, chatKeys, `{"action":"echo","data":"hello"}`, nil, "echo", true},
		{"braced exact match", `${request.body.action}`, chatKeys, `{"action":"sendmessage"}`, nil, "sendmessage", true},
		{"two variables", `${request.body.service}/${request.body.action}`, chatKeys, `{"service":"chat","action":"join"}`, nil, "chat/join", true},
		{"unknown value goes to default", `$request.body.action`, chatKeys, `{"action":"nope"}`, nil, "$default", true},
		{"match is case-sensitive", `$request.body.action`, chatKeys, `{"action":"Echo"}`, nil, "$default", true},
		{"missing key goes to default", `$request.body.action`, chatKeys, `{"data":"hello"}`, nil, "$default", true},
		{"non-JSON body goes to default", `$request.body.action`, chatKeys, `hello`, nil, "$default", true},
		{"body cannot select connect", `$request.body.action`, chatKeys, `{"action":"$connect"}`, nil, "$default", true},
		{"body cannot select disconnect", `$request.body.action`, chatKeys, `{"action":"$disconnect"}`, nil, "$default", true},
		{"body may name default", `$request.body.action`, chatKeys, `{"action":"$default"}`, nil, "$default", true},
		{"number value matches numeric key", `$request.body.action`, []string{"42"}, `{"action":42}`, nil, "42", true},
		{"no match and no default", `$request.body.action`, []string{"echo"}, `{"action":"nope"}`, nil, "", false},
		{"non-JSON body and no default", `$request.body.action`, []string{"echo"}, `hello`, nil, "", false},
		{"connect never selected without default", `$request.body.action`, []string{"$connect", "echo"}, `{"action":"$connect"}`, nil, "", false},
		{"default expression", `$default`, chatKeys, `{"action":"echo"}`, nil, "$default", true},
		{"default expression without default key", `$default`, []string{"echo"}, `{}`, nil, "", false},
		{"header expression", `$request.header.x-api-key`, []string{"key-123", "$default"}, `not json`, sampleSource, "key-123", true},
		{"literal expression", `echo`, chatKeys, `not json`, nil, "echo", true},
		{"escaped default is literal", `\$default`, []string{"$default"}, `{}`, nil, "$default", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			table := routeselect.NewRouteTable(routeselect.MustParse(tt.expr), tt.keys)
			got, ok := table.Select([]byte(tt.body), tt.src)
			require.Equal(t, tt.wantOK, ok)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestSelectMatchesValuesLongerThanItsBuffer(t *testing.T) {
	long := strings.Repeat("x", 300)
	table := routeselect.NewRouteTable(
		routeselect.MustParse(`${request.body.service}/${request.body.action}`),
		[]string{"$default", "chat/" + long},
	)
	got, ok := table.Select([]byte(`{"service":"chat","action":"`+long+`"}`), nil)
	require.True(t, ok)
	require.Equal(t, "chat/"+long, got)
}

func TestSelectWithoutExpressionFallsBackToDefault(t *testing.T) {
	got, ok := routeselect.NewRouteTable(nil, chatKeys).Select([]byte(`{"action":"echo"}`), nil)
	require.True(t, ok)
	require.Equal(t, "$default", got)

	_, ok = routeselect.NewRouteTable(nil, []string{"echo"}).Select(nil, nil)
	require.False(t, ok)
}

func TestSelectedKeyDoesNotAliasTheBody(t *testing.T) {
	table := routeselect.NewRouteTable(routeselect.MustParse(`$request.body.action`), chatKeys)
	body := []byte(`{"action":"echo"}`)
	got, ok := table.Select(body, nil)
	require.True(t, ok)
	copy(body, `{"action":"XXXX"}`)
	require.Equal(t, "echo", got)
}

func TestSelectDoesNotAllocate(t *testing.T) {
	tests := []struct {
		expr string
		body string
	}{
		{`$request.body.action`, `{"action":"echo","data":"hello"}`},
		{`${request.body.service}/${request.body.action}`, `{"service":"chat","action":"join"}`},
		{`$request.body.action`, `{"action":"nope"}`},
		{`$request.body.action`, `not json`},
	}
	for _, tt := range tests {
		t.Run(tt.expr+" "+tt.body, func(t *testing.T) {
			table := routeselect.NewRouteTable(routeselect.MustParse(tt.expr), chatKeys)
			body := []byte(tt.body)
			allocs := testing.AllocsPerRun(100, func() {
				if _, ok := table.Select(body, nil); !ok {
					t.Fatal("no route selected")
				}
			})
			require.Zero(t, allocs)
		})
	}
}

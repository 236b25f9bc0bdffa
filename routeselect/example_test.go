package routeselect_test

import (
	"fmt"

	"github.com/portico-gateway/portico/routeselect"
)

func ExampleRouteTable_Select() {
	expr := routeselect.MustParse(`$request.body.action`)
	table := routeselect.NewRouteTable(expr, []string{"$connect", "$default", "sendmessage"})

	for _, body := range []string{
		`{"action":"sendmessage","data":"hi"}`,
		`{"action":"unknown"}`,
		`{"action":"$connect"}`,
		`not json`,
	} {
		key, _ := table.Select([]byte(body), nil)
		fmt.Println(key)
	}
	// Output:
	// sendmessage
	// $default
	// $default
	// $default
}

func ExampleExpression_Evaluate() {
	expr := routeselect.MustParse(`${request.body.service}/${request.body.action}`)
	value, ok := expr.Evaluate([]byte(`{"service":"chat","action":"join"}`), nil)
	fmt.Println(value, ok)
	// Output: chat/join true
}

func ExamplePattern_Match() {
	p, err := routeselect.ParsePattern(`/2\d\d/`)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Match("201"), p.Match("2010"))
	// Output: true false
}

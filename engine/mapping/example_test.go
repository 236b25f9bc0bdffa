package mapping_test

import (
	"fmt"

	"github.com/portico-gateway/portico/engine/mapping"
)

// request is what an engine passes to Render: a pointer to its per-request values.
type request struct {
	body         []byte
	connectionID string
}

func (r *request) Body() []byte { return r.body }

func (r *request) Context(name string) (string, bool) {
	if name == "connectionId" {
		return r.connectionID, true
	}
	return "", false
}

func (r *request) StageVariable(string) (string, bool) { return "", false }
func (r *request) Param(string) (string, bool)         { return "", false }

func ExampleParse() {
	tpl, err := mapping.Parse(`{"from": "$context.connectionId", "text": $input.json('$.data.text')}`)
	if err != nil {
		fmt.Println(err)
		return
	}
	out, err := tpl.Render(nil, &request{
		body:         []byte(`{"action": "send", "data": {"text": "hi"}}`),
		connectionID: "R1kmxc2VNjMCFIA=",
	})
	fmt.Println(string(out), err)
	// Output: {"from": "R1kmxc2VNjMCFIA=", "text": "hi"} <nil>
}

func ExampleParse_error() {
	_, err := mapping.Parse("{\n  #if($input.body.isEmpty())\n  \"empty\": true\n}")
	fmt.Println(err)
	// Output: mapping template line 2 col 3: #if is not closed by #end
}

func ExampleTemplate_Render_foreach() {
	tpl, err := mapping.Parse(`#set($items = $input.path('$.items'))
[
#foreach($item in $items)
  {"n": $foreach.count, "name": "$item.name.toUpperCase()"}#if($foreach.hasNext),#end

#end
]`)
	if err != nil {
		fmt.Println(err)
		return
	}
	out, err := tpl.Render(nil, &request{body: []byte(`{"items": [{"name": "a"}, {"name": "b"}]}`)})
	fmt.Println(string(out), err)
	// Output:
	// [
	//   {"n": 1, "name": "A"},
	//   {"n": 2, "name": "B"}
	// ] <nil>
}

func ExampleTemplates_Select() {
	ts, err := mapping.ParseTemplates(map[string]string{
		"$default":         `$input.body`,
		"application/json": `{"wrapped": $input.body}`,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	tpl, _ := ts.Select("text/plain")
	fmt.Println(tpl.IsPassthrough())
	tpl, _ = ts.Select("application/json")
	fmt.Println(tpl.Source())
	// Output:
	// true
	// {"wrapped": $input.body}
}

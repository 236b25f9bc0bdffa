package mapping

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// benchVars is a Vars as the engine implements it: a pointer to a struct, no maps.
type benchVars struct {
	body      []byte
	requestID string
}

func (v *benchVars) Body() []byte { return v.body }

func (v *benchVars) Context(name string) (string, bool) {
	if name == "requestId" {
		return v.requestID, true
	}
	return "", false
}

func (v *benchVars) StageVariable(string) (string, bool) { return "", false }
func (v *benchVars) Param(string) (string, bool)         { return "", false }

const benchBody = `{"action":"sendmessage","data":{"room":"lobby","text":"hello there","tags":["a","b"]}}`

func benchRender(b *testing.B, src string, v Vars, maxAllocs float64) {
	tpl, err := Parse(src)
	require.NoError(b, err)
	dst := make([]byte, 0, 4096)
	dst, err = tpl.Render(dst[:0], v) // warm the state pool
	require.NoError(b, err)
	allocs := testing.AllocsPerRun(100, func() {
		dst, err = tpl.Render(dst[:0], v)
	})
	require.NoError(b, err)
	require.LessOrEqual(b, allocs, maxAllocs, "allocations per Render")
	b.ReportAllocs()
	b.SetBytes(int64(len(v.Body())))
	b.ResetTimer()
	for b.Loop() {
		dst, _ = tpl.Render(dst[:0], v)
	}
}

func newBenchVars() *benchVars {
	return &benchVars{body: []byte(benchBody), requestID: "R1knPH17NjMFftw="}
}

func BenchmarkRenderPassthrough(b *testing.B) { benchRender(b, `$input.body`, newBenchVars(), 0) }

func BenchmarkRenderBodyInText(b *testing.B) {
	benchRender(b, `{"requestId":"$context.requestId","body":$input.body}`, newBenchVars(), 0)
}

func BenchmarkRenderJSONPath(b *testing.B) {
	benchRender(b, `{"room":"$input.path('$.data.room')","tags":$input.json('$.data.tags'),"first":"$input.path('$.data.tags[0]')"}`, newBenchVars(), 0)
}

func BenchmarkRenderUtil(b *testing.B) {
	benchRender(b, `{"b64":"$util.base64Encode($input.body)","js":"$util.escapeJavaScript($input.json('$.data'))"}`, newBenchVars(), 0)
}

// BenchmarkRenderMethodRequestPassthrough renders the console's "Method Request passthrough"
// template with a request of 2 query string parameters and 2 headers, as the golden file does.
func BenchmarkRenderMethodRequestPassthrough(b *testing.B) {
	src, err := os.ReadFile(filepath.Join("testdata", "golden", "aws-console-method-request-passthrough.vtl"))
	require.NoError(b, err)
	doc, err := os.ReadFile(filepath.Join("testdata", "golden", "aws-console-method-request-passthrough.vars.json"))
	require.NoError(b, err)
	benchRender(b, string(src), varsFromJSON(b, string(doc)), 0)
}

// BenchmarkRenderPetStoreForeach renders a PetStore response template: $input.path walked by #foreach.
func BenchmarkRenderPetStoreForeach(b *testing.B) {
	src, err := os.ReadFile(filepath.Join("testdata", "golden", "aws-petstore-flatten-some.vtl"))
	require.NoError(b, err)
	doc, err := os.ReadFile(filepath.Join("testdata", "golden", "aws-petstore-flatten-some.vars.json"))
	require.NoError(b, err)
	benchRender(b, string(src), varsFromJSON(b, string(doc)), 1)
}

func TestPassthroughRenderDoesNotAllocate(t *testing.T) {
	tpl, err := Parse(`$input.body`)
	require.NoError(t, err)
	v := &benchVars{body: []byte(benchBody)}
	dst := make([]byte, 0, 1024)
	allocs := testing.AllocsPerRun(100, func() {
		dst, err = tpl.Render(dst[:0], v)
	})
	require.NoError(t, err)
	require.Zero(t, allocs)
	require.Equal(t, benchBody, string(dst))
}

package mapping

import (
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

func benchRender(b *testing.B, src string, maxAllocs float64) {
	tpl, err := Parse(src)
	require.NoError(b, err)
	v := &benchVars{body: []byte(benchBody), requestID: "R1knPH17NjMFftw="}
	dst := make([]byte, 0, 4096)
	allocs := testing.AllocsPerRun(100, func() {
		dst, err = tpl.Render(dst[:0], v)
	})
	require.NoError(b, err)
	require.LessOrEqual(b, allocs, maxAllocs, "allocations per Render")
	b.ReportAllocs()
	b.SetBytes(int64(len(benchBody)))
	b.ResetTimer()
	for b.Loop() {
		dst, _ = tpl.Render(dst[:0], v)
	}
}

func BenchmarkRenderPassthrough(b *testing.B) { benchRender(b, `$input.body`, 0) }

func BenchmarkRenderBodyInText(b *testing.B) {
	benchRender(b, `{"requestId":"$context.requestId","body":$input.body}`, 0)
}

func BenchmarkRenderJSONPath(b *testing.B) {
	benchRender(b, `{"room":"$input.path('$.data.room')","tags":$input.json('$.data.tags'),"first":"$input.path('$.data.tags[0]')"}`, 0)
}

func BenchmarkRenderUtil(b *testing.B) {
	benchRender(b, `{"b64":"$util.base64Encode($input.body)","js":"$util.escapeJavaScript($input.json('$.data'))"}`, 0)
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

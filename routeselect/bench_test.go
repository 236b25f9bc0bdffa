package routeselect_test

import (
	"strings"
	"testing"

	"github.com/portico-gateway/portico/routeselect"
)

func BenchmarkSelect(b *testing.B) {
	benchmarks := []struct {
		name string
		expr string
		body string
	}{
		{"action", `$request.body.action`, `{"action":"echo","data":"hello"}`},
		{"service/action", `${request.body.service}/${request.body.action}`, `{"service":"chat","action":"join","data":"hello"}`},
		{"no match", `$request.body.action`, `{"action":"nope","data":"hello"}`},
		{"4 KiB no action", `$request.body.action`, `{"data":"` + strings.Repeat("abcdefghijklmnop", 255) + `"}`},
		{"4 KiB action last", `$request.body.action`, `{"data":"` + strings.Repeat("abcdefghijklmnop", 254) + `","action":"echo"}`},
	}
	for _, bm := range benchmarks {
		b.Run(bm.name, func(b *testing.B) {
			table := routeselect.NewRouteTable(routeselect.MustParse(bm.expr), chatKeys)
			body := []byte(bm.body)
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				if _, ok := table.Select(body, nil); !ok {
					b.Fatal("no route selected")
				}
			}
		})
	}
}

func BenchmarkEvaluate(b *testing.B) {
	expr := routeselect.MustParse(`$request.body.action`)
	body := []byte(`{"action":"echo","data":"hello"}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := expr.Evaluate(body, nil); !ok {
			b.Fatal("no value")
		}
	}
}

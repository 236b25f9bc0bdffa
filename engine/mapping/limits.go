package mapping

// Limits, as API Gateway applies them to mapping templates. A template over a limit fails: Parse
// rejects a template over MaxTemplateSize; Render returns an *Error for the others.
const (
	// MaxTemplateSize is the largest template Parse accepts, in bytes: API Gateway's mapping
	// template size quota (300 KB).
	MaxTemplateSize = 300 * 1024

	// MaxForeachIterations is how many times one #foreach may iterate: API Gateway's quota "Number
	// of iterations in a #foreach ... #end loop in mapping templates" (1000).
	MaxForeachIterations = 1000

	// MaxOutputSize is the largest output one Render may produce, in bytes: API Gateway's payload
	// size quota (10 MB).
	MaxOutputSize = 10 << 20

	// MaxMacroDepth is how deeply macro calls may nest: Velocity 1.7's velocimacro.max.depth
	// default (20), which API Gateway's engine keeps.
	MaxMacroDepth = 20

	// maxTotalIterations bounds the #foreach iterations of one Render across all loops, so nested
	// loops (each under MaxForeachIterations) cannot spin for minutes.
	maxTotalIterations = 100_000

	// maxNesting bounds how deeply blocks, references and expressions nest in the source, so the
	// compiler's recursion stays shallow.
	maxNesting = 100

	// maxJSONDepth bounds how deeply JSON read by $input.path or $util.parseJson may nest.
	maxJSONDepth = 512
)

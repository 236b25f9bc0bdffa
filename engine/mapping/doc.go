// Package mapping compiles and renders the mapping templates of integrations: the request and response
// templates that API Gateway writes in VTL. The engine compiles every template of a deployment once
// (Parse, ParseTemplates) and renders it on the per-message path (Template.Render) with the request's
// values supplied through Vars; the package does no I/O and knows nothing of routes or connections.
//
// The package implements a subset of VTL. Anything outside the subset is rejected by Parse with an
// *Error naming line and column, so a template never silently means something else than it would under
// API Gateway, and a complete VTL engine can replace this one behind the same API.
//
// # Supported
//
// Literal text is copied verbatim. `\$` renders `$` and `\#` renders `#`; any other backslash is literal.
// A `$` that does not start a reference (`cost: $5`, `$ `, `$.`) and a `#` that does not start a
// directive or comment (`#1`, `#ff0000`, `#/path`) are literal.
//
// References, each also in formal notation (`${input.body}`) and quiet notation (`$!context.x`,
// `$!{context.x}`):
//
//   - $input.body: the raw request body.
//   - $input.json('<jsonpath>') or $input.json("<jsonpath>"): the JSON text of the value at a JSONPath,
//     compacted (whitespace outside strings removed, everything else as in the body). A missing value,
//     or a body that is not JSON, renders `null`, so that `{"a": $input.json('$.a')}` stays valid JSON.
//   - $input.path('<jsonpath>'): the value at a JSONPath; a string renders unquoted and unescaped, any
//     other value as compact JSON text. A missing value, or a body that is not JSON, renders as empty.
//   - $input.params('<name>'): the path parameter, else the query string parameter, else the header of
//     that name (the engine's Vars.Param decides); missing renders as empty.
//   - $context.<name> with dotted names ($context.requestId, $context.identity.sourceIp,
//     $context.authorizer.principalId, ...) and $stageVariables.<name>.
//   - $util.escapeJavaScript(x), $util.base64Encode(x), $util.base64Decode(x), $util.urlEncode(x),
//     $util.urlDecode(x), where x is one of the references above (a $util call included) or a quoted
//     string literal ('...' or "...", no escapes inside, no interpolation).
//
// JSONPaths are `$` (the whole body), `.name`, `['name']` / `["name"]` (a backslash escapes the next
// character) and `[N]` with N a non-negative index, in any sequence: `$.a.b[0]['c d']`. Wildcards,
// recursive descent, filters, slices, unions and functions are rejected. Paths are translated to gjson
// syntax when the template is compiled.
//
// Missing values follow VTL: a $context or $stageVariables reference (or a $util call whose argument is
// one) that Vars reports as missing renders its own source text, as in `$context.nope`; in quiet
// notation it renders as empty. A reference to any other name ($foo, $foo.bar) can never be defined in
// this subset, so it always renders as missing. $input references are never missing.
//
// The $util functions behave as API Gateway's: escapeJavaScript follows Apache Commons Lang's
// StringEscapeUtils.escapeJavaScript (escapes `'`, `"`, `\`, `/`, control characters, and every
// non-ASCII character as \uXXXX UTF-16 units); urlEncode and urlDecode follow Java's URLEncoder and
// URLDecoder in UTF-8 (space is `+`); base64Encode and base64Decode use the standard alphabet, and
// base64Decode accepts unpadded input. A literal argument is evaluated when the template is compiled.
// Invalid input to base64Decode or urlDecode makes Render fail with an *Error (Parse, for a literal).
//
// # Rejected
//
// Directives (#set, #if, #elseif, #else, #end, #foreach, #break, #stop, #include, #parse, #macro,
// #define, #evaluate, #literal, also as #{if}), comments (## and #*), unparsed blocks (#[[), any other
// member or method of $input, $context, $stageVariables or $util ($input.params() without a name,
// $util.parseJson, ...), index notation after a reference, method calls on other references, and
// $util calls nested deeper than 16 levels.
package mapping

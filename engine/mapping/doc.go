// Package mapping compiles and renders the mapping templates of integrations: the request and response
// templates that API Gateway writes in VTL, the Velocity Template Language. The engine compiles every
// template of a deployment once (Parse, ParseTemplates) into a tree the render path only reads, and
// renders it per message (Template.Render) with the request's values supplied through Vars; the package
// does no I/O and knows nothing of routes or connections.
//
// The interpreter is written here rather than taken from a Go Velocity engine: the ones that exist
// (viant/velty, velocity4go) implement a Velocity-like language over Go values, not Velocity 1.7's
// behaviour that API Gateway users depend on: its whitespace gobbling, undefined references printing
// their source, Java toString of maps and lists, Java String/List/Map methods, Java arithmetic.
//
// # Language
//
// Velocity 1.7 as API Gateway runs it:
//
//   - #set, #if / #elseif / #else / #end, #foreach (with $foreach.hasNext, .index, .count, .first,
//     .last, .parent, and $velocityCount, $velocityHasNext), #break, #stop, #macro with arguments,
//     ## and #* *# comments, #[[ ]]# unparsed content, and the braced forms (#{if}, #{end}, ...).
//     #include, #parse, #evaluate, #define and #literal are rejected.
//   - Whitespace as Velocity 1.7's parser gobbles it: `)` closing #if, #elseif, #foreach, #set,
//     #macro or a macro call eats the spaces after it and one newline, as do #else, #end and a ##
//     comment; #set also eats the indentation before it when it starts a text run. So a line holding
//     only #set renders nothing, and an indented #if line renders its indentation.
//   - Operators ==, !=, <, >, <=, >=, &&, ||, !, +, -, *, /, % and their word forms (eq, ne, lt, gt, le,
//     ge, and, or, not); integer arithmetic as Java's long (division truncates; overflow fails the
//     render), double arithmetic otherwise, printed as Java prints a double; + with a string operand
//     concatenates. == compares numbers by value, values of one type by equals, others by toString.
//     #if treats null as false, a Boolean as itself and anything else (an empty string too) as true.
//   - Literals: integers, decimals, true, false, "strings" (interpolated: references and directives
//     inside are rendered), 'strings' (not interpolated), lists [a, b], ranges [1..5], maps {"k": v}.
//     Method arguments are values, not operator expressions, as in Velocity 1.7.
//   - References $x.a.b, $x[0], $x['k'], $x.method(args), in quiet ($!x) and formal (${x}) notation,
//     with Velocity's backslash escapes (\$x prints $x when $x has a value). A reference whose value is
//     null prints its own source text, or nothing in quiet notation; references rooted at $input,
//     $context and $stageVariables print nothing, as API Gateway does.
//   - Java methods on strings (length, isEmpty, contains, substring, indexOf, lastIndexOf, replace,
//     replaceAll, replaceFirst, split, toLowerCase, toUpperCase, trim, equals, equalsIgnoreCase,
//     startsWith, endsWith, charAt, matches, concat, compareTo, hashCode, toString; indexes count
//     UTF-16 units as Java does), lists (size, isEmpty, get, contains, add, remove, set, indexOf,
//     addAll, subList, clear, ...), maps (get, put, containsKey, keySet, entrySet with key/value,
//     values, remove, size, ...). A method a value does not have fails: at Parse, naming line and
//     column, where the type is known then (a string from $input.body, $context.x, a map from
//     $input.params(), ...), else at Render. Regular expressions run on Go's RE2, which shares Java's
//     common syntax; patterns given as literals compile once, at Parse.
//   - Maps and lists print as Java's toString: {a=1, b=[x, y]}.
//
// # API Gateway's variables
//
//   - $input.body, $input.json('<jsonpath>') (JSON text, compacted; `null` when nothing matches),
//     $input.path('<jsonpath>') (the value: objects as maps, arrays as lists), $input.params() (a map
//     of path, querystring and header maps, from ParamLister), $input.params('<name>').
//     JSONPaths are `$`, `.name`, `['name']` and `[N]` steps; wildcards, filters, slices and
//     recursive descent are rejected.
//   - $context.<name> (dotted names) and $stageVariables.<name> / ['<name>'] (walkable as a map with
//     StageVariableLister).
//   - $util.escapeJavaScript, parseJson, urlEncode, urlDecode, base64Encode, base64Decode:
//     escapeJavaScript follows Apache Commons Lang's StringEscapeUtils.escapeJavaScript; urlEncode and
//     urlDecode follow Java's URLEncoder and URLDecoder in UTF-8; base64Decode accepts unpadded input.
//   - #set($context.requestOverride.(header|querystring|path).<name> = v) and
//     #set($context.responseOverride.status = v) / .header.<name>: delivered to Overrides after the
//     template renders; setting one twice fails the render, as in API Gateway.
//
// # Limits
//
// As API Gateway's: a template over MaxTemplateSize (300 KB) fails Parse; a #foreach past
// MaxForeachIterations (1000), output past MaxOutputSize (10 MB, the payload quota) and macros nested
// past MaxMacroDepth (Velocity's 20) fail Render with an *Error. Nothing in a template or a request
// can crash the process.
//
// # Differences
//
// Macro arguments are passed by value, not by name. Ranges are read-only lists. Numbers read from JSON
// print as their JSON text. Java reflection ($x.class, getters beyond those listed) is not available.
package mapping

// Command bench measures Portico against baselines run in the same invocation, on the same machine,
// at the same moment, and prints each figure as a ratio portico/baseline. It starts the portico
// binary and a bare echo server built on the same transport as separate processes, drives them from
// load-client processes (this binary re-executed), and is never imported by production code.
package main

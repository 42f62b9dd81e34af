// Package bench measures msn as users run it: the built binary as a
// separate process against a local server behind latency proxies, its
// start-up against a hello-world Go program, and file transfers. Its
// tests also count the round trips of whole processes. bench/run runs
// every benchmark of the project and prints one table.
package bench

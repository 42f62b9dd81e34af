package main

import (
	"net"
	"net/url"
	"strconv"
	"sync"

	"github.com/rogpeppe/go-internal/testscript"

	"msn/proto/msntest"
)

type connectProxyKey struct{}

// connectProxies are the CONNECT proxies a script started; each tunnels
// to target, the counting Passport proxy, whatever host it is asked for.
type connectProxies struct {
	target string

	mu      sync.Mutex
	proxies []*msntest.ConnectProxy
	counted int // tunnels already checked by cmdProxied
}

// cmdConnectProxy starts a CONNECT proxy that wants the Basic
// credentials USER and PASSWORD, and tunnels to the Passport proxy:
//
//	connectproxy VAR USER PASSWORD
//
// VAR is set to its URL with the credentials, VAR_ADDR to its host:port,
// and VAR_NEXUS to the nexus URL under the name passport.example.com
// (which only the proxy resolves).
func cmdConnectProxy(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: connectproxy VAR USER PASSWORD")
	}
	cp := ts.Value(connectProxyKey{}).(*connectProxies)
	p, err := msntest.StartConnectProxy(cp.target, args[1], args[2], stepTimeout)
	ts.Check(err)
	ts.Defer(p.Close)
	cp.mu.Lock()
	cp.proxies = append(cp.proxies, p)
	cp.mu.Unlock()
	_, port, err := net.SplitHostPort(cp.target)
	ts.Check(err)
	u := url.URL{Scheme: "http", User: url.UserPassword(args[1], args[2]), Host: p.Addr}
	ts.Setenv(args[0], u.String())
	ts.Setenv(args[0]+"_ADDR", p.Addr)
	ts.Setenv(args[0]+"_NEXUS", "https://"+net.JoinHostPort("passport.example.com", port)+"/rdr/pprdr.asp")
}

// cmdProxied checks how many tunnels the script's CONNECT proxies opened
// since the last check, and that each went to passport.example.com:
//
//	proxied N
func cmdProxied(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: proxied N")
	}
	want, err := strconv.Atoi(args[0])
	ts.Check(err)
	cp := ts.Value(connectProxyKey{}).(*connectProxies)
	cp.mu.Lock()
	defer cp.mu.Unlock()
	var all []string
	for _, p := range cp.proxies {
		all = append(all, p.Asked()...)
	}
	got := len(all) - cp.counted
	cp.counted = len(all)
	if got != want {
		ts.Fatalf("%d tunnels (of all: %q), want %d", got, all, want)
	}
	for _, a := range all {
		if host, _, _ := net.SplitHostPort(a); host != "passport.example.com" {
			ts.Fatalf("a tunnel to %q", a)
		}
	}
}

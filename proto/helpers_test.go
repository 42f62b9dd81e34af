package proto

import (
	"context"
	"crypto/x509"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"msn/proto/msntest"
	"msn/proto/passport"
	"msn/proto/secret"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// fakePassport is a Passport nexus and login server on a TLS test server.
type fakePassport struct {
	srv      *httptest.Server
	ticket   string
	password string
	nexus    atomic.Int32
	logins   atomic.Int32
}

func newFakePassport(t *testing.T, password, ticket string) *fakePassport {
	t.Helper()
	fp := &fakePassport{ticket: ticket, password: password}
	mux := http.NewServeMux()
	mux.HandleFunc("/rdr/pprdr.asp", func(w http.ResponseWriter, r *http.Request) {
		fp.nexus.Add(1)
		w.Header().Set("PassportURLs", "DALogin="+fp.srv.URL+"/login")
	})
	mux.HandleFunc("/login", func(w http.ResponseWriter, r *http.Request) {
		fp.logins.Add(1)
		if !strings.Contains(r.Header.Get("Authorization"), ",pwd="+fp.password+",") {
			w.Header().Set("WWW-Authenticate", "Passport1.4 da-status=failed")
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("Authentication-Info", fmt.Sprintf("Passport1.4 da-status=success,from-PP='%s'", fp.ticket))
	})
	fp.srv = httptest.NewTLSServer(mux)
	t.Cleanup(fp.srv.Close)
	return fp
}

func (fp *fakePassport) client() *passport.Client {
	pool := x509.NewCertPool()
	pool.AddCert(fp.srv.Certificate())
	c := passport.New(fp.srv.URL+"/rdr/pprdr.asp", pool)
	return c
}

// script loads a golden transcript from testdata.
func script(t *testing.T, name string) *msntest.Script {
	t.Helper()
	s, err := msntest.Load(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// inline parses a transcript written in the test.
func inline(t *testing.T, text string) *msntest.Script {
	t.Helper()
	s, err := msntest.Parse(t.Name(), text)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// checkScripts fails the test for every script that did not run as
// written.
func checkScripts(t *testing.T, d *msntest.Dialer) {
	t.Helper()
	for _, err := range d.Wait() {
		t.Error(err)
	}
}

func password(pw string) func(context.Context) (secret.String, error) {
	return func(context.Context) (secret.String, error) { return secret.New(pw), nil }
}

// testContext bounds one step of a test against a scripted or local
// server: each completes in milliseconds, with room for a loaded machine.
func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	t.Cleanup(cancel)
	return ctx
}

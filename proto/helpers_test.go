package proto

import (
	"crypto/x509"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"go.uber.org/goleak"

	"msn/proto/passport"
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

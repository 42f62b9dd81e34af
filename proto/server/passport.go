package server

import (
	"crypto/subtle"
	"crypto/tls"
	"io"
	"log"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// startHTTPS serves the nexus and the login service. The caller holds s.mu.
func (s *Server) startHTTPS() {
	mux := http.NewServeMux()
	mux.HandleFunc("/rdr/pprdr.asp", s.nexus)
	mux.HandleFunc("/login", s.login)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Content-Length", "0")
		w.WriteHeader(http.StatusNotFound)
	})
	errLog := io.Discard
	if s.cfg.Log != nil {
		errLog = logWriter{s}
	}
	s.httpSrv = &http.Server{
		Handler:           mux,
		TLSConfig:         &tls.Config{Certificates: []tls.Certificate{s.cert}, MinVersion: tls.VersionTLS12},
		ReadHeaderTimeout: 10 * time.Second,
		MaxHeaderBytes:    32 << 10,
		ErrorLog:          log.New(errLog, "", 0),
	}
	ln := tls.NewListener(countedListener{s.httpsLn, &s.stats, kindHTTPS}, s.httpSrv.TLSConfig)
	h := s.httpSrv
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		h.Serve(ln)
	}()
}

// logWriter sends net/http's error log to the wire log.
type logWriter struct{ s *Server }

func (w logWriter) Write(b []byte) (int, error) {
	w.s.logf("[https] %s", strings.TrimRight(string(b), "\n"))
	return len(b), nil
}

func passportHeaders(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", "0")
}

// nexus answers GET /rdr/pprdr.asp with the DALogin address.
func (s *Server) nexus(w http.ResponseWriter, r *http.Request) {
	s.stats.nexus.Add(1)
	s.logf("[https] %s %s", r.Method, r.URL.Path)
	passportHeaders(w)
	w.Header().Set("PassportURLs", "DALogin="+s.LoginURL())
	w.WriteHeader(http.StatusOK)
}

// login checks the Passport1.4 Authorization header and issues a ticket.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	s.stats.login.Add(1)
	passportHeaders(w)
	email, pwd, ok := parsePassportAuth(r.Header.Get("Authorization"))
	s.mu.Lock()
	u := s.users[email]
	ok = ok && u != nil && subtle.ConstantTimeCompare([]byte(pwd), []byte(u.password)) == 1
	var t string
	if ok {
		t = s.issueTicket(u.email)
	}
	s.mu.Unlock()
	if !ok {
		s.logf("[https] %s %s -> 401", r.Method, r.URL.Path)
		w.Header().Set("WWW-Authenticate", "Passport1.4 da-status=failed")
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	s.logf("[https] %s %s sign-in=%s -> 200", r.Method, r.URL.Path, email)
	w.Header().Set("Authentication-Info", "Passport1.4 da-status=success,from-PP='"+t+"'")
	w.WriteHeader(http.StatusOK)
}

// parsePassportAuth extracts sign-in and pwd from a Passport1.4
// Authorization value: comma-separated key=value pairs, percent-encoded.
func parsePassportAuth(h string) (email, pwd string, ok bool) {
	rest, found := strings.CutPrefix(h, "Passport1.4 ")
	if !found {
		return "", "", false
	}
	var haveEmail, havePwd bool
	for _, kv := range strings.Split(rest, ",") {
		k, v, _ := strings.Cut(kv, "=")
		switch strings.TrimSpace(k) {
		case "sign-in":
			d, err := url.PathUnescape(v)
			if err != nil {
				return "", "", false
			}
			email, haveEmail = lower(d), true
		case "pwd":
			d, err := url.PathUnescape(v)
			if err != nil {
				return "", "", false
			}
			pwd, havePwd = d, true
		}
	}
	return email, pwd, haveEmail && havePwd
}

package server

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sync"
	"time"
)

// TicketPolicy says how long a Passport ticket stays valid and whether it
// may be presented more than once.
type TicketPolicy int

const (
	// SingleUse tickets are consumed by the first "USR TWN S" and live
	// 30 seconds, as on the revival servers.
	SingleUse TicketPolicy = iota
	// Reusable tickets live for the configured TicketLife and may be
	// presented any number of times.
	Reusable
)

const (
	singleUseLife     = 30 * time.Second
	defaultTicketLife = 24 * time.Hour
	xfrCookieLife     = 30 * time.Second
	rngCookieLife     = 120 * time.Second
)

// Config configures a Server.
type Config struct {
	Host           string        // listen host, default "127.0.0.1"
	Dispatch       bool          // also run a dispatch server that refers "USR I" to the NS
	Policy         TicketPolicy  // ticket policy, default SingleUse
	TicketLife     time.Duration // life of Reusable tickets, default 24h
	Accounts       []Account     // initial accounts
	Challenge      bool          // send "CHL 0 <digits>" after login and check QRY
	AdvertiseLogin string        // host:port put in DALogin instead of the real HTTPS address
	AdvertiseSB    string        // host:port put in XFR SB and RNG instead of the switchboard's address
	Log            io.Writer     // optional wire log (secrets redacted)
}

// Server is the local MSN world. Create it with New, then Start it.
type Server struct {
	cfg   Config
	caPEM []byte
	cert  tls.Certificate
	now   func() time.Time

	mu      sync.Mutex
	started bool
	closed  bool
	users   map[string]*user
	tickets map[string]ticket
	cookies map[string]sbCookie
	// owned counts the live cookies of each owner; cookiesSwept and
	// ticketsSwept are the table sizes after their last sweeps.
	owned map[string]int
	// signInTimeout is signInTimeout, shorter in tests.
	signInTimeout time.Duration
	cookiesSwept  int
	ticketsSwept  int
	conns         map[*conn]struct{}
	nsLn          net.Listener
	sbLn          net.Listener
	dsLn          net.Listener
	httpsLn       net.Listener
	httpSrv       *http.Server
	wg            sync.WaitGroup
	logMu         sync.Mutex
	stats         serverStats
	httpAddr      string
}

// New builds a server from cfg: it checks the accounts and makes a
// self-signed CA (ECDSA P-256) and a certificate for the host.
func New(cfg Config) (*Server, error) {
	if cfg.Host == "" {
		cfg.Host = "127.0.0.1"
	}
	if cfg.TicketLife <= 0 {
		cfg.TicketLife = defaultTicketLife
	}
	s := &Server{
		cfg:           cfg,
		now:           time.Now,
		users:         map[string]*user{},
		tickets:       map[string]ticket{},
		cookies:       map[string]sbCookie{},
		owned:         map[string]int{},
		signInTimeout: signInTimeout,
		conns:         map[*conn]struct{}{},
	}
	var err error
	s.caPEM, s.cert, err = makeCerts(cfg.Host, cfg.AdvertiseLogin)
	if err != nil {
		return nil, err
	}
	accts := make([]Account, len(cfg.Accounts))
	for i, a := range cfg.Accounts {
		a.Contacts = append([]string(nil), a.Contacts...)
		if err := a.check(); err != nil {
			return nil, err
		}
		if _, dup := s.users[a.Email]; dup {
			return nil, fmt.Errorf("server: account %s listed twice", a.Email)
		}
		s.newUser(a)
		accts[i] = a
	}
	for _, a := range accts {
		for _, c := range a.Contacts {
			if o := s.users[c]; o != nil {
				linkContacts(s.users[a.Email], o)
			}
		}
	}
	return s, nil
}

// Start opens the listeners on Host with system-chosen ports (notification
// server, switchboard, HTTPS and, with Config.Dispatch, dispatch server) and
// starts serving.
func (s *Server) Start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return errors.New("server: closed")
	}
	if s.started {
		return errors.New("server: already started")
	}
	var lns []net.Listener
	listen := func() (net.Listener, error) {
		ln, err := net.Listen("tcp", net.JoinHostPort(s.cfg.Host, "0"))
		if err != nil {
			for _, l := range lns {
				l.Close()
			}
			return nil, fmt.Errorf("server: %w", err)
		}
		lns = append(lns, ln)
		return ln, nil
	}
	var err error
	if s.nsLn, err = listen(); err != nil {
		return err
	}
	if s.sbLn, err = listen(); err != nil {
		return err
	}
	if s.httpsLn, err = listen(); err != nil {
		return err
	}
	if s.cfg.Dispatch {
		if s.dsLn, err = listen(); err != nil {
			return err
		}
	}
	s.httpAddr = advertise(s.httpsLn.Addr(), s.httpsLn)
	s.started = true
	s.startHTTPS()
	s.serveListener(s.nsLn, roleNS)
	s.serveListener(s.sbLn, roleSB)
	if s.dsLn != nil {
		s.serveListener(s.dsLn, roleDS)
	}
	return nil
}

// Close stops every listener and connection and waits for all goroutines
// of the server to return. It is safe to call more than once.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		s.wg.Wait()
		return nil
	}
	s.closed = true
	for _, ln := range []net.Listener{s.nsLn, s.sbLn, s.dsLn} {
		if ln != nil {
			ln.Close()
		}
	}
	for c := range s.conns {
		c.shutdown()
	}
	h := s.httpSrv
	s.mu.Unlock()
	if h != nil {
		h.Close()
	}
	s.wg.Wait()
	return nil
}

// NSAddr returns the notification server's host:port ("" before Start).
func (s *Server) NSAddr() string { return lnAddr(s.nsLn) }

// sbAdvertised is the switchboard address told to a client connected
// through local.
func (s *Server) sbAdvertised(local net.Addr) string {
	if s.cfg.AdvertiseSB != "" {
		return s.cfg.AdvertiseSB
	}
	return advertise(local, s.sbLn)
}

// SBAddr returns the switchboard's host:port ("" before Start).
func (s *Server) SBAddr() string { return lnAddr(s.sbLn) }

// DSAddr returns the dispatch server's host:port, "" without Config.Dispatch.
func (s *Server) DSAddr() string { return lnAddr(s.dsLn) }

// NexusURL returns the Passport nexus URL (https://host:port/rdr/pprdr.asp).
func (s *Server) NexusURL() string { return "https://" + s.httpAddr + "/rdr/pprdr.asp" }

// LoginURL returns the DALogin URL the nexus advertises.
func (s *Server) LoginURL() string {
	host := s.httpAddr
	if s.cfg.AdvertiseLogin != "" {
		host = s.cfg.AdvertiseLogin
	}
	return "https://" + host + "/login"
}

// CACertPEM returns the PEM-encoded certificate of the server's CA.
func (s *Server) CACertPEM() []byte { return append([]byte(nil), s.caPEM...) }

// WriteCA writes the CA certificate (PEM) to path.
func (s *Server) WriteCA(path string) error {
	if err := os.WriteFile(path, s.caPEM, 0o644); err != nil {
		return fmt.Errorf("server: %w", err)
	}
	return nil
}

// SetPolicy changes the ticket policy for tickets issued from now on; a
// life of zero or less means 24 hours.
func (s *Server) SetPolicy(p TicketPolicy, life time.Duration) {
	if life <= 0 {
		life = defaultTicketLife
	}
	s.mu.Lock()
	s.cfg.Policy, s.cfg.TicketLife = p, life
	s.mu.Unlock()
}

// Online reports whether email has a signed-in notification session.
func (s *Server) Online(email string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.users[lower(email)]
	return u != nil && u.ns != nil
}

// Kick signs email out with "OUT SSD" (server shutting down) and closes its
// notification connection. It reports whether a session was found.
func (s *Server) Kick(email string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.users[lower(email)]
	if u == nil || u.ns == nil {
		return false
	}
	n := u.ns
	s.signOff(n)
	n.sendLast("OUT SSD")
	return true
}

func lnAddr(ln net.Listener) string {
	if ln == nil {
		return ""
	}
	return ln.Addr().String()
}

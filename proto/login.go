package proto

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"msn/proto/internal/engine"
	"msn/proto/passport"
	"msn/proto/secret"
)

// maxReferrals bounds the XFR NS hops of one login.
const maxReferrals = 3

// Client version reports sent in CVR, as MSN Messenger 5.0 and 4.7 sent
// them.
const (
	cvrMSNP8 = "0x0409 win 4.10 i386 MSNMSGR 5.0.0544 MSMSGS"
	cvrMSNP7 = "0x0409 win 4.10 i386 MSNMSGR 4.7.2009 MSMSGS"
)

// LoginConfig says where and how to sign in.
type LoginConfig struct {
	// Server is the dispatch or notification server, host:port.
	Server string
	// Email is the account's sign-in name.
	Email string
	// Protocol is MSNP8 (the default) or MSNP7, which sends an MD5 hash
	// of the password over plain TCP and is used only when asked for.
	Protocol Protocol
	// Ticket is a cached Passport ticket to try before asking Passport
	// for a new one (MSNP8).
	Ticket secret.String
	// Password returns the password; it is called only when needed. Nil
	// means there is no password source.
	Password func(ctx context.Context) (secret.String, error)
	// Passport signs in to Passport (MSNP8).
	Passport *passport.Client
	// Options configures the notification connection.
	Options Options
}

// LoginResult describes a successful sign-in.
type LoginResult struct {
	// NS is the signed-in notification connection; the caller closes it.
	NS *Notification
	// NSAddr is the notification server reached after referrals.
	NSAddr string
	// Handle and FriendlyName are the account as the server knows it.
	Handle, FriendlyName string
	// Verified reports whether the server says the e-mail is verified.
	Verified bool
	// Ticket is the Passport ticket that worked (MSNP8).
	Ticket secret.String
	// Fresh reports whether Ticket came from Passport during this login.
	Fresh bool
	// CachedRejected reports that the cached ticket was refused and a
	// fresh one was used instead.
	CachedRejected bool
}

// Login signs in: the optional dispatch hop, version negotiation,
// authentication (Passport for MSNP8, MD5 for MSNP7), following at most
// three referrals. VER, CVR and USR go out in one write, and Passport is
// contacted while the notification server answers. A cached ticket is
// tried first; when the server refuses it, Login signs in to Passport
// exactly once more, if a password source exists. An address that
// CheckAccount refuses is ErrInvalidArgument before anything is dialled.
func Login(ctx context.Context, cfg LoginConfig) (*LoginResult, error) {
	if cfg.Protocol == "" {
		cfg.Protocol = MSNP8
	}
	if cfg.Protocol != MSNP8 && cfg.Protocol != MSNP7 {
		return nil, fmt.Errorf("proto: unknown protocol %q", cfg.Protocol)
	}
	if !engine.ValidArg(cfg.Email) || !strings.Contains(cfg.Email, "@") {
		return nil, fmt.Errorf("%w: %q is not an e-mail address", ErrInvalidArgument, engine.EscapeForError(cfg.Email))
	}
	if err := CheckAccount(cfg.Email); err != nil {
		return nil, err
	}
	if cfg.Protocol == MSNP8 && cfg.Passport == nil {
		return nil, errors.New("proto: MSNP8 login needs a Passport client")
	}
	server, err := NormalizeAddr(cfg.Server)
	if err != nil {
		return nil, err
	}
	l := &login{cfg: cfg, policy: newReferralPolicy(server, cfg.Options.AllowPrivate)}
	if cfg.Protocol == MSNP8 && cfg.Ticket.Empty() {
		l.preparePassport(ctx)
	}
	defer l.waitPassport()

	res, err := l.run(ctx, server, cfg.Ticket)
	if err != nil && !cfg.Ticket.Empty() && errors.Is(err, ErrAuthFailed) && cfg.Password != nil {
		l.debugNote("cached ticket refused; signing in to Passport again")
		res, err = l.run(ctx, l.lastAddr, secret.String{})
		if res != nil {
			res.CachedRejected = true
		}
	}
	return res, err
}

// login is the state of one Login.
type login struct {
	cfg      LoginConfig
	policy   ReferralPolicy
	lastAddr string
	prep     chan struct{}
	password *secret.String
}

// run signs in at addr, following referrals.
func (l *login) run(ctx context.Context, addr string, ticket secret.String) (*LoginResult, error) {
	for hop := 0; ; hop++ {
		l.lastAddr = addr
		res, next, err := l.once(ctx, addr, ticket)
		if err != nil || next == "" {
			return res, err
		}
		if hop == maxReferrals {
			return nil, protocolErrorf("more than %d referrals", maxReferrals)
		}
		if addr, err = l.policy.Check(next); err != nil {
			return nil, err
		}
	}
}

// once runs the handshake on one server. It returns the referral address
// when the server sends the client elsewhere.
func (l *login) once(ctx context.Context, addr string, ticket secret.String) (*LoginResult, string, error) {
	nc, err := l.cfg.Options.DialAddr(ctx, addr)
	if err != nil {
		return nil, "", fmt.Errorf("proto: connect to %s: %w", addr, err)
	}
	n := newNotification(nc, l.cfg.Protocol, l.cfg.Options, l.policy)
	res, next, err := l.handshake(ctx, n, ticket)
	if err != nil || next != "" {
		n.Close()
		return nil, next, err
	}
	res.NS, res.NSAddr = n, addr
	n.handle = res.Handle
	n.startKeepAlive()
	return res, "", nil
}

// handshake negotiates the version and authenticates on n.
func (l *login) handshake(ctx context.Context, n *Notification, ticket secret.String) (*LoginResult, string, error) {
	p := l.cfg.Protocol
	cvr, scheme := cvrMSNP8, "TWN"
	if p == MSNP7 {
		cvr, scheme = cvrMSNP7, "MD5"
	}
	calls := []*engine.Call{
		n.c.NewCall(&Command{Verb: "VER", Args: []string{string(p), "CVR0"}}, nil),
		n.c.NewCall(&Command{Verb: "CVR", Args: append(strings.Fields(cvr), l.cfg.Email)}, nil),
		n.c.NewCall(&Command{Verb: "USR", Args: []string{scheme, "I", l.cfg.Email}},
			func(c *Command) bool { return c.Verb == "USR" || c.Verb == "XFR" }),
	}
	// A cached ticket does not depend on the challenge, so it goes out in
	// the same write; servers answer in order.
	cached := p == MSNP8 && !ticket.Empty()
	if cached {
		if !engine.ValidArg(ticket.Reveal()) {
			return nil, "", fmt.Errorf("%w: the cached ticket holds characters that cannot be sent", ErrAuthFailed)
		}
		calls = append(calls, n.c.NewCall(&Command{Verb: "USR", Args: []string{scheme, "S", ticket.Reveal()}}, nil))
	}
	n.c.Issue(ctx, calls)
	if err := checkVersion(ctx, calls[0], p); err != nil {
		return nil, "", err
	}
	if _, err := calls[1].Wait(ctx); err != nil {
		return nil, "", err
	}
	reply, err := calls[2].Wait(ctx)
	if err != nil {
		var se *ServerError
		if p == MSNP7 && errors.As(err, &se) && (errors.Is(se, ErrAuthFailed) || errors.Is(se, ErrUnknownUser)) {
			// 911 (or an unknown-user code) before any credential:
			// the server knows no such account, or the account has
			// no MD5 password.
			return nil, "", &MD5AccountError{Email: l.cfg.Email, Code: se.Code}
		}
		return nil, "", err
	}
	if reply.Verb == "XFR" {
		if reply.Arg(0) != "NS" || reply.Arg(1) == "" {
			return nil, "", protocolErrorf("malformed referral")
		}
		l.debugNote("referred to %s", reply.Arg(1))
		return nil, reply.Arg(1), nil
	}
	if len(reply.Args) != 3 || reply.Args[0] != scheme || reply.Args[1] != "S" {
		return nil, "", protocolErrorf("unexpected reply to USR %s I", scheme)
	}
	var ok *Command
	fresh := false
	if cached {
		ok, err = calls[3].Wait(ctx)
	} else {
		var cred secret.String
		if p == MSNP7 {
			pw, perr := l.getPassword(ctx)
			if perr != nil {
				return nil, "", perr
			}
			cred = secret.New(md5Response(reply.Args[2], pw.Reveal()))
		} else {
			if ticket, err = l.passportLogin(ctx, reply.Args[2]); err != nil {
				return nil, "", err
			}
			if !engine.ValidArg(ticket.Reveal()) {
				return nil, "", fmt.Errorf("%w: the ticket holds characters that cannot be sent", ErrAuthFailed)
			}
			cred, fresh = ticket, true
		}
		ok, err = n.c.Call(ctx, &Command{Verb: "USR", Args: []string{scheme, "S", cred.Reveal()}})
	}
	if err != nil {
		return nil, "", err
	}
	res, err := parseLoginOK(ok)
	if err != nil {
		return nil, "", err
	}
	if p == MSNP8 {
		res.Ticket, res.Fresh = ticket, fresh
	}
	return res, "", nil
}

// checkVersion waits for the VER reply and checks that the server chose
// the version offered.
func checkVersion(ctx context.Context, call *engine.Call, want Protocol) error {
	reply, err := call.Wait(ctx)
	if err != nil {
		return err
	}
	if reply.Arg(0) == string(want) {
		return nil
	}
	return &VersionError{Offered: want, MSNP7Only: want == MSNP8 && offersMSNP7(reply.Args)}
}

// offersMSNP7 reports whether a VER reply chose or lists MSNP7 and not
// MSNP8.
func offersMSNP7(args []string) bool {
	has7, has8 := false, false
	for _, a := range args {
		has7 = has7 || a == string(MSNP7)
		has8 = has8 || a == string(MSNP8)
	}
	return has7 && !has8
}

// parseLoginOK reads "USR n OK handle name [verified [restricted]]".
func parseLoginOK(reply *Command) (*LoginResult, error) {
	if reply.Arg(0) != "OK" || len(reply.Args) < 3 {
		return nil, protocolErrorf("unexpected reply to USR S")
	}
	return &LoginResult{
		Handle:       reply.Args[1],
		FriendlyName: limitName(decodeName(reply.Args[2])),
		Verified:     reply.Arg(3) != "0",
	}, nil
}

// getPassword asks the password source once per Login.
func (l *login) getPassword(ctx context.Context) (secret.String, error) {
	if l.password != nil {
		return *l.password, nil
	}
	if l.cfg.Password == nil {
		return secret.String{}, ErrNoPassword
	}
	pw, err := l.cfg.Password(ctx)
	if err != nil {
		return secret.String{}, err
	}
	if pw.Empty() {
		return secret.String{}, ErrNoPassword
	}
	l.password = &pw
	return pw, nil
}

func (l *login) debugNote(format string, args ...any) {
	engine.NewTranscript(l.cfg.Options.Debug, "login").Note(format, args...)
}

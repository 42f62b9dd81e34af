package commands

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"msn/commands/progress"
	"msn/commands/session"
	"msn/proto/msnftp"
	"msn/proto/switchboard"
)

// defaultOfferWait is how long sendfile waits for the recipient to answer
// the offer, and then to connect: a person may be answering.
const defaultOfferWait = 2 * time.Minute

// sendfileOptions are the inputs of msn sendfile.
type sendfileOptions struct {
	To, Path      string
	Wait          time.Duration
	WaitOnline    time.Duration
	Listen        string     // HOST:PORT to listen on; "" for the default
	PublicAddress netip.Addr // the address to advertise; invalid for the default
	Session       sessionOptions

	// deadlines are the transfer's deadlines; the zero value means the
	// defaults, and tests shorten them.
	deadlines msnftp.Options
}

// sendfileCommand returns msn sendfile.
func sendfileCommand(env *Env) *cli.Command {
	return &cli.Command{
		Name:      "sendfile",
		Usage:     "send a file to a contact (MSNFTP)",
		ArgsUsage: "TO FILE",
		Description: "Offers FILE to TO in a conversation, waits up to --wait for them to accept, then " +
			"listens for their connection and sends the file directly to them (MSNFTP, peer to peer). The " +
			"address advertised is --public-address, else the local address of the connection to the " +
			"server; the port is --listen's, else any free one. The listening socket takes one transfer and " +
			"closes. The exit status is 0 only when the receiver confirmed every byte; 69 when they declined, " +
			"are offline or left; 75 when they did not answer or connect within --wait, the transfer " +
			"stalled, or the connection broke before the data began; 74 when the transfer broke off once " +
			"the data flowed, or was cancelled; 77 when a connection presented a " +
			"wrong auth cookie. MSNFTP cannot resume: a broken transfer starts again from the beginning. " +
			"A progress line shows on stderr when it is a terminal (not with --quiet or --json).",
		Flags: append(passwordFlags(),
			&cli.DurationFlag{Name: "wait", Value: defaultOfferWait, Usage: "wait up to DURATION for the recipient to accept, and again for them to connect"},
			&cli.DurationFlag{Name: "wait-online", Usage: "wait up to DURATION for an offline recipient to come online"},
			&cli.StringFlag{Name: "listen", Usage: "listen for the recipient on HOST:PORT (default: the address of the server connection, any port)"},
			&cli.StringFlag{Name: "public-address", Usage: "advertise the IP address ADDR to the recipient (behind NAT: your public address)"},
		),
		Action: func(c *cli.Context) error {
			opts, err := sendfileOptionsOf(c)
			if err != nil {
				return err
			}
			return runSendfile(c.Context, env, opts)
		},
	}
}

// sendfileOptionsOf reads the flags and arguments of msn sendfile.
func sendfileOptionsOf(c *cli.Context) (sendfileOptions, error) {
	if c.NArg() != 2 {
		if err := argsAtMost(c, 2); err != nil {
			return sendfileOptions{}, err
		}
		return sendfileOptions{}, &codedError{code: ExUsage, err: errors.New("sendfile: want TO and FILE"), hint: "msn sendfile EMAIL FILE"}
	}
	src, err := passwordSourcesOf(c)
	if err != nil {
		return sendfileOptions{}, err
	}
	opts := sendfileOptions{
		To: strings.TrimSpace(c.Args().Get(0)), Path: c.Args().Get(1),
		Wait: c.Duration("wait"), WaitOnline: c.Duration("wait-online"), Listen: c.String("listen"),
		Session: sessionOptions{Password: src},
	}
	if err := checkAccount(opts.To); err != nil {
		return opts, err
	}
	if opts.Wait <= 0 || opts.WaitOnline < 0 {
		return opts, usageErrorf("sendfile: --wait must be positive and --wait-online not negative")
	}
	if opts.Listen != "" {
		if _, _, err := net.SplitHostPort(opts.Listen); err != nil {
			return opts, usageErrorf("sendfile: --listen %q: want HOST:PORT", opts.Listen)
		}
	}
	if a := c.String("public-address"); a != "" {
		ip, err := netip.ParseAddr(a)
		if err != nil || ip.IsUnspecified() || ip.Zone() != "" {
			return opts, usageErrorf("sendfile: --public-address %q: want an IP address", a)
		}
		opts.PublicAddress = ip
	}
	return opts, nil
}

// runSendfile offers the file, and sends it once accepted.
func runSendfile(ctx context.Context, env *Env, opts sendfileOptions) error {
	f, size, err := openSendFile(opts.Path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, account, err := env.storeAndAccount("")
	if err != nil {
		return err
	}
	if strings.EqualFold(opts.To, account) {
		return usageErrorf("sendfile: %s is the account itself", opts.To)
	}
	cv, err := newConversation(ctx, env, account, sendOptions{Recipients: []string{opts.To}, WaitOnline: opts.WaitOnline, Session: opts.Session})
	if err != nil {
		return err
	}
	defer cv.close()
	// Opening the conversation takes the --timeout budget; the offer
	// then waits for --wait, and the transfer runs while data flows.
	octx, cancel := env.budget(ctx, opts.WaitOnline)
	_, err = cv.open(octx)
	cancel()
	if err != nil {
		return cv.result(err)
	}
	send := &fileSend{env: env, opts: opts, sb: cv.sb(), ns: cv.caller.Session().NS(), file: f, size: size, name: filepath.Base(opts.Path)}
	start := time.Now()
	if err := send.run(ctx); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return transferFailure("sendfile", opts.To, err)
	}
	return send.report(account, time.Since(start))
}

// openSendFile opens the regular file at path and returns its size.
func openSendFile(path string) (*os.File, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, withCode(ExNoInput, fmt.Errorf("sendfile: %w", err))
	}
	st, err := f.Stat()
	if err == nil && !st.Mode().IsRegular() {
		err = fmt.Errorf("%s is not a regular file", path)
	}
	if err != nil {
		f.Close()
		return nil, 0, withCode(ExNoInput, fmt.Errorf("sendfile: %w", err))
	}
	return f, st.Size(), nil
}

// fileSend is one offer and its transfer.
type fileSend struct {
	env  *Env
	opts sendfileOptions
	sb   *switchboard.Switchboard
	ns   session.Server
	file *os.File
	size int64
	name string
	sent progress.Counter
}

// run offers the file, waits for the answer, and sends the file.
func (s *fileSend) run(ctx context.Context) error {
	o, err := s.sb.OfferFile(ctx, s.opts.To, s.name, s.size)
	if err != nil {
		return err
	}
	defer o.Close()
	wctx, cancel := context.WithTimeout(ctx, s.opts.Wait)
	_, err = o.Wait(wctx)
	cancel()
	if err != nil {
		if ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
			s.cancelOffer(o, switchboard.CancelTimeout)
			return &transferError{code: ExTempFail, err: err,
				what: fmt.Sprintf("sendfile: %s did not answer the offer within --wait %s", escapeDisplay(s.opts.To), s.opts.Wait)}
		}
		if ctx.Err() != nil {
			s.cancelOffer(o, switchboard.CancelTimeout)
		}
		return err
	}
	ln, ip, err := s.listen()
	if err != nil {
		s.cancelOffer(o, switchboard.CancelFTTimeout)
		return err
	}
	defer ln.Close()
	if err := s.transfer(ctx, o, ln, ip); err != nil {
		var ce *switchboard.CancelError
		if !errors.As(err, &ce) {
			s.cancelOffer(o, switchboard.CancelFTTimeout)
		}
		return err
	}
	return nil
}

// transfer sends the address, then the file to the first connection that
// authenticates. A CANCEL from the receiver (it could not connect) stops
// the wait at once.
func (s *fileSend) transfer(ctx context.Context, o *switchboard.Offer, ln *net.TCPListener, ip netip.Addr) error {
	cookie, err := msnftp.NewCookie()
	if err != nil {
		return err
	}
	port := uint16(ln.Addr().(*net.TCPAddr).Port)
	if err := o.SendAddress(ctx, ip, port, cookie); err != nil {
		return err
	}
	_ = ln.SetDeadline(time.Now().Add(s.opts.Wait))
	tctx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		var ce *switchboard.CancelError
		if _, err := o.Wait(tctx); errors.As(err, &ce) {
			stop(err)
		}
	}()
	done := s.env.showProgress(s.name, s.size, &s.sent)
	t := msnftp.Transfer{Handle: s.opts.To, Cookie: cookie, Size: s.size}
	opts := s.opts.deadlines
	opts.Progress = s.sent.Add
	err = msnftp.Send(tctx, ln, t, s.file, opts)
	done()
	stop(nil)
	<-watched
	if cause := context.Cause(tctx); err != nil && ctx.Err() == nil && cause != nil && !errors.Is(cause, context.Canceled) {
		return cause
	}
	if err != nil && isTimeout(err) && !errors.Is(err, msnftp.ErrTimeout) {
		return &transferError{code: ExTempFail, err: err,
			what: fmt.Sprintf("sendfile: %s did not connect to %s within --wait %s", escapeDisplay(s.opts.To), net.JoinHostPort(ip.String(), fmt.Sprint(port)), s.opts.Wait),
			hint: "use --public-address or --listen with an address they can reach"}
	}
	return err
}

// listen opens the listening socket and chooses the address to
// advertise: --public-address, else the socket's own address when it is
// a specific one, else the local address of the notification connection;
// never an unspecified one.
func (s *fileSend) listen() (*net.TCPListener, netip.Addr, error) {
	local := localIP(s.ns.LocalAddr())
	addr := s.opts.Listen
	if addr == "" {
		if !local.IsValid() {
			return nil, netip.Addr{}, configErrorf("sendfile: cannot tell the local address; use --listen HOST:PORT and --public-address")
		}
		addr = net.JoinHostPort(local.String(), "0")
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, netip.Addr{}, withCode(ExConfig, fmt.Errorf("sendfile: listen on %s: %w", addr, err))
	}
	ln := l.(*net.TCPListener)
	ip := s.opts.PublicAddress
	if !ip.IsValid() {
		if bound := localIP(ln.Addr()); bound.IsValid() && !bound.IsUnspecified() {
			ip = bound
		} else {
			ip = local
		}
	}
	if !ip.IsValid() || ip.IsUnspecified() {
		ln.Close()
		return nil, netip.Addr{}, configErrorf("sendfile: no address to advertise; use --public-address")
	}
	return ln, ip, nil
}

// localIP returns the IP of a TCP address, or the zero Addr.
func localIP(a net.Addr) netip.Addr {
	if ta, ok := a.(*net.TCPAddr); ok {
		if ip, ok := netip.AddrFromSlice(ta.IP); ok {
			return ip.Unmap()
		}
	}
	return netip.Addr{}
}

// cancelOffer tells the recipient the offer or transfer is off, briefly.
func (s *fileSend) cancelOffer(o *switchboard.Offer, code switchboard.CancelCode) {
	ctx, cancel := context.WithTimeout(context.Background(), session.GoodbyeWait)
	defer cancel()
	_ = o.Cancel(ctx, code)
}

// report prints the outcome of a transfer the receiver confirmed.
func (s *fileSend) report(account string, took time.Duration) error {
	if s.env.opts.JSON {
		return s.env.printJSON(map[string]any{
			"type": "file-sent", "time": timestamp(time.Now()), "account": account, "peer": s.opts.To,
			"file": s.name, "size": s.size, "seconds": took.Seconds(),
		})
	}
	if s.env.opts.Quiet {
		return nil
	}
	_, err := fmt.Fprintf(s.env.Stdout, "sent %s to %s (%d bytes)\n", escapeDisplay(s.name), s.opts.To, s.size)
	return err
}

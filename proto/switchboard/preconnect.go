package switchboard

import (
	"context"
	"net"
)

// Predictor is a Notifier that knows where the next switchboard most
// likely is: a server usually refers every conversation to the same
// switchboard address. Open then connects there while it waits for the
// referral, which saves the connect's round trip when the guess is
// right; a wrong guess costs an unused connection and nothing else.
type Predictor interface {
	// PredictSwitchboard returns the likely address, or "" for none.
	PredictSwitchboard() string
}

// preconnect is a connection to a predicted switchboard, being opened.
type preconnect struct {
	addr string
	done chan preconnected // receives the one result
}

// preconnected is the result of a preconnect.
type preconnected struct {
	nc  net.Conn
	err error
}

// startPreconnect connects to ns's predicted switchboard on a goroutine
// of its own, which ends with the connect (bounded by ctx and the dial
// timeout); nil when there is no prediction, or the policy refuses it.
func startPreconnect(ctx context.Context, ns Notifier) *preconnect {
	p, ok := ns.(Predictor)
	if !ok {
		return nil
	}
	addr, err := ns.ReferralPolicy().Check(p.PredictSwitchboard())
	if err != nil || addr == "" {
		return nil
	}
	pc := &preconnect{addr: addr, done: make(chan preconnected, 1)}
	go func() {
		nc, err := ns.Dial(ctx, addr)
		pc.done <- preconnected{nc: nc, err: err}
	}()
	return pc
}

// take returns the connection when it went to addr and succeeded;
// otherwise it closes it, once it is made, and returns nil. A nil
// preconnect takes nothing.
func (pc *preconnect) take(addr string) net.Conn {
	if pc == nil {
		return nil
	}
	if addr == pc.addr {
		if r := <-pc.done; r.err == nil {
			return r.nc
		}
		return nil
	}
	pc.discard()
	return nil
}

// discard closes the connection once it is made, without waiting for
// it.
func (pc *preconnect) discard() {
	if pc == nil {
		return
	}
	go func() {
		if r := <-pc.done; r.nc != nil {
			r.nc.Close()
		}
	}()
}

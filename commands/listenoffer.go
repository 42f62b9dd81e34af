package commands

import (
	"context"
	"fmt"
	"time"

	"msn/proto/switchboard"
)

// declineOffer answers a file offer for listen, on the conversation's
// goroutine: it declines the offer unless --keep-offers (whoever sent
// it: listen takes no files), and passes it to the loop, which shows it
// when --from lets it through.
func (l *listener) declineOffer(ctx context.Context, conv string, sb *switchboard.Switchboard, inv *switchboard.Invitation) {
	if !l.opts.KeepOffers {
		ctx, cancel := context.WithTimeout(ctx, l.env.opts.Timeout)
		err := sb.CancelInvitation(ctx, inv, switchboard.CancelReject)
		cancel()
		if err != nil {
			l.push(listenEvent{warn: fmt.Sprintf("listen: cannot decline the file offer of %s: %v", escapeDisplay(inv.From), err)})
		}
	}
	l.push(listenEvent{conv: conv, ev: inv})
}

// fileOffer counts and shows a file offer from a wanted sender:
// "FROM: [file offer NAME, SIZE bytes, declined]", or one JSON object of
// type file-offer.
func (l *listener) fileOffer(ctx context.Context, conv string, inv *switchboard.Invitation) error {
	if !l.wanted(inv.From) {
		return nil
	}
	l.got++
	answer := "declined"
	if l.opts.KeepOffers {
		answer = "not answered"
	}
	if l.env.opts.JSON {
		obj := map[string]any{
			"type": "file-offer", "time": timestamp(time.Now()), "account": l.account,
			"from": inv.From, "name": inv.FromName, "conversation": conv,
			"file": inv.File, "declined": !l.opts.KeepOffers,
		}
		if inv.Size >= 0 {
			obj["size"] = inv.Size
		}
		return l.env.printJSON(obj)
	}
	size := "unknown size"
	if inv.Size >= 0 {
		size = fmt.Sprintf("%d bytes", inv.Size)
	}
	_, err := fmt.Fprintf(l.env.Stdout, "%s: [file offer %s, %s, %s]\n", escapeDisplay(inv.From), quoteDisplay(inv.File), size, answer)
	return err
}

package commands

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"msn/proto"
	"msn/proto/switchboard"
)

// demoFileSize is the size of the file the demo sends.
const demoFileSize = 4 << 20

// file has alice send bob a file of random bytes through sendfile's
// code, in the conversation they share, while bob takes it through
// recvfile's with --sha256; the digest bob computed while writing must
// equal the one of the bytes alice sent.
func (d *demo) file(ctx context.Context, sa *switchboard.Switchboard, aliceNS *proto.Notification, sb *switchboard.Switchboard, bobIn *demoInbox) error {
	dir, err := os.MkdirTemp("", "msn-demo-")
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	defer os.RemoveAll(dir)
	data := make([]byte, demoFileSize)
	_, _ = rand.Read(data)
	sent := sha256.Sum256(data)
	src := filepath.Join(dir, "photo.jpg")
	if err := os.WriteFile(src, data, 0o600); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	inbox := filepath.Join(dir, "inbox")
	if err := os.Mkdir(inbox, 0o700); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	f, size, err := openSendFile(src)
	if err != nil {
		return err
	}
	defer f.Close()
	// The steps are the demo's output: no progress line.
	quiet := &Env{Stdout: io.Discard, Stderr: io.Discard, opts: d.env.opts}
	quiet.opts.Quiet = true
	send := &fileSend{env: quiet, opts: sendfileOptions{To: demoAccount("bob").Email, Wait: d.env.opts.Timeout},
		sb: sa, ns: aliceNS, file: f, size: size, name: filepath.Base(src)}
	recv := &fileReceiver{env: quiet, opts: recvfileOptions{Dir: inbox, MaxSize: size, SHA256: true}}
	got := make(chan *receivedFile, 1)
	go func() {
		res := &receivedFile{}
		select {
		case inv := <-bobIn.offers:
			res.err = recv.fetch(ctx, sb, inv, res)
		case <-ctx.Done():
			res.err = ctx.Err()
		}
		got <- res
	}()
	start := time.Now()
	serr := send.run(ctx)
	res := <-got
	if err := errors.Join(serr, res.err); err != nil {
		return fmt.Errorf("demo: file transfer: %w", err)
	}
	if res.sha256 != hex.EncodeToString(sent[:]) {
		return fmt.Errorf("demo: bob's SHA-256 %s differs from the file's %x", res.sha256, sent)
	}
	mib := float64(size) / (1 << 20)
	return d.step("alice sent bob %s (%.0f MiB, %.0f MiB/s); bob saved it as %s, SHA-256 %s… matches",
		send.name, mib, mib/time.Since(start).Seconds(), filepath.Base(res.path), res.sha256[:12])
}

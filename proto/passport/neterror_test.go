package passport

import (
	"context"
	"errors"
	"net"
	"net/http"
	"testing"
	"time"

	"msn/proto/secret"
)

func TestDialFailureIsNetError(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	c := New("https://"+addr+"/rdr/pprdr.asp", nil)
	defer c.CloseIdle()
	_, err = c.Login(context.Background(), "a@example.com", secret.New(fakePassword), testChallenge)
	var ne *NetError
	if !errors.As(err, &ne) || !ne.Dial() || ne.Timeout() || ne.Op != "nexus" {
		t.Fatalf("err = %#v", err)
	}
	noLeak(t, err)
}

func TestStalledServerTimesOut(t *testing.T) {
	release := make(chan struct{})
	fs := newFakeServer(t, nexusHandler("login.example.com/login2.srf", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer close(release)
	c := fs.client(t, testNexus)
	c.HTTP.Timeout = 200 * time.Millisecond
	_, err := c.Login(context.Background(), "a@example.com", secret.New(fakePassword), testChallenge)
	var ne *NetError
	if !errors.As(err, &ne) || !ne.Timeout() || ne.Op != "login" {
		t.Fatalf("err = %v", err)
	}
	noLeak(t, err)
}

func TestCancelledContext(t *testing.T) {
	fs := newFakeServer(t, nexusHandler("login.example.com/login2.srf", okLogin))
	c := fs.client(t, testNexus)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.Login(ctx, "a@example.com", secret.New(fakePassword), testChallenge)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
}

func TestCheckRedirectIsManual(t *testing.T) {
	c := New("", nil)
	if err := c.HTTP.CheckRedirect(nil, nil); !errors.Is(err, http.ErrUseLastResponse) {
		t.Fatalf("CheckRedirect = %v", err)
	}
	if c.HTTP.Timeout != 30*time.Second || c.NexusURL != DefaultNexusURL {
		t.Fatalf("client = %+v", c.HTTP)
	}
}

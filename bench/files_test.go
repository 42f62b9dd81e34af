//go:build linux

package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"msn/proto/server"
)

// fileBenchMiB is the default size of the file the file benchmarks move;
// MSN_BENCH_FILE_MIB changes it.
const fileBenchMiB = 1024

// fileStep bounds one transfer of a file benchmark, whatever its size
// (at 10 MB/s a 1 GiB file takes under two minutes).
const fileStep = 3 * time.Minute

// BenchmarkFileTransfer moves one file over loopback two ways in every
// iteration, in alternating order: a plain TCP copy between two plaincopy
// processes (256 KiB reads from the file, 256 KiB writes to the socket; the
// receiver writes 256 KiB at a time into a temporary file in the target
// directory, syncs it, closes it, renames it and syncs the directory), and
// a real `msn recvfile --count 1` and `msn sendfile` pair of processes
// against a proto/server on loopback. Both pairs are processes so that
// they get the same share of a busy machine. Source and targets are on
// /dev/shm (a tmpfs) when it is there, so that the disk is not the limit.
//
// The msn time is the one recvfile reports (--json "seconds": from the
// offer to the synced, linked file), and the command time that of the
// whole sendfile process, sign-in included. It reports both rates, their
// ratio (msn/plain, the median of the iterations' ratios), the CPU time
// (user and system) of each process per GiB, which a busy machine
// disturbs less than the rates (msn's includes its sign-in), and the peak
// RSS of each msn process (the largest over the iterations).
//
//	go test -run '^$' -bench 'FileTransfer$' -benchtime 8x ./bench
//	MSN_BENCH_FILE_MIB=64 go test -run '^$' -bench 'FileTransfer$' -benchtime 3x ./bench
func BenchmarkFileTransfer(b *testing.B) {
	fw := newFileWorld(b)
	var plain, msn, cmd, plainSendCPU, plainRecvCPU, sendCPU, recvCPU time.Duration
	var ratios []float64
	var sendRSS, recvRSS int64
	for i := 0; b.Loop(); i++ {
		var p plainRun
		var r msnRun
		if i%2 == 0 {
			p = fw.plainCopy(b)
			r = fw.msnTransfer(b, nil)
		} else {
			r = fw.msnTransfer(b, nil)
			p = fw.plainCopy(b)
		}
		plain += p.took
		plainSendCPU += p.sendCPU
		plainRecvCPU += p.recvCPU
		msn += r.took
		sendCPU += r.sendCPU
		recvCPU += r.recvCPU
		cmd += r.wall
		ratios = append(ratios, p.took.Seconds()/r.took.Seconds())
		sendRSS, recvRSS = max(sendRSS, r.sendRSS), max(recvRSS, r.recvRSS)
	}
	gib := float64(fw.size) * float64(b.N) / (1 << 30)
	b.ReportMetric(fw.rate(plain, b.N), "plain-MB/s")
	b.ReportMetric(fw.rate(msn, b.N), "msn-MB/s")
	b.ReportMetric(fw.rate(cmd, b.N), "msn-command-MB/s")
	b.ReportMetric(median(ratios), "msn/plain")
	b.ReportMetric(plainSendCPU.Seconds()/gib, "plain-send-CPU-s/GiB")
	b.ReportMetric(plainRecvCPU.Seconds()/gib, "plain-recv-CPU-s/GiB")
	b.ReportMetric(sendCPU.Seconds()/gib, "sendfile-CPU-s/GiB")
	b.ReportMetric(recvCPU.Seconds()/gib, "recvfile-CPU-s/GiB")
	b.ReportMetric(float64(sendRSS)/(1<<20), "sendfile-RSS-MiB")
	b.ReportMetric(float64(recvRSS)/(1<<20), "recvfile-RSS-MiB")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkFileTransferBar measures what sendfile's progress line costs a
// whole-process transfer. Every iteration runs three msn transfers in
// rotating order: one with sendfile's stderr on a pseudo-terminal (80
// columns, read by the test), so that it draws its progress line, and two
// with stderr in a buffer, so that it draws none. It reports the medians
// over the iterations of bar/none and of none/none (the second run without
// the line is the control: its distance from 1 is the machine's noise),
// each as a rate ratio (above 1: faster than the first run without), and
// the same medians of sendfile's CPU time (user and system) as a ratio of
// costs (above 1: dearer than the first run without).
//
//	go test -run '^$' -bench 'FileTransferBar' -benchtime 30x ./bench
func BenchmarkFileTransferBar(b *testing.B) {
	fw := newFileWorld(b)
	master, slave := openPTY(b)
	drained := make(chan int64, 1)
	go func() { // the terminal's reader; it ends when the terminal closes
		n, _ := io.Copy(io.Discard, master)
		drained <- n
	}()
	terms := []*os.File{slave, nil, nil} // bar, none, control
	var total [3]time.Duration
	var barRatio, controlRatio, barCPU, controlCPU []float64
	for i := 0; b.Loop(); i++ {
		var runs [3]msnRun
		for k := range 3 {
			j := (i + k) % 3
			runs[j] = fw.msnTransfer(b, terms[j])
			total[j] += runs[j].took
		}
		barRatio = append(barRatio, runs[1].took.Seconds()/runs[0].took.Seconds())
		controlRatio = append(controlRatio, runs[1].took.Seconds()/runs[2].took.Seconds())
		barCPU = append(barCPU, runs[0].sendCPU.Seconds()/runs[1].sendCPU.Seconds())
		controlCPU = append(controlCPU, runs[2].sendCPU.Seconds()/runs[1].sendCPU.Seconds())
	}
	slave.Close()
	master.Close()
	if n := <-drained; n == 0 {
		b.Fatal("sendfile drew nothing on the terminal")
	}
	b.ReportMetric(fw.rate(total[0], b.N), "bar-MB/s")
	b.ReportMetric(fw.rate(total[1], b.N), "none-MB/s")
	b.ReportMetric(median(barRatio), "bar/none")
	b.ReportMetric(median(controlRatio), "control/none")
	b.ReportMetric(median(barCPU), "bar/none-sendfile-CPU")
	b.ReportMetric(median(controlCPU), "control/none-sendfile-CPU")
	b.ReportMetric(0, "ns/op")
}

// fileWorld is what the file benchmarks share: the msn binary, a server
// on loopback, the environment of the msn processes, the source file and
// the target directory.
type fileWorld struct {
	msn   string
	plain string   // the plaincopy binary
	dir   string   // holds the source and the password files
	dst   string   // the target directory
	env   []string // the environment of the msn processes
	src   string
	size  int64
}

// newFileWorld builds msn, starts a server and writes the source file.
func newFileWorld(b *testing.B) *fileWorld {
	b.Helper()
	size := int64(fileBenchMiB) << 20
	if s := os.Getenv("MSN_BENCH_FILE_MIB"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			b.Fatalf("MSN_BENCH_FILE_MIB=%q: want a positive whole number of MiB", s)
		}
		size = int64(n) << 20
	}
	fw := &fileWorld{dir: fastDir(b), size: size}
	fw.msn, fw.plain = msnBinary(b), plainCopyBinary(b)
	fw.dst = filepath.Join(fw.dir, "in")
	if err := os.Mkdir(fw.dst, 0o700); err != nil {
		b.Fatal(err)
	}
	srv, err := server.New(server.Config{Host: "127.0.0.1", Accounts: server.DemoAccounts()})
	if err != nil {
		b.Fatal(err)
	}
	if err := srv.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = srv.Close() })
	ca := filepath.Join(fw.dir, "ca.pem")
	if err := srv.WriteCA(ca); err != nil {
		b.Fatal(err)
	}
	for _, a := range server.DemoAccounts() {
		if err := os.WriteFile(fw.passwordFile(a.Email), []byte(a.Password+"\n"), 0o600); err != nil {
			b.Fatal(err)
		}
	}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "MSN_") && !strings.HasPrefix(kv, "XDG_") && !strings.HasPrefix(kv, "HOME=") {
			fw.env = append(fw.env, kv)
		}
	}
	fw.env = append(fw.env, "MSN_SERVER="+srv.NSAddr(), "MSN_NEXUS="+srv.NexusURL(), "MSN_CA_FILE="+ca,
		"MSN_KEYRING=file", "MSN_NO_SHARE=1", "HOME="+fw.dir, "XDG_STATE_HOME="+filepath.Join(fw.dir, "state"),
		"XDG_RUNTIME_DIR="+fw.dir)
	fw.src = filepath.Join(fw.dir, "big.bin")
	writeRandomFileForFiles(b, fw.src, size)
	b.Logf("%d MiB from %s to %s", size>>20, fw.src, fw.dst)
	return fw
}

// passwordFile is where the password of account is.
func (fw *fileWorld) passwordFile(account string) string {
	local, _, _ := strings.Cut(account, "@")
	return filepath.Join(fw.dir, local+".pw")
}

// rate is the rate in MB/s of n transfers that took d in all.
func (fw *fileWorld) rate(d time.Duration, n int) float64 {
	return float64(fw.size) * float64(n) / d.Seconds() / 1e6
}

// plainCopyBinary builds bench/plaincopy into the test's temporary
// directory and returns its path.
func plainCopyBinary(b *testing.B) string {
	b.Helper()
	return goBuild(b, "", "msn/bench/plaincopy", filepath.Join(b.TempDir(), "plaincopy"), nil, "build")
}

// fastDir returns a new directory on /dev/shm when there is one,
// else in the test's temporary directory; it is removed at the end.
func fastDir(b *testing.B) string {
	b.Helper()
	if st, err := os.Stat("/dev/shm"); err == nil && st.IsDir() {
		dir, err := os.MkdirTemp("/dev/shm", "msn-bench-files-")
		if err == nil {
			b.Cleanup(func() { os.RemoveAll(dir) })
			return dir
		}
	}
	b.Log("no /dev/shm: the files are on the disk of the temporary directory")
	return b.TempDir()
}

// writeRandomFileForFiles writes size pseudo-random bytes to path.
func writeRandomFileForFiles(b *testing.B, path string, size int64) {
	b.Helper()
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	rng := rand.NewChaCha8([32]byte{'m', 's', 'n'})
	buf := make([]byte, 1<<20)
	for left := size; left > 0; left -= int64(len(buf)) {
		buf = buf[:min(int64(len(buf)), left)]
		_, _ = rng.Read(buf)
		if _, err := f.Write(buf); err != nil {
			b.Fatal(err)
		}
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
}

// plainCopy copies the source file over loopback into the target
// directory with a plaincopy receiver and sender, each a process, and
// returns the time the receiver reports: from the connection to the
// synced, renamed file.
func (fw *fileWorld) plainCopy(b *testing.B) plainRun {
	b.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), fileStep)
	defer cancel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	lf, err := ln.(*net.TCPListener).File()
	if err != nil {
		b.Fatal(err)
	}
	defer lf.Close()
	final := filepath.Join(fw.dst, "plain.bin")
	recv := exec.CommandContext(ctx, fw.plain, "recv", final, strconv.FormatInt(fw.size, 10))
	var recvOut, recvErr bytes.Buffer
	recv.Stdout, recv.Stderr = &recvOut, &recvErr
	recv.ExtraFiles = []*os.File{lf}
	if err := recv.Start(); err != nil {
		b.Fatal(err)
	}
	send := exec.CommandContext(ctx, fw.plain, "send", ln.Addr().String(), fw.src)
	sendOut, serr := send.CombinedOutput()
	rerr := recv.Wait()
	if serr != nil || rerr != nil {
		b.Fatalf("plaincopy send: %v %s\nplaincopy recv: %v %s", serr, sendOut, rerr, recvErr.String())
	}
	secs, err := strconv.ParseFloat(strings.TrimSpace(recvOut.String()), 64)
	if err != nil || secs <= 0 {
		b.Fatalf("plaincopy recv printed %q", recvOut.String())
	}
	fw.checkAndRemove(b, final)
	return plainRun{took: time.Duration(secs * float64(time.Second)),
		sendCPU: cpuTimeForFiles(send.ProcessState), recvCPU: cpuTimeForFiles(recv.ProcessState)}
}

// plainRun is one plain copy.
type plainRun struct {
	took    time.Duration // as the receiver reports it: from the connection to the file in place
	sendCPU time.Duration // user and system time of the sender
	recvCPU time.Duration // user and system time of the receiver
}

// msnRun is one transfer between msn processes.
type msnRun struct {
	took    time.Duration // as recvfile reports it: from the offer to the file in place
	wall    time.Duration // the sendfile process, from its start to its exit
	sendRSS int64         // peak RSS of sendfile, bytes
	recvRSS int64         // peak RSS of recvfile, bytes
	sendCPU time.Duration // user and system time of sendfile
	recvCPU time.Duration // user and system time of recvfile
}

// receivedForFiles is the part of recvfile's JSON line the benchmark reads.
type receivedForFiles struct {
	Type    string  `json:"type"`
	Path    string  `json:"path"`
	Size    int64   `json:"size"`
	Seconds float64 `json:"seconds"`
}

// msnTransfer sends the source file from alice's `msn sendfile` to bob's
// `msn recvfile --count 1`, with sendfile's stderr on term when it is not
// nil, and checks the file that arrived.
func (fw *fileWorld) msnTransfer(b *testing.B, term *os.File) msnRun {
	b.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), fileStep)
	defer cancel()
	alice, bob := "alice@example.com", "bob@example.com"

	recv := exec.CommandContext(ctx, fw.msn, "-a", bob, "--json", "recvfile", "--count", "1",
		"--dir", fw.dst, "--password-file", fw.passwordFile(bob))
	recv.Env = fw.env
	var recvOut bytes.Buffer
	recv.Stdout = &recvOut
	recvErr, err := recv.StderrPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := recv.Start(); err != nil {
		b.Fatal(err)
	}
	ready := make(chan bool, 1)
	stderrDone := make(chan string, 1)
	go func() { // reads recvfile's stderr until it exits
		var rest strings.Builder
		sc := bufio.NewScanner(recvErr)
		said := false
		for sc.Scan() {
			if !said && strings.HasPrefix(sc.Text(), "msn: receiving files into ") {
				said = true
				ready <- true
				continue
			}
			rest.WriteString(sc.Text() + "\n")
		}
		if !said {
			ready <- false
		}
		stderrDone <- rest.String()
	}()
	if !<-ready {
		_ = recv.Wait()
		b.Fatalf("recvfile did not come online: %s", <-stderrDone)
	}

	send := exec.CommandContext(ctx, fw.msn, "-a", alice, "sendfile", "--password-file", fw.passwordFile(alice), bob, fw.src)
	send.Env = fw.env
	var sendOut, sendErr bytes.Buffer
	send.Stdout = &sendOut
	send.Stderr = &sendErr
	if term != nil {
		send.Stderr = term
	}
	start := time.Now()
	serr := send.Run()
	wall := time.Since(start)
	rerr := recv.Wait()
	recvStderr := <-stderrDone
	if serr != nil || rerr != nil {
		b.Fatalf("sendfile: %v %s%s\nrecvfile: %v %s", serr, sendOut.String(), sendErr.String(), rerr, recvStderr)
	}
	var got receivedForFiles
	if err := json.Unmarshal(bytes.TrimSpace(recvOut.Bytes()), &got); err != nil || got.Type != "file-received" {
		b.Fatalf("recvfile printed %q: %v", recvOut.String(), err)
	}
	if got.Size != fw.size || got.Seconds <= 0 {
		b.Fatalf("recvfile received %d bytes in %v s, want %d", got.Size, got.Seconds, fw.size)
	}
	fw.checkAndRemove(b, got.Path)
	return msnRun{
		took: time.Duration(got.Seconds * float64(time.Second)), wall: wall,
		sendRSS: maxRSSForFiles(send.ProcessState), recvRSS: maxRSSForFiles(recv.ProcessState),
		sendCPU: cpuTimeForFiles(send.ProcessState), recvCPU: cpuTimeForFiles(recv.ProcessState),
	}
}

// maxRSSForFiles returns the peak RSS of an ended process, in bytes.
func maxRSSForFiles(ps *os.ProcessState) int64 {
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		return ru.Maxrss << 10 // kilobytes on Linux
	}
	return 0
}

// cpuTimeForFiles returns the user and system time of an ended process.
func cpuTimeForFiles(ps *os.ProcessState) time.Duration { return ps.UserTime() + ps.SystemTime() }

// checkAndRemove fails the benchmark unless the file at path has the
// source's bytes, then removes it.
func (fw *fileWorld) checkAndRemove(b *testing.B, path string) {
	b.Helper()
	defer os.Remove(path)
	a, err := os.Open(fw.src)
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	c, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	bufA, bufC := make([]byte, 1<<20), make([]byte, 1<<20)
	for off := int64(0); ; off += int64(len(bufA)) {
		na, errA := io.ReadFull(a, bufA)
		nc, errC := io.ReadFull(c, bufC)
		if na != nc || !bytes.Equal(bufA[:na], bufC[:nc]) {
			b.Fatalf("%s differs from the source in the MiB at %d", path, off)
		}
		if errA != nil || errC != nil {
			if (errA == io.EOF || errA == io.ErrUnexpectedEOF) && errA == errC {
				return
			}
			b.Fatalf("comparing %s with the source: %v, %v", path, errA, errC)
		}
	}
}

// openPTY opens a pseudo-terminal of 80 columns and returns its
// master and slave sides.
func openPTY(b *testing.B) (master, slave *os.File) {
	b.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY|unix.O_CLOEXEC, 0)
	if err != nil {
		b.Fatal(err)
	}
	conn, err := master.SyscallConn()
	if err != nil {
		b.Fatal(err)
	}
	var n int
	var ioErr error
	err = conn.Control(func(fd uintptr) {
		if ioErr = unix.IoctlSetPointerInt(int(fd), unix.TIOCSPTLCK, 0); ioErr != nil {
			return
		}
		if n, ioErr = unix.IoctlGetInt(int(fd), unix.TIOCGPTN); ioErr != nil {
			return
		}
		ioErr = unix.IoctlSetWinsize(int(fd), unix.TIOCSWINSZ, &unix.Winsize{Col: 80, Row: 24})
	})
	if err = errors.Join(err, ioErr); err != nil {
		b.Fatalf("setting up the pseudo-terminal: %v", err)
	}
	slave, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY|unix.O_CLOEXEC, 0)
	if err != nil {
		b.Fatal(err)
	}
	return master, slave
}

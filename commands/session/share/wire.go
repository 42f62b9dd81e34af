package share

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"msn/proto"
)

// Version is the socket protocol version this binary speaks. A holder
// greets with it; a client of another version refuses to go on, with an
// error that names both.
const Version = 1

// greeting starts the holder's first line: "msn-share 1\n". Its form
// never changes, so that every version can read another's.
const greeting = "msn-share "

// Bounds on what one side may send the other.
const (
	// maxGreeting bounds the greeting line.
	maxGreeting = 64
	// maxRequest bounds a client's frame.
	maxRequest = 64 << 10
	// maxReply bounds a holder's frame: the welcome carries the whole
	// contact list.
	maxReply = 16 << 20
)

// ErrFrameTooLong reports a frame over its bound.
var ErrFrameTooLong = errors.New("share: frame too long")

// The operations a client asks of the holder.
const (
	opAdd         = "add"
	opRemove      = "remove"
	opBlock       = "block"
	opAllow       = "allow"
	opUnblock     = "unblock"
	opAddGroup    = "add-group"
	opRemoveGroup = "remove-group"
	opRenameGroup = "rename-group"
	opSetName     = "set-name"
	opSetPhone    = "set-phone"
	opSetPrivacy  = "set-privacy"
	opSetNotify   = "set-notify"
	opSetStatus   = "set-status"
	opSwitchboard = "switchboard"
)

// frame is one line on the socket. Exactly one of its parts is set:
// Hello (client, first), Welcome (holder, the answer), a request (ID and
// Op), Reply, Event or End (holder, last).
type frame struct {
	Hello   *hello   `json:"hello,omitempty"`
	Welcome *Welcome `json:"welcome,omitempty"`
	ID      uint64   `json:"id,omitempty"`
	Op      string   `json:"op,omitempty"`
	Args    *args    `json:"args,omitempty"`
	Reply   *reply   `json:"reply,omitempty"`
	Event   *event   `json:"event,omitempty"`
	End     *wireErr `json:"end,omitempty"`
}

// hello is a client's first frame.
type hello struct {
	Version int `json:"version"`
	// Rings asks for the account's invitations to conversations: the
	// newest client that asks gets them, instead of the holder.
	Rings bool `json:"rings,omitempty"`
	// PID and Command say who the client is, for the holder's status.
	PID     int    `json:"pid,omitempty"`
	Command string `json:"command,omitempty"`
}

// Welcome is what a client learns when it connects: the account as
// the server knows it, the contact list and who is online.
type Welcome struct {
	Version      int            `json:"version"`
	Account      string         `json:"account"`
	Server       string         `json:"server"`
	Handle       string         `json:"handle"`
	FriendlyName string         `json:"friendly_name"`
	Status       proto.Status   `json:"status,omitempty"` // the presence the server last confirmed
	Protocol     proto.Protocol `json:"protocol"`
	AllowPrivate bool           `json:"allow_private,omitempty"`
	LocalAddr    string         `json:"local_addr,omitempty"`
	// Switchboard is the address of the switchboard the server last
	// referred a client to: a client connects there while it waits for
	// its own referral.
	Switchboard string          `json:"switchboard,omitempty"`
	List        json.RawMessage `json:"list,omitempty"`
	Presence    []Seen          `json:"presence,omitempty"`
	Holder      HolderInfo      `json:"holder"`
}

// Seen is the presence of one contact.
type Seen struct {
	Email  string       `json:"email"`
	Name   string       `json:"name,omitempty"`
	Status proto.Status `json:"status"`
}

// HolderInfo says which process holds the session.
type HolderInfo struct {
	PID     int    `json:"pid"`
	Command string `json:"command"`
	Since   int64  `json:"since"` // Unix seconds
	Clients int    `json:"clients"`
}

// args are the arguments of a request; each operation reads its own.
type args struct {
	List    proto.List   `json:"list,omitempty"`
	Email   string       `json:"email,omitempty"`
	Name    string       `json:"name,omitempty"`
	Group   int          `json:"group"`
	Key     string       `json:"key,omitempty"`
	Value   string       `json:"value,omitempty"`
	Status  proto.Status `json:"status,omitempty"`
	Flag    bool         `json:"flag,omitempty"`
	Timeout int64        `json:"timeout_ms,omitempty"` // what is left of the client's deadline
}

// reply answers the request with the same ID.
type reply struct {
	Change *proto.ListChange `json:"change,omitempty"`
	Addr   string            `json:"addr,omitempty"`
	Cookie string            `json:"cookie,omitempty"`
	Err    *wireErr          `json:"error,omitempty"`
}

// frameReader reads bounded lines.
type frameReader struct {
	br    *bufio.Reader
	limit int
}

// newFrameReader reads frames of at most limit bytes from r.
func newFrameReader(r io.Reader, limit int) *frameReader {
	return &frameReader{br: bufio.NewReaderSize(r, 4096), limit: limit}
}

// line returns the next line without its newline; a line over the
// limit is ErrFrameTooLong, and the reader must not be used after.
func (fr *frameReader) line() ([]byte, error) {
	var buf []byte
	for {
		chunk, err := fr.br.ReadSlice('\n')
		if len(buf)+len(chunk) > fr.limit+1 {
			return nil, ErrFrameTooLong
		}
		buf = append(buf, chunk...)
		switch {
		case err == nil:
			return buf[:len(buf)-1], nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF) && len(buf) > 0:
			return nil, io.ErrUnexpectedEOF
		default:
			return nil, err
		}
	}
}

// greeting reads the holder's greeting and returns its version.
func (fr *frameReader) greeting() (int, error) {
	saved := fr.limit
	fr.limit = maxGreeting
	defer func() { fr.limit = saved }()
	line, err := fr.line()
	if err != nil {
		return 0, err
	}
	rest, ok := strings.CutPrefix(string(line), greeting)
	v, err := strconv.Atoi(rest)
	if !ok || err != nil || v <= 0 {
		return 0, fmt.Errorf("share: not a session socket (greeting %q)", line)
	}
	return v, nil
}

// next reads and decodes the next frame.
func (fr *frameReader) next() (*frame, error) {
	line, err := fr.line()
	if err != nil {
		return nil, err
	}
	var f frame
	if err := json.Unmarshal(line, &f); err != nil {
		return nil, fmt.Errorf("share: malformed frame: %w", err)
	}
	return &f, nil
}

// encodeFrame returns f as one line, or an error when it is over limit.
func encodeFrame(f *frame, limit int) ([]byte, error) {
	b, err := json.Marshal(f)
	if err != nil {
		return nil, fmt.Errorf("share: encode frame: %w", err)
	}
	if len(b) > limit {
		return nil, ErrFrameTooLong
	}
	return append(b, '\n'), nil
}

// greetingLine is the holder's first line.
func greetingLine() []byte { return []byte(greeting + strconv.Itoa(Version) + "\n") }

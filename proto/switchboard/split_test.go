package switchboard

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSplitText(t *testing.T) {
	for _, tc := range []struct {
		in   string
		max  int
		want []string
	}{
		{"abc", 10, []string{"abc"}},
		{"abcdef", 3, []string{"abc", "def"}},
		{"abé", 3, []string{"ab", "é"}},
		{"a✓b", 4, []string{"a✓", "b"}},
		{"a✓b", 3, []string{"a", "✓", "b"}},
		{"ab\r\ncd", 3, []string{"ab", "\r\nc", "d"}},
		{"ab\r\ncd", 4, []string{"ab\r\n", "cd"}},
		{"😀😀", 5, []string{"😀", "😀"}},
	} {
		got := splitText(tc.in, tc.max)
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("splitText(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
		}
	}
}

func TestTextMessagesFit(t *testing.T) {
	text := strings.Repeat("añ✓😀\n", 2000)
	msgs, err := textMessages(text, &TextFormat{Font: "Some Long Font Name", Effects: "BI"})
	if err != nil {
		t.Fatal(err)
	}
	var body strings.Builder
	for i, m := range msgs {
		p := m.Bytes()
		if len(p) > MaxMessageSize {
			t.Fatalf("part %d is %d bytes", i, len(p))
		}
		if i < len(msgs)-1 && len(p) < MaxMessageSize-3 {
			t.Errorf("part %d is only %d bytes", i, len(p))
		}
		if !utf8.Valid(m.Body) {
			t.Fatalf("part %d is not valid UTF-8", i)
		}
		body.Write(m.Body)
	}
	if body.String() != strings.ReplaceAll(text, "\n", "\r\n") {
		t.Error("parts do not join to the text with CRLF line ends")
	}
}

func TestTextMessageLayout(t *testing.T) {
	got := string(TextMessage("Hello Bob", nil).Bytes())
	want := "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nX-MMS-IM-Format: FN=Arial; EF=; CO=0; CS=0; PF=22\r\n\r\nHello Bob"
	if got != want || len(got) != 122 {
		t.Errorf("got %q (%d bytes)", got, len(got))
	}
	if p := typingMessage("alice@hotmail.com").Bytes(); len(p) != 90 {
		t.Errorf("typing notification is %d bytes, want 90", len(p))
	}
	msgs, _ := textMessages("a\r\nb\nc\xffd", nil)
	if b := string(msgs[0].Body); b != "a\r\nb\r\nc\uFFFDd" {
		t.Errorf("body = %q", b)
	}
}

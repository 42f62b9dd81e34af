package switchboard

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"msn/proto"
)

// Limits of the X-MMS-IM-Format parser.
const (
	maxFontName     = 128 // bytes of a decoded font name; longer ones are ignored
	maxFormatParams = 16  // parameters looked at; the rest are ignored
)

// TextFormat is the look of a text message, carried in the
// X-MMS-IM-Format header: font, effects, colour, character set, pitch and
// family, direction. Font size cannot be expressed.
type TextFormat struct {
	// Font is the font name (FN); "" leaves FN out.
	Font string
	// Effects is any of B (bold), I (italic), U (underline) and S
	// (strikethrough), in that order (EF).
	Effects string
	// Color is the text colour as the wire writes it (CO): hexadecimal
	// blue-green-red, 0xBBGGRR. See RGB and SetRGB.
	Color uint32
	// Charset is the Windows LOGFONT character set (CS): 0 ANSI, 0x80
	// Shift-JIS, 0xcc Cyrillic, ….
	Charset uint8
	// PitchFamily is the Windows lfPitchAndFamily byte (PF): 0x22 is a
	// variable-pitch sans serif such as Arial.
	PitchFamily uint8
	// RightToLeft marks right-aligned text (RL=1).
	RightToLeft bool
}

// DefaultTextFormat returns the format sent when none is given: Arial,
// black, no effects ("FN=Arial; EF=; CO=0; CS=0; PF=22").
func DefaultTextFormat() *TextFormat {
	return &TextFormat{Font: "Arial", PitchFamily: 0x22}
}

// RGB returns the colour as red, green and blue.
func (f *TextFormat) RGB() (r, g, b uint8) {
	return uint8(f.Color), uint8(f.Color >> 8), uint8(f.Color >> 16)
}

// SetRGB sets the colour from red, green and blue.
func (f *TextFormat) SetRGB(r, g, b uint8) {
	f.Color = uint32(b)<<16 | uint32(g)<<8 | uint32(r)
}

// String renders the header value in the official order: FN (which the
// server requires first), EF, CO, CS, PF and, when set, RL.
func (f *TextFormat) String() string {
	var parts []string
	if f.Font != "" {
		parts = append(parts, "FN="+escapeFont(f.Font))
	}
	parts = append(parts,
		"EF="+normalizeEffects(f.Effects),
		"CO="+strconv.FormatUint(uint64(f.Color&0xffffff), 16),
		"CS="+strconv.FormatUint(uint64(f.Charset), 16),
		"PF="+strconv.FormatUint(uint64(f.PitchFamily), 16))
	if f.RightToLeft {
		parts = append(parts, "RL=1")
	}
	return strings.Join(parts, "; ")
}

// validate checks a format before it is sent.
func (f *TextFormat) validate() error {
	if len(f.Font) > maxFontName {
		return fmt.Errorf("%w: font name longer than %d bytes", proto.ErrInvalidArgument, maxFontName)
	}
	return nil
}

// ParseTextFormat reads an X-MMS-IM-Format value. Parameters may come in
// any order and any may be missing (missing ones read as zero); malformed
// ones, unknown ones and all but the first of duplicates are ignored, so
// parsing never fails.
func ParseTextFormat(v string) *TextFormat {
	f := &TextFormat{}
	seen := map[string]bool{}
	params := strings.SplitN(v, ";", maxFormatParams+1)
	if len(params) > maxFormatParams {
		params = params[:maxFormatParams]
	}
	for _, p := range params {
		key, val, ok := strings.Cut(strings.Trim(p, " \t"), "=")
		key = strings.ToUpper(key)
		if !ok || seen[key] {
			continue
		}
		if f.setParam(key, val) {
			seen[key] = true
		}
	}
	return f
}

// setParam sets one parameter and reports whether it was valid.
func (f *TextFormat) setParam(key, val string) bool {
	switch key {
	case "FN":
		if d, err := url.PathUnescape(val); err == nil {
			val = d
		}
		if len(val) > maxFontName {
			return false
		}
		f.Font = val
	case "EF":
		f.Effects = normalizeEffects(val)
	case "CO":
		n, ok := parseHex(val, 6)
		if !ok {
			return false
		}
		f.Color = uint32(n)
	case "CS":
		return setHexByte(&f.Charset, val)
	case "PF":
		return setHexByte(&f.PitchFamily, val)
	case "RL":
		f.RightToLeft = val == "1"
	default:
		return false
	}
	return true
}

// setHexByte sets *b from one or two hexadecimal digits and reports
// whether val was that.
func setHexByte(b *uint8, val string) bool {
	n, ok := parseHex(val, 2)
	if ok {
		*b = uint8(n)
	}
	return ok
}

// parseHex parses 1 to maxDigits hexadecimal digits, nothing else.
func parseHex(s string, maxDigits int) (uint64, bool) {
	if s == "" || len(s) > maxDigits {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return 0, false
		}
	}
	n, err := strconv.ParseUint(s, 16, 32)
	return n, err == nil
}

// normalizeEffects keeps the known effect letters, once each, in the
// order B, I, U, S.
func normalizeEffects(s string) string {
	var b strings.Builder
	s = strings.ToUpper(s)
	for _, e := range "BIUS" {
		if strings.ContainsRune(s, e) {
			b.WriteRune(e)
		}
	}
	return b.String()
}

// escapeFont percent-encodes the bytes of a font name that would end or
// split the parameter: spaces, controls, '%' and ';'.
func escapeFont(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c == 0x7f || c == '%' || c == ';' {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

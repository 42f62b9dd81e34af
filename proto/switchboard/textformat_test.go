package switchboard

import (
	"strings"
	"testing"
)

func TestTextFormatString(t *testing.T) {
	for _, tc := range []struct {
		f    TextFormat
		want string
	}{
		{*DefaultTextFormat(), "FN=Arial; EF=; CO=0; CS=0; PF=22"},
		{TextFormat{Font: "MS Shell Dlg"}, "FN=MS%20Shell%20Dlg; EF=; CO=0; CS=0; PF=0"},
		{TextFormat{Font: "Courier New", Effects: "SUIB", Color: 0xff, Charset: 0x80, PitchFamily: 0x31, RightToLeft: true},
			"FN=Courier%20New; EF=BIUS; CO=ff; CS=80; PF=31; RL=1"},
		{TextFormat{Effects: "xb"}, "EF=B; CO=0; CS=0; PF=0"},
		{TextFormat{Font: "a;b%c\r\nd"}, "FN=a%3Bb%25c%0D%0Ad; EF=; CO=0; CS=0; PF=0"},
	} {
		if got := tc.f.String(); got != tc.want {
			t.Errorf("%+v: got %q, want %q", tc.f, got, tc.want)
		}
	}
}

func TestParseTextFormat(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want TextFormat
	}{
		{"FN=Arial; EF=; CO=0; CS=0; PF=22", *DefaultTextFormat()},
		{"PF=22; CO=ff0000; FN=MS%20Sans%20Serif; EF=BI", TextFormat{Font: "MS Sans Serif", Effects: "BI", Color: 0xff0000, PitchFamily: 0x22}},
		{"", TextFormat{}},
		{"CO=ff", TextFormat{Color: 0xff}},
		{"fn=Tahoma;ef=u;rl=1", TextFormat{Font: "Tahoma", Effects: "U", RightToLeft: true}},
		{"FN=A+B", TextFormat{Font: "A+B"}},
		{"FN=%ZZ%4", TextFormat{Font: "%ZZ%4"}},
		{"FN=First; FN=Second; CO=zz; CO=12", TextFormat{Font: "First", Color: 0x12}},
		{"CO=zzzzzz; CS=-1; PF=999; CO=1234567; XX=1; junk", TextFormat{}},
		{"CS=cc; PF=0x", TextFormat{Charset: 0xcc}},
	} {
		if got := ParseTextFormat(tc.in); *got != tc.want {
			t.Errorf("%q: got %+v, want %+v", tc.in, *got, tc.want)
		}
	}
}

func TestTextFormatRGB(t *testing.T) {
	var f TextFormat
	f.SetRGB(0x11, 0x22, 0x33)
	if f.Color != 0x332211 || f.String() != "EF=; CO=332211; CS=0; PF=0" {
		t.Errorf("colour = %x, %q", f.Color, f.String())
	}
	if r, g, b := f.RGB(); r != 0x11 || g != 0x22 || b != 0x33 {
		t.Errorf("RGB = %x %x %x", r, g, b)
	}
	if r, _, _ := ParseTextFormat("CO=ff").RGB(); r != 0xff {
		t.Errorf("CO=ff is red in BGR order; got red %x", r)
	}
}

func TestTextFormatBounded(t *testing.T) {
	long := "FN=" + strings.Repeat("x", maxFontName+1)
	if f := ParseTextFormat(long + "; CO=ff"); f.Font != "" || f.Color != 0xff {
		t.Errorf("long font kept: %+v", f)
	}
	many := strings.Repeat("XX=1; ", 100) + "CO=ff"
	if f := ParseTextFormat(many); f.Color != 0 {
		t.Errorf("parameters beyond the limit read: %+v", f)
	}
}

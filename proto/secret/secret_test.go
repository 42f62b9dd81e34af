package secret

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

func TestStringNeverPrints(t *testing.T) {
	s := New("hunter2")
	holder := struct {
		Password String
		Ptr      *String
	}{s, &s}
	outs := []string{
		fmt.Sprint(s), fmt.Sprintf("%v %+v %#v %s %q %x", s, s, s, s, s, s),
		fmt.Sprintf("%+v %#v", holder, holder), s.String(), s.GoString(),
	}
	b, err := json.Marshal(holder)
	if err != nil {
		t.Fatal(err)
	}
	outs = append(outs, string(b))
	for _, o := range outs {
		if strings.Contains(o, "hunter2") {
			t.Errorf("secret leaked: %s", o)
		}
	}
	if s.Reveal() != "hunter2" || s.Empty() || !New("").Empty() {
		t.Fatal("Reveal/Empty broken")
	}
}

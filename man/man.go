// Package man renders the msn(1) manual page from the application's
// commands and flags.
package man

//go:generate go run gen.go

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"msn/commands"
)

// Page returns the roff source of msn(1): the generated reference
// followed by the EXIT STATUS section.
func Page(app *cli.App) (string, error) {
	page, err := app.ToManWithSection(1)
	if err != nil {
		return "", fmt.Errorf("man: %w", err)
	}
	return page + exitStatus(), nil
}

// exitStatus renders the EXIT STATUS section from commands.ExitStatus.
func exitStatus() string {
	var b strings.Builder
	b.WriteString(".SH EXIT STATUS\n")
	for _, s := range commands.ExitStatus {
		fmt.Fprintf(&b, ".TP\n\\fB%d\\fP\n%s\n", s.Code, strings.ReplaceAll(s.Meaning, "-", "\\-"))
	}
	return b.String()
}

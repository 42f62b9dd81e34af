//go:build ignore

// Gen writes man/msn.1 and the completion scripts in completions/ from the
// application. Run it with go generate ./man or go run ./man/gen.go.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"msn/commands"
	"msn/completions"
	"msn/man"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintf(os.Stderr, "gen: %v\n", err)
		os.Exit(1)
	}
}

// run renders every generated file and writes it under the module root.
func run() error {
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	page, err := man.Page(commands.NewApp())
	if err != nil {
		return err
	}
	files := map[string]string{
		"man/msn.1":            page,
		"completions/msn.bash": completions.Bash("msn"),
		"completions/_msn":     completions.Zsh("msn"),
		"completions/msn.fish": completions.Fish("msn"),
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(root, name), []byte(text), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// moduleRoot finds the directory holding go.mod, from the working
// directory up.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = parent
	}
}

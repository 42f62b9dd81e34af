package commands

import (
	"bytes"
	"io"

	"github.com/urfave/cli/v2"
)

// init sends every help text msn prints (msn --help, msn help CMD, the
// help a bare msn prints on stderr) through printHelpAtOnce.
func init() {
	cli.HelpPrinterCustom = printHelpAtOnce(cli.HelpPrinterCustom)
}

// printHelpAtOnce returns a help printer that lets print lay the text out
// in memory and hands it to the writer in one write: the layout's
// column alignment otherwise writes each cell separately, about 150
// writes for msn --help. Nothing is held back once the printer returns,
// so help and the messages around it keep their order.
func printHelpAtOnce(print func(io.Writer, string, any, map[string]any)) func(io.Writer, string, any, map[string]any) {
	return func(w io.Writer, templ string, data any, funcs map[string]any) {
		var buf bytes.Buffer
		print(&buf, templ, data, funcs)
		_, _ = w.Write(buf.Bytes())
	}
}

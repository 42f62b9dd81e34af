package keyring

import "sync/atomic"

// FileOps counts what this process did to the state directory's files
// (state.json and the contact list files): whole files read, files
// written (each an atomic replacement) and fsyncs (of files and of the
// directory).
type FileOps struct {
	Reads  int64
	Writes int64
	Syncs  int64
}

var fileOps struct{ reads, writes, syncs atomic.Int64 }

// Ops returns the counts of this process so far.
func Ops() FileOps {
	return FileOps{Reads: fileOps.reads.Load(), Writes: fileOps.writes.Load(), Syncs: fileOps.syncs.Load()}
}

// Sub returns the operations done since before.
func (o FileOps) Sub(before FileOps) FileOps {
	return FileOps{Reads: o.Reads - before.Reads, Writes: o.Writes - before.Writes, Syncs: o.Syncs - before.Syncs}
}

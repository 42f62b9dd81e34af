package msntest

import "runtime"

// AllocMeter measures the bytes allocated by the whole process since it
// started, for tests that bound what one case may allocate; the figure
// is the case's own when cases do not run in parallel.
type AllocMeter struct{ start uint64 }

// StartAllocMeter starts a meter at the process's allocations so far.
func StartAllocMeter() AllocMeter { return AllocMeter{start: totalAlloc()} }

// Bytes returns how much was allocated since the meter started.
func (m AllocMeter) Bytes() uint64 { return totalAlloc() - m.start }

// totalAlloc returns the bytes the process has allocated in all.
func totalAlloc() uint64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.TotalAlloc
}

package events

// SetTailFilter turns the tail prefilter of the stage's first-key index
// (noReading) on or off, for tests that compare the events with and
// without it.
func SetTailFilter(s *Stage, on bool) { s.idx.noTails = !on }

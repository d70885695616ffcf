package orgs

// SetNoFilter turns the stage's prefilters off (off true) or on: the
// tests compare the results both ways.
func SetNoFilter(s *Stage, off bool) { s.noFilter = off }

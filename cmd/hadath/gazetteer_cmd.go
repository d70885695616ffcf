package main

import (
	"io"

	"github.com/spf13/cobra"
)

// gazetteerCommands returns the "gazetteer" command group.
func gazetteerCommands(stdin io.Reader, stdout, stderr io.Writer) []*cobra.Command {
	return nil
}

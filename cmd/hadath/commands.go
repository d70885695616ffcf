package main

import (
	"io"

	"github.com/spf13/cobra"
)

// moreCommands returns the subcommands beyond extract and version.
func moreCommands(stdin io.Reader, stdout, stderr io.Writer) []*cobra.Command {
	return []*cobra.Command{evalCmd(stdout, stderr)}
}

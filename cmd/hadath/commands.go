package main

import (
	"io"

	"github.com/spf13/cobra"
)

// moreCommands returns the subcommands beyond extract and version. Each
// group lives in its own file.
func moreCommands(stdin io.Reader, stdout, stderr io.Writer) []*cobra.Command {
	cmds := []*cobra.Command{evalCmd(stdout, stderr)}
	cmds = append(cmds, gazetteerCommands(stdin, stdout, stderr)...)
	cmds = append(cmds, serviceCommands(stdin, stdout, stderr)...)
	return cmds
}

package main

import (
	"io"

	"github.com/spf13/cobra"
)

// serviceCommands returns the render, serve and completion commands.
func serviceCommands(stdin io.Reader, stdout, stderr io.Writer) []*cobra.Command {
	return nil
}

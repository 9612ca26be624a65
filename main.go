// Command haul is a desktop download manager. Run without a command it
// opens the window; `haul get` downloads from the command line.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"regexp"
	"syscall"

	"github.com/haul-dl/haul/appdirs"
	"github.com/haul-dl/haul/cli"
	"github.com/haul-dl/haul/engine/safename"
	"github.com/haul-dl/haul/gui"
	_ "github.com/haul-dl/haul/internal/clocale" // before Fyne's init: no locale noise on C.UTF-8
	"github.com/haul-dl/haul/nativehost"
)

// version is Haul's version, as in FyneApp.toml.
const version = "0.1.0"

const usage = `Haul is a download manager: many files at once, each over several
connections, resumed where they stopped.

Usage:
  haul [URL or FILE...]     open the window, adding these links (a FILE is
                            read for links); with Haul already open, the
                            links go to that window
  haul get [flags] URL...   download from the command line, without the
                            window; see 'haul get --help'
  haul install-browser      let Haul's browser extension reach Haul; see
                            'haul install-browser --help'
  haul native-host          the program the browser starts to talk to Haul
                            (not for use by hand)
  haul help                 show this help
  haul version              show the version

Examples:
  haul
  haul https://example.org/big.iso
  haul get -d ~/isos https://example.org/big.iso
  haul get -i links.txt -j 8 --limit-rate 2M
`

// commandLike is an argument that reads as a (mistyped) command rather
// than a link or a file.
var commandLike = regexp.MustCompile(`^-|^[A-Za-z][A-Za-z0-9_-]*$`)

func main() {
	stop := startProfile()
	code := run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run dispatches the command line and returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if nativehost.Invoked(args) { // the browser names the caller, not a command
		return nativeHost(args, stdin, stdout, stderr)
	}
	if len(args) > 0 {
		switch args[0] {
		case "get":
			return get(args[1:], stdin, stdout, stderr)
		case "native-host":
			return nativeHost(args[1:], stdin, stdout, stderr)
		case "install-browser":
			exe, err := nativehost.Executable()
			if err != nil {
				fmt.Fprintf(stderr, "haul: %v\n", err)
				return 1
			}
			return nativehost.InstallMain(args[1:], exe, stdout, stderr)
		case "help", "-h", "-help", "--help":
			io.WriteString(stdout, usage)
			return 0
		case "version", "-version", "--version":
			fmt.Fprintf(stdout, "haul %s\n", version)
			return 0
		}
		for _, a := range args {
			if _, err := os.Stat(a); err != nil && commandLike.MatchString(a) {
				fmt.Fprintf(stderr, "haul: unknown command or option %q\nRun 'haul help' for usage.\n", safename.Display(a))
				return 2
			}
		}
	}
	return window(args, stderr)
}

// get runs `haul get` with a context that Ctrl-C or SIGTERM cancels. A
// second Ctrl-C while progress is being saved ends the process at once.
func get(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		stop()
	}()
	return cli.Run(ctx, args, stdin, stdout, stderr)
}

// nativeHost serves the browser's extension on stdin and stdout.
func nativeHost(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	state, err := appdirs.State()
	if err != nil {
		fmt.Fprintf(stderr, "haul: %v\n", err)
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return nativehost.Main(ctx, args, state, version, stdin, stdout, stderr)
}

// window opens the window with links (URLs or files of links) to add.
func window(links []string, stderr io.Writer) int {
	state, err := appdirs.State()
	if err != nil {
		fmt.Fprintf(stderr, "haul: %v\n", err)
		return 1
	}
	downloads, err := appdirs.Downloads()
	if err != nil {
		fmt.Fprintf(stderr, "haul: %v\n", err)
		return 1
	}
	if err := gui.Run(gui.Config{StateDir: state, DownloadDir: downloads, Links: links}); err != nil {
		fmt.Fprintf(stderr, "haul: %s\n", safename.Display(err.Error()))
		return 1
	}
	return 0
}

// Command haul-netem is the network lab's link (scripts/netlab.sh): it
// makes two TUN devices, A and B, and forwards every IP packet between
// them through netem.Link, one per direction, with a one-way delay of
// half the round trip, random loss and a rate limit on the way from A to
// B (the server's side to the client's). The script moves each device
// into its own network namespace once haul-netem prints "ready".
// Each line on standard input changes the link, with the same flags as
// the command line ("-rtt 40ms -loss 0"); haul-netem answers "ok N" for
// the Nth line, or "error N: ..." (devices are never remade: that waits
// for the kernel to let the old ones go). It runs until SIGINT or SIGTERM
// and then prints what each direction did; SIGUSR1 prints it too.
//
//	haul-netem -a nlsrv0 -b nlcli0 -rtt 100ms -loss 0.01
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/haul-dl/haul/internal/human"
	"github.com/haul-dl/haul/internal/netem"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "haul-netem:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("haul-netem", flag.ContinueOnError)
	fs.SetOutput(stderr)
	nameA := fs.String("a", "", "name of the server side's TUN device")
	nameB := fs.String("b", "", "name of the client side's TUN device")
	limit := fs.Int("limit", 50000, "packets each direction holds at once (netem's limit)")
	mtu := fs.Int("mtu", 1500, "the devices' MTU")
	seed := fs.Uint64("seed", 1, "seed of the random losses")
	shape := shapeFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *nameA == "" || *nameB == "" || fs.NArg() > 0 {
		return errors.New("usage: haul-netem -a DEV -b DEV [-rtt D] [-loss P] [-rate R]")
	}
	downCfg, upCfg, err := shape()
	if err != nil {
		return err
	}
	downCfg.Limit, upCfg.Limit = *limit, *limit
	down, err := netem.NewLink(downCfg, *mtu, *seed)
	if err != nil {
		return err
	}
	up, err := netem.NewLink(upCfg, *mtu, *seed+1)
	if err != nil {
		return err
	}
	a, err := openTUN(*nameA)
	if err != nil {
		return err
	}
	defer a.Close()
	b, err := openTUN(*nameB)
	if err != nil {
		return err
	}
	defer b.Close()
	fmt.Fprintln(stdout, "ready")
	go control(os.Stdin, stdout, down, up)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make(chan error, 2)
	go func() { errs <- down.Run(ctx, a.Read, b.Write) }()
	go func() { errs <- up.Run(ctx, b.Read, a.Write) }()
	usr1 := make(chan os.Signal, 1)
	signal.Notify(usr1, syscall.SIGUSR1)
	defer signal.Stop(usr1)
	var first error
	done := 0
loop:
	for {
		select {
		case <-usr1:
			report(stderr, down, up)
		case <-ctx.Done():
			break loop
		case first = <-errs:
			done++
			break loop
		}
	}
	cancel()
	a.Close() // unblocks the reads
	b.Close()
	deadline := time.After(5 * time.Second)
	for ; done < 2; done++ {
		select {
		case <-errs:
		case <-deadline:
			done = 2
		}
	}
	report(stderr, down, up)
	if first != nil && !errors.Is(first, os.ErrClosed) {
		return fmt.Errorf("forwarding: %w", first)
	}
	return nil
}

// shapeFlags defines the flags that shape the link on fs; the returned
// function reads them into the two directions' configurations (without
// their limit).
func shapeFlags(fs *flag.FlagSet) func() (down, up netem.Config, err error) {
	rtt := fs.Duration("rtt", 0, "round-trip time (half of it each way)")
	loss := fs.Float64("loss", 0, "probability that a packet from A to B is lost, 0 to 1")
	lossUp := fs.Float64("loss-up", 0, "probability that a packet from B to A is lost")
	rate := fs.String("rate", "", "bytes per second from A to B, e.g. 50M (default: no limit)")
	return func() (down, up netem.Config, err error) {
		var bps int64
		if *rate != "" {
			if bps, err = human.ParseBytes(*rate); err != nil {
				return down, up, fmt.Errorf("-rate: %w", err)
			}
		}
		return netem.Config{Delay: *rtt / 2, Loss: *loss, Rate: bps},
			netem.Config{Delay: *rtt / 2, Loss: *lossUp}, nil
	}
}

// control applies each line of in to the link and answers on out.
func control(in io.Reader, out io.Writer, down, up *netem.Link) {
	sc := bufio.NewScanner(in)
	for n := 1; sc.Scan(); n++ {
		if err := reshape(strings.Fields(sc.Text()), down, up); err != nil {
			fmt.Fprintf(out, "error %d: %v\n", n, err)
		} else {
			fmt.Fprintf(out, "ok %d\n", n)
		}
	}
}

func reshape(args []string, down, up *netem.Link) error {
	fs := flag.NewFlagSet("line", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	shape := shapeFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	d, u, err := shape()
	if err != nil {
		return err
	}
	if err := down.SetConfig(d); err != nil {
		return err
	}
	return up.SetConfig(u)
}

func report(w io.Writer, down, up *netem.Link) {
	for _, d := range []struct {
		name string
		s    netem.Stats
	}{{"down", down.Stats()}, {"up", up.Stats()}} {
		fmt.Fprintf(w, "%s packets %d bytes %d lost %d overflow %d failed %d\n",
			d.name, d.s.Packets, d.s.Bytes, d.s.Lost, d.s.Overflow, d.s.Failed)
	}
}

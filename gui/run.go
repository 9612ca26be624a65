package gui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"github.com/haul-dl/haul/assets"
	"github.com/haul-dl/haul/engine"
	"github.com/haul-dl/haul/instance"
)

// AppID identifies Haul to the desktop and names its preferences.
const AppID = "io.github.hauldl.haul"

// Run opens the engine on cfg.StateDir and shows the window until it is
// closed, then closes the engine, which saves every download's progress.
// If another Haul already has the state folder, Run hands it cfg.Links
// (or just asks it to come to the front) and returns nil.
func Run(cfg Config) error {
	if cfg.StateDir == "" {
		return errors.New("no state folder given")
	}
	a := app.NewWithID(AppID)
	a.SetIcon(appIcon())
	set := loadSettings(a.Preferences(), cfg.DownloadDir)

	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	m, caErr, err := openEngine(set.engineOptions(cfg.StateDir))
	if errors.Is(err, engine.ErrLocked) {
		return handOver(cfg)
	}
	if err != nil {
		return err
	}
	// HAUL_UI_LATENCY: measure the UI goroutine's stalls (latency.go).
	latency := os.Getenv(LatencyEnv)
	var probe *latencyProbe
	do := fyne.Do
	if latency != "" {
		probe = newLatencyProbe()
		do = probe.timed(fyne.Do)
		a.Lifecycle().SetOnStarted(func() { probe.start(ctx, fyne.Do, 10*time.Millisecond) })
	}
	u := newUI(a, m, cfg, do)
	u.startDesktop(desktopOptions{Tray: systemTray(a)})
	if caErr != nil {
		u.caStartFailed(caErr)
	}
	ln, err := instance.ListenWith(ctx, cfg.StateDir, instance.Handlers{Links: u.receive, Handoff: u.receiveHandoff})
	if err != nil {
		// Haul works without it; a second launch then says it cannot
		// reach this one.
		fyne.LogError("Links from a second launch will not reach this window", err)
	} else {
		defer ln.Close()
	}
	// Ctrl+C or a TERM signal quits the way closing the window does.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sig)
	go func() {
		select {
		case <-sig:
			fyne.Do(a.Quit)
		case <-ctx.Done():
		}
	}()
	u.win.SetMaster()
	u.addArgs(cfg.Links)
	u.win.ShowAndRun()
	err = shutdown(stop, u, m)
	if probe != nil {
		err = errors.Join(err, probe.write(latency))
	}
	return err
}

// shutdown ends a window's run: stop ends the listener and the signal
// watcher, then the UI stops following the engine, and last the engine
// closes. It returns only once the engine has saved every download's
// progress and released the state folder, so the process never exits
// in the middle of that.
func shutdown(stop context.CancelFunc, u *UI, m *engine.Manager) error {
	stop()
	u.Close()
	if err := m.Close(); err != nil {
		return fmt.Errorf("saving the download list: %w", err)
	}
	return nil
}

// openEngine opens the engine with opt. When it cannot because of the
// extra CA file, it opens it without one and returns that problem as
// caErr, so that Haul still runs.
//
// The engine gets a context that is never cancelled: cancelling the one
// Open watches starts a close of its own, and a Close called after that
// returned before the first had saved. Only shutdown's Close ends it.
func openEngine(opt engine.Options) (m *engine.Manager, caErr, err error) {
	ctx := context.Background()
	m, err = engine.Open(ctx, opt)
	if err == nil || opt.CACertFile == "" || errors.Is(err, engine.ErrLocked) {
		return m, nil, err
	}
	caErr = err
	opt.CACertFile = ""
	if m, err = engine.Open(ctx, opt); err != nil {
		return nil, nil, err
	}
	return m, caErr, nil
}

// handOver gives a second launch's links to the Haul that holds the state
// folder.
func handOver(cfg Config) error {
	args := make([]string, 0, len(cfg.Links))
	for _, l := range cfg.Links {
		// The other Haul runs in another folder: name files absolutely.
		if !strings.Contains(l, "://") {
			if fi, err := os.Stat(l); err == nil && !fi.IsDir() {
				if abs, err := filepath.Abs(l); err == nil {
					l = abs
				}
			}
		}
		args = append(args, l)
	}
	if err := instance.Send(cfg.StateDir, strings.Join(args, "\n")); err != nil {
		return fmt.Errorf("another Haul is using %s but did not take the links: %w", cfg.StateDir, err)
	}
	return nil
}

// appIcon is the window and application icon.
func appIcon() fyne.Resource { return assets.Icon }

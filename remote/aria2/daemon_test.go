package aria2

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/haul-dl/haul/engine/testserver"
	"github.com/haul-dl/haul/remote/aria2/aria2test"
)

const secret = "s3cr3t-for-tests"

func TestAddURIDownloadsWithDirOutAndHeaders(t *testing.T) {
	d := aria2test.Start(t, secret)
	srv := testserver.New()
	defer srv.Close()
	body := testserver.Content(300<<10, 1)
	srv.Add("/file.bin", body)
	c := dial(t, d)

	dir := filepath.Join(d.Dir, "sub")
	gid, err := c.AddURI(aria2test.Context(t), []string{srv.URL("/file.bin")}, AddOptions{
		Dir: dir, Out: "named.bin",
		Header: []string{"Referer: https://example.test/page", "Cookie: sid=42"},
	})
	if err != nil {
		t.Fatal(err)
	}
	waitNote(t, c, "aria2.onDownloadComplete", gid)

	got, err := os.ReadFile(filepath.Join(dir, "named.bin"))
	if err != nil || !bytes.Equal(got, body) {
		t.Fatalf("the file on the box: %d bytes, err %v; want the %d bytes served", len(got), err, len(body))
	}
	reqs := srv.Requests("/file.bin")
	if len(reqs) == 0 {
		t.Fatal("the server saw no request")
	}
	for _, r := range reqs {
		if r.Header.Get("Referer") != "https://example.test/page" || r.Header.Get("Cookie") != "sid=42" {
			t.Fatalf("request headers %v: want the Referer and Cookie given to addUri", r.Header)
		}
	}
	st, err := c.TellStatus(aria2test.Context(t), gid)
	if err != nil {
		t.Fatal(err)
	}
	if st.State != StateComplete || int(st.Completed) != len(body) || int(st.Total) != len(body) {
		t.Fatalf("status %+v: want complete with %d of %d bytes", st, len(body), len(body))
	}
}

func TestProgressPauseAndResume(t *testing.T) {
	d := aria2test.Start(t, secret)
	srv := testserver.New()
	defer srv.Close()
	body := testserver.Content(512<<10, 2)
	release := make(chan struct{})
	srv.Add("/held.bin", body, testserver.Hold(128<<10, release))
	c := dial(t, d)
	_, snaps := watch(t, Config{URL: d.URL(), Secret: secret})

	gid, err := c.AddURI(aria2test.Context(t), []string{srv.URL("/held.bin")}, AddOptions{Split: 1})
	if err != nil {
		t.Fatal(err)
	}
	s := waitSnap(t, snaps, "progress up to the hold", func(s Snapshot) bool {
		d, ok := s.Find(gid)
		return ok && d.State == StateActive && d.Completed >= 128<<10 && d.Total == Num(len(body))
	})
	if st, _ := s.Find(gid); st.Completed >= Num(len(body)) {
		t.Fatalf("completed %d while the server holds the rest", st.Completed)
	}

	if err := c.Pause(aria2test.Context(t), gid); err != nil {
		t.Fatal(err)
	}
	waitSnap(t, snaps, "the download paused", state(gid, StatePaused))
	close(release)
	if err := c.Unpause(aria2test.Context(t), gid); err != nil {
		t.Fatal(err)
	}
	waitSnap(t, snaps, "the download complete", state(gid, StateComplete))
	got, err := os.ReadFile(filepath.Join(d.Dir, "held.bin"))
	if err != nil || !bytes.Equal(got, body) {
		t.Fatalf("after pause and resume the file has %d bytes (err %v), want the %d served", len(got), err, len(body))
	}
}

func TestRemoveThenForgetTheResult(t *testing.T) {
	d := aria2test.Start(t, secret)
	srv := testserver.New()
	defer srv.Close()
	release := make(chan struct{})
	defer close(release)
	srv.Add("/held.bin", testserver.Content(256<<10, 3), testserver.Hold(64<<10, release))
	c := dial(t, d)
	_, snaps := watch(t, Config{URL: d.URL(), Secret: secret})

	gid, err := c.AddURI(aria2test.Context(t), []string{srv.URL("/held.bin")}, AddOptions{})
	if err != nil {
		t.Fatal(err)
	}
	waitSnap(t, snaps, "the download active", state(gid, StateActive))
	if err := c.Remove(aria2test.Context(t), gid); err != nil {
		t.Fatal(err)
	}
	waitSnap(t, snaps, "the download removed", state(gid, StateRemoved))
	if err := c.RemoveResult(aria2test.Context(t), gid); err != nil {
		t.Fatal(err)
	}
	waitSnap(t, snaps, "the download gone from the list", func(s Snapshot) bool {
		_, ok := s.Find(gid)
		return !ok
	})
	var re *RPCError
	if _, err := c.TellStatus(aria2test.Context(t), gid); !errors.As(err, &re) {
		t.Fatalf("tellStatus of a forgotten GID: %v, want an *RPCError", err)
	}
}

func TestQueueOrderAndGlobalOption(t *testing.T) {
	d := aria2test.Start(t, secret)
	srv := testserver.New()
	defer srv.Close()
	release := make(chan struct{})
	defer close(release)
	for _, p := range []string{"/a", "/b", "/c"} {
		srv.Add(p, testserver.Content(64<<10, 4), testserver.Hold(1<<10, release))
	}
	c := dial(t, d)
	ctx := aria2test.Context(t)
	if err := c.ChangeGlobalOption(ctx, map[string]string{"max-concurrent-downloads": "1"}); err != nil {
		t.Fatal(err)
	}
	opts, err := c.GlobalOption(ctx)
	if err != nil || opts["max-concurrent-downloads"] != "1" {
		t.Fatalf("global options after the change: %v (err %v)", opts["max-concurrent-downloads"], err)
	}
	var gids []string
	for _, p := range []string{"/a", "/b", "/c"} {
		gid, err := c.AddURI(ctx, []string{srv.URL(p)}, AddOptions{})
		if err != nil {
			t.Fatal(err)
		}
		gids = append(gids, gid)
	}
	waiting := func() []string {
		l, err := c.TellWaiting(ctx, 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		var g []string
		for _, s := range l {
			g = append(g, s.GID)
		}
		return g
	}
	if got := waiting(); strings.Join(got, ",") != gids[1]+","+gids[2] {
		t.Fatalf("waiting %v, want %v", got, gids[1:])
	}
	pos, err := c.ChangePosition(ctx, gids[2], 0, FromStart)
	if err != nil || pos != 0 {
		t.Fatalf("changePosition: %d, %v", pos, err)
	}
	if got := waiting(); strings.Join(got, ",") != gids[2]+","+gids[1] {
		t.Fatalf("after moving c to the front, waiting %v, want %v", got, []string{gids[2], gids[1]})
	}
}

func TestPerDownloadLimitAndSplit(t *testing.T) {
	d := aria2test.Start(t, secret)
	srv := testserver.New()
	defer srv.Close()
	release := make(chan struct{})
	defer close(release)
	srv.Add("/held.bin", testserver.Content(256<<10, 5), testserver.Hold(1<<10, release))
	c := dial(t, d)
	ctx := aria2test.Context(t)
	gid, err := c.AddURI(ctx, []string{srv.URL("/held.bin")}, AddOptions{MaxSpeed: 50 << 10, Split: 3})
	if err != nil {
		t.Fatal(err)
	}
	o, err := c.Option(ctx, gid)
	if err != nil || o["max-download-limit"] != "51200" || o["split"] != "3" {
		t.Fatalf("options when added: limit %q split %q (err %v), want 51200 and 3", o["max-download-limit"], o["split"], err)
	}
	if err := c.ChangeOption(ctx, gid, map[string]string{"max-download-limit": "102400"}); err != nil {
		t.Fatal(err)
	}
	if o, err = c.Option(ctx, gid); err != nil || o["max-download-limit"] != "102400" {
		t.Fatalf("limit after changeOption: %q (err %v), want 102400", o["max-download-limit"], err)
	}
}

func TestFailedDownloadReportsAria2sError(t *testing.T) {
	d := aria2test.Start(t, secret, "--max-tries=1")
	srv := testserver.New()
	defer srv.Close()
	c := dial(t, d)
	_, snaps := watch(t, Config{URL: d.URL(), Secret: secret})
	gid, err := c.AddURI(aria2test.Context(t), []string{srv.URL("/missing.bin")}, AddOptions{})
	if err != nil {
		t.Fatal(err)
	}
	waitNote(t, c, "aria2.onDownloadError", gid)
	s := waitSnap(t, snaps, "the download failed", state(gid, StateError))
	st, _ := s.Find(gid)
	if st.ErrorCode != "3" || !strings.Contains(st.ErrorMessage, "not found") {
		t.Fatalf("error code %q message %q: want aria2's 3, resource not found", st.ErrorCode, st.ErrorMessage)
	}
}

func TestWrongSecretIsRefusedAndNotRepeated(t *testing.T) {
	d := aria2test.Start(t, secret)
	const wrong = "not-the-secret-at-all"
	_, err := Dial(aria2test.Context(t), Config{URL: d.URL(), Secret: wrong})
	if !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("Dial with a wrong secret: %v, want ErrUnauthorized", err)
	}
	if strings.Contains(err.Error(), wrong) || strings.Contains(err.Error(), secret) {
		t.Fatalf("the error %q repeats a secret", err)
	}
	_, snaps := watch(t, Config{URL: d.URL(), Secret: wrong})
	s := waitSnap(t, snaps, "the watcher reporting the refusal", func(s Snapshot) bool { return s.Err != nil })
	if s.Connected || !errors.Is(s.Err, ErrUnauthorized) {
		t.Fatalf("watcher snapshot %+v: want not connected, unauthorized", s)
	}
}

func TestWatcherReconnectsAfterTheDaemonIsKilledAndRestarted(t *testing.T) {
	d := aria2test.Start(t, secret)
	srv := testserver.New()
	defer srv.Close()
	srv.Add("/later.bin", testserver.Content(64<<10, 6))
	c := dial(t, d)
	gid, err := c.AddURI(aria2test.Context(t), []string{srv.URL("/later.bin")}, AddOptions{Paused: true})
	if err != nil {
		t.Fatal(err)
	}
	_, snaps := watch(t, Config{URL: d.URL(), Secret: secret})
	waitSnap(t, snaps, "the paused download listed", state(gid, StatePaused))

	d.Stop(true)
	s := waitSnap(t, snaps, "the box unreachable", func(s Snapshot) bool { return !s.Connected })
	if s.Err == nil {
		t.Fatal("an unreachable box without a reason")
	}
	d.Restart()
	waitSnap(t, snaps, "the list again after the restart", func(s Snapshot) bool {
		return s.Connected && state(gid, StatePaused)(s)
	})

	// Killed outright (SIGKILL): aria2 keeps the session as last saved.
	d.Stop(false)
	waitSnap(t, snaps, "the box unreachable after a kill", func(s Snapshot) bool { return !s.Connected && s.Err != nil })
	d.Restart()
	waitSnap(t, snaps, "the box back after a kill", func(s Snapshot) bool {
		return s.Connected && state(gid, StatePaused)(s)
	})
}

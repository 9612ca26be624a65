package engine

import (
	"context"
	"encoding/json"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/haul-dl/haul/engine/safename"
)

// Reasons a running download is stopped, passed as context causes.
var (
	errPause    = stopCause("paused")
	errCancel   = stopCause("canceled")
	errRemove   = stopCause("removed")
	errShutdown = stopCause("shutting down")
	// errFolderGone stops a download whose folder was deleted under it.
	errFolderGone = stopCause("download folder deleted")
)

type stopCause string

func (s stopCause) Error() string { return string(s) }

// download is the manager's record of one download. Fields without a
// comment are guarded by Manager.mu.
type download struct {
	id        string
	url       *url.URL // as given, password included (never stored)
	dir       string
	name      string
	nameFixed bool // name chosen and reserved; survives restarts
	explicit  bool // name given by the user
	checksum  string
	server    string // digest announced by the server, "algo=hex"
	conns     int
	added     time.Time
	seq       int64 // position in the list, kept across restarts

	state   State
	err     string
	retry   string // "retrying in 4s: ..." while waiting to retry
	warning string
	total   int64
	etag    string
	lastMod string
	ranges  bool
	pieces  []pieceRec // last checkpoint
	held    bool       // restored from disk, waiting for the user or `haul get`

	run      *runState
	received atomic.Int64 // bytes written, live
	conn     atomic.Int32 // connections transferring, live
	speed    float64
	lastRecv int64
	lastTick time.Time
	dirty    bool // changed since last published
}

// runState is what exists while a goroutine works on a download.
type runState struct {
	cancel context.CancelCauseFunc
	done   chan struct{}

	mu   sync.Mutex // guards file and ps for checkpoints
	file partFile
	ps   *pieceSet
}

// partFile is the open .part file (an *os.File; tests wrap it to inject
// faults such as a full disk).
type partFile interface {
	io.ReaderAt
	io.WriterAt
	Sync() error
	Close() error
	Stat() (os.FileInfo, error)
}

// record is a download as stored on disk.
type record struct {
	V         int        `json:"v"`
	ID        string     `json:"id"`
	URL       string     `json:"url"` // password removed
	Dir       string     `json:"dir"`
	Name      string     `json:"name"`
	NameFixed bool       `json:"nameFixed,omitempty"`
	Explicit  bool       `json:"explicit,omitempty"`
	Checksum  string     `json:"checksum,omitempty"`
	Server    string     `json:"serverDigest,omitempty"`
	Conns     int        `json:"conns,omitempty"`
	Added     time.Time  `json:"added"`
	Seq       int64      `json:"seq"`
	State     string     `json:"state"`
	Err       string     `json:"err,omitempty"`
	Warning   string     `json:"warning,omitempty"`
	Total     int64      `json:"total"`
	ETag      string     `json:"etag,omitempty"`
	LastMod   string     `json:"lastModified,omitempty"`
	Ranges    bool       `json:"ranges,omitempty"`
	Pieces    []pieceRec `json:"pieces,omitempty"`
}

func (d *download) record() []byte {
	st := d.state
	if st == Active {
		st = Queued // resumes on the next start
	}
	r := record{
		V: 1, ID: d.id, URL: withoutPassword(d.url).String(), Dir: d.dir, Name: d.name,
		NameFixed: d.nameFixed, Explicit: d.explicit, Checksum: d.checksum, Server: d.server, Conns: d.conns,
		Added: d.added, Seq: d.seq, State: st.String(), Err: d.err, Warning: d.warning, Total: d.total,
		ETag: d.etag, LastMod: d.lastMod, Ranges: d.ranges, Pieces: d.pieces,
	}
	b, _ := json.Marshal(r) // cannot fail: plain data
	return b
}

func parseState(s string) (State, bool) {
	for i, n := range stateNames {
		if n == s {
			return State(i), true
		}
	}
	return 0, false
}

func downloadFromRecord(data []byte) (*download, error) {
	var r record
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, err
	}
	u, err := ParseURL(r.URL)
	if err != nil {
		return nil, err
	}
	st, ok := parseState(r.State)
	if !ok {
		st = Failed
	}
	d := &download{
		id: r.ID, url: u, dir: r.Dir, name: r.Name, nameFixed: r.NameFixed, explicit: r.Explicit,
		checksum: r.Checksum, server: r.Server, conns: r.Conns, added: r.Added, seq: r.Seq,
		state: st, err: r.Err, warning: r.Warning, total: r.Total, etag: r.ETag,
		lastMod: r.LastMod, ranges: r.Ranges, pieces: r.Pieces,
	}
	var got int64
	for _, p := range r.Pieces {
		got += p.Pos - p.Start
	}
	if st == Completed {
		got = r.Total
	}
	d.received.Store(got)
	d.dirty = true
	return d, nil
}

func (d *download) snapshot() Snapshot {
	s := Snapshot{
		ID: d.id, URL: redact(d.url), Dir: d.dir, Name: d.name, State: d.state,
		Total: d.total, Received: d.received.Load(), Speed: d.speed, ETA: -1,
		Err: safename.Display(d.err), Warning: d.warning, Added: d.added,
	}
	if d.run != nil {
		s.Conns = int(d.conn.Load())
		if d.retry != "" {
			s.Err = safename.Display(d.retry)
		}
	} else {
		s.Speed = 0
	}
	if s.State == Paused && d.held {
		s.Warning = joinWarn(s.Warning, "not resumed yet")
	}
	if s.Speed > 0 && s.Total > 0 && s.State == Active {
		s.ETA = time.Duration(float64(s.Total-s.Received) / s.Speed * float64(time.Second))
	}
	return s
}

func joinWarn(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// resetProgress forgets everything about the transfer so it restarts from
// zero (the .part file is dealt with by the caller).
func (d *download) resetProgress() {
	d.total = -1
	d.etag, d.lastMod, d.server = "", "", ""
	d.ranges = false
	d.pieces = nil
	d.warning = ""
	d.received.Store(0)
}

func joinPath(dir, name string) string {
	if name == "" {
		return dir
	}
	return filepath.Join(dir, name)
}

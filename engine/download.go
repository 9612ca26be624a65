package engine

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/haul-dl/haul/engine/internal/transfer"
	"github.com/haul-dl/haul/engine/links"
	"github.com/haul-dl/haul/engine/safename"
)

// Reasons a running download is stopped, passed as context causes.
var (
	errPause    = stopCause("paused")
	errCancel   = stopCause("canceled")
	errRemove   = stopCause("removed")
	errShutdown = stopCause("shutting down")
)

type stopCause string

func (s stopCause) Error() string { return string(s) }

// partSuffix marks a file that is still being downloaded.
const partSuffix = transfer.PartSuffix

// download is the manager's record of one download. Fields without a
// comment are guarded by Manager.mu. A running transfer never reads
// them: it gets a transfer.Spec, a copy, when it starts.
type download struct {
	id        string
	url       *url.URL    // as given, password included (never stored)
	header    http.Header // extra request headers (never stored)
	headers   bool        // the request had extra headers (stored: they must be given again)
	page      string      // the Referer, redacted
	dir       string
	kindBase  string // filed by kind: dir is a kind folder under it, following the name (stored)
	name      string
	nameFixed bool // name chosen and reserved; survives restarts
	// placing is the final name the finished .part is being moved to
	// (stored before the move; see reporter.Placing), "" otherwise.
	placing  string
	explicit bool // name given by the user
	checksum string
	limits   *transfer.Limits // this download's own limits, live
	proto    string           // protoHLS or protoDASH for a stream; "" for a file over HTTP
	quality  string           // the HLS variant asked for ("" = best)
	added    time.Time
	seq      int64 // position in the list, kept across restarts

	state   State
	problem Problem    // why it failed (Failed only)
	retry   *RetryInfo // while waiting to retry
	res     transfer.Resume
	held    bool // restored from disk, waiting for the user or `haul get`

	refreshed   bool    // a new link was set over bytes on disk (see SetURL); stored
	refreshBase int64   // the bytes on disk then
	hist        history // the last attempts; stored

	run      *runState
	received atomic.Int64 // bytes written, live
	conn     atomic.Int32 // connections transferring, live
	segs     atomic.Int64 // HLS: segments done<<32 | segments in all, live
	estimate atomic.Int64 // HLS: the file's estimated size; 0 if none
	kind     string       // a stream's kind ("HLS", "DASH") once its manifest is read
	chosen   string       // a stream's chosen video quality ("720p"); "" unknown
	speed    float64
	lastRecv int64
	lastTick time.Time
	dirty    bool // changed since last published: in Manager.toPublish
}

// runState is what exists while a goroutine works on a download.
type runState struct {
	cancel context.CancelCauseFunc
	done   chan struct{}
	// written reads the pieces as the transfer wrote them (see
	// transfer.Reporter.Live); nil until it is handed over.
	written func() []transfer.Piece
	// finishing is whether the run gave its slot back while its file is
	// being finished (see reporter.Fetching).
	finishing bool
	// startNow is set by a Start now that came while the run was
	// stopping: the download starts again as soon as it has stopped.
	startNow bool
}

// partFile is the open .part file (tests wrap it to inject faults).
type partFile = transfer.File

// record is a download as stored on disk.
type record struct {
	V         int              `json:"v"`
	ID        string           `json:"id"`
	URL       string           `json:"url"` // password removed
	Headers   bool             `json:"headers,omitempty"`
	Page      string           `json:"page,omitempty"`
	Dir       string           `json:"dir"`
	KindBase  string           `json:"kindBase,omitempty"`
	Name      string           `json:"name"`
	NameFixed bool             `json:"nameFixed,omitempty"`
	Placing   string           `json:"placing,omitempty"`
	Explicit  bool             `json:"explicit,omitempty"`
	Checksum  string           `json:"checksum,omitempty"`
	Server    string           `json:"serverDigest,omitempty"`
	Conns     int              `json:"conns,omitempty"`
	Rate      int64            `json:"rate,omitempty"` // this download's own speed limit, bytes/s
	Added     time.Time        `json:"added"`
	Seq       int64            `json:"seq"`
	State     string           `json:"state"`
	Err       string           `json:"err,omitempty"`
	Kind      string           `json:"kind,omitempty"`
	Status    int              `json:"status,omitempty"`
	Warning   string           `json:"warning,omitempty"`
	Total     int64            `json:"total"`
	ETag      string           `json:"etag,omitempty"`
	LastMod   string           `json:"lastModified,omitempty"`
	Ranges    bool             `json:"ranges,omitempty"`
	Pieces    []transfer.Piece `json:"pieces,omitempty"`
	Proto     json.RawMessage  `json:"protoState,omitempty"`
	Protocol  string           `json:"protocol,omitempty"` // "hls", "dash" or "" (HTTP)
	Quality   string           `json:"quality,omitempty"`
	Refreshed bool             `json:"refreshed,omitempty"`
	History   json.RawMessage  `json:"history,omitempty"`
	Stream    string           `json:"stream,omitempty"` // a stream's kind as read: "HLS", "DASH"
	Chosen    string           `json:"chosen,omitempty"` // the video quality chosen: "720p"
}

// record is d as stored, with slices shared with d: the saver copies
// them before it lets go of the lock, and marshals it outside.
func (d *download) record() record {
	st := d.state
	if st == Active {
		st = Queued // resumes on the next start
	}
	conns, _ := d.limits.Connections()
	r := record{
		V: 1, ID: d.id, URL: withoutPassword(d.url).String(), Headers: d.headers, Page: d.page, Dir: d.dir, KindBase: d.kindBase, Name: d.name,
		NameFixed: d.nameFixed, Placing: d.placing, Explicit: d.explicit, Checksum: d.checksum, Server: d.res.ServerDigest, Conns: conns, Rate: d.limits.Rate(),
		Added: d.added, Seq: d.seq, State: st.String(), Err: d.problem.Message, Kind: d.problem.Kind.String(),
		Status: d.problem.Status, Warning: d.res.Warning, Total: d.res.Total,
		ETag: d.res.ETag, LastMod: d.res.LastModified, Ranges: d.res.Ranges, Pieces: d.res.Pieces, Proto: d.res.State, Refreshed: d.refreshed,
		Protocol: d.proto, Quality: d.quality, History: d.hist.stored(), Stream: d.kind, Chosen: d.chosen,
	}
	return r
}

func parseState(s string) (State, bool) {
	for i, n := range stateNames {
		if n == s {
			return State(i), true
		}
	}
	return 0, false
}

func parseKind(s string) ErrorKind {
	for i, n := range kindNames {
		if n == s {
			return ErrorKind(i)
		}
	}
	return KindInternal
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
		id: r.ID, url: u, headers: r.Headers, page: r.Page, dir: r.Dir, kindBase: r.KindBase, name: r.Name, nameFixed: r.NameFixed, placing: r.Placing, explicit: r.Explicit,
		checksum: r.Checksum, limits: transfer.NewLimits(r.Conns, max(r.Rate, 0)), added: r.Added, seq: r.Seq, state: st,
		proto: r.Protocol, quality: r.Quality, refreshed: r.Refreshed, kind: r.Stream, chosen: r.Chosen,
		res: transfer.Resume{Total: r.Total, ETag: r.ETag, LastModified: r.LastMod, Ranges: r.Ranges,
			ServerDigest: r.Server, Warning: r.Warning, Pieces: r.Pieces, State: r.Proto},
	}
	if r.Err != "" {
		d.problem = Problem{Kind: parseKind(r.Kind), Status: r.Status, Message: r.Err}
	}
	var got int64
	for _, p := range r.Pieces {
		got += p.Pos - p.Start
	}
	if st == Completed {
		got = r.Total
	}
	d.received.Store(got)
	d.refreshBase = got
	d.hist.restore(r.History)
	return d, nil
}

func (d *download) snapshot() Snapshot {
	s := Snapshot{
		ID: d.id, URL: d.url.Redacted(), Dir: d.dir, Name: d.name, State: d.state,
		Total: d.res.Total, Received: d.received.Load(), Speed: d.speed, ETA: -1,
		Warning: d.res.Warning, Added: d.added, Seq: d.seq, Page: d.page, Stream: isStream(d.proto),
	}
	s.StreamKind, s.Quality = d.kind, d.chosen
	if segs := d.segs.Load(); segs != 0 {
		s.SegmentsDone, s.Segments = int(segs>>32), int(segs&(1<<32-1))
	}
	if est := d.estimate.Load(); s.Total < 0 && est > 0 && s.State != Completed {
		s.Total, s.Estimated = max(est, s.Received), true
	}
	if d.state == Failed {
		s.Problem = d.problem
		s.Problem.Message = safename.Display(links.Scrub(d.problem.Message)) // also one stored by an older Haul
		s.Err = s.Problem.Message
	}
	if d.run != nil {
		s.Conns, s.Finishing = int(d.conn.Load()), d.run.finishing
		if d.retry != nil {
			r := *d.retry
			r.Problem.Message = safename.Display(r.Problem.Message)
			s.Retry = &r
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
	if a == "" || b == "" {
		return a + b
	}
	return a + "; " + b
}

// resetProgress forgets everything about the transfer so it restarts from
// zero (the .part file is dealt with by the caller).
func (d *download) resetProgress() {
	d.res = transfer.Resume{Total: -1}
	d.received.Store(0)
	d.segs.Store(0)
	d.estimate.Store(0)
}

func joinPath(dir, name string) string {
	if name == "" {
		return dir
	}
	return filepath.Join(dir, name)
}

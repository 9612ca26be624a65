package engine

import (
	"net/http"
	"time"

	"github.com/haul-dl/haul/schedule"
)

// Options configures a Manager. Zero values mean the documented defaults.
type Options struct {
	// StateDir is the folder of the state store (required).
	StateDir string
	// DefaultDir is the destination when a Request has no Dir.
	DefaultDir string
	// MaxActive is how many downloads run at once (default 4).
	MaxActive int
	// Connections is the most connections one download uses (default 16).
	// Files smaller than two MinPiece use one.
	Connections int
	// PerHost caps connections to one host across downloads (default 16).
	PerHost int
	// MinPiece is the smallest piece worth its own connection (default 1 MiB).
	MinPiece int64
	// SplitAbove is the speed, in bytes per second, of a download's first
	// connection above which it is not split over more: a connection that
	// fast is not throttled per connection, and more of them only add work
	// for the CPU and the disk (default 256 MiB/s; negative: always try).
	SplitAbove int64
	// RateLimit caps the total speed in bytes per second (0 = unlimited).
	RateLimit int64
	// Retries is how many failed attempts in a row, without any byte
	// received in between, end a download as failed (default 5).
	Retries int
	// RetryBase is the first backoff; it doubles each attempt, with jitter,
	// up to RetryMax (defaults 1s and 30s).
	RetryBase, RetryMax time.Duration
	// StallTimeout restarts a connection that received nothing for this
	// long, headers included (default 30s).
	StallTimeout time.Duration
	// CACertFile names a PEM bundle trusted besides the system roots.
	CACertFile string
	// FoldersByKind files each new download in a folder of its kind under
	// its destination: DIR/Images, DIR/Videos, DIR/Music, ... (see
	// filekind.Kind.Folder). The kind is judged from the name the link
	// gives when the download is added, and again from the name the
	// download finally gets (the server's Content-Disposition, say) when
	// the server first answers: the download moves to that kind's folder
	// before its partial file is created. SetFoldersByKind changes it for
	// downloads added later.
	FoldersByKind bool
	// AllowDowngrade permits redirects from https to plain http.
	AllowDowngrade bool
	// HoldRestored keeps unfinished downloads from an earlier run waiting
	// instead of resuming them at once; adding the same URL again resumes
	// it (what `haul get` wants). The window resumes everything.
	HoldRestored bool
	// PublishInterval is the period of progress updates (default 150ms).
	PublishInterval time.Duration
	// CheckpointInterval is how often progress is flushed and saved
	// (default 500ms): about this much data is lost to a crash.
	CheckpointInterval time.Duration
	// Transport replaces Haul's own HTTP transport (for tests).
	Transport http.RoundTripper
	// Clock and Location are the wall clock the schedule follows
	// (defaults: the system clock and time.Local; tests set a fake one).
	Clock    schedule.Clock
	Location *time.Location

	// saveGap is the least time between two commits nobody waits for
	// (default saveGap; tests set a longer one).
	saveGap time.Duration
}

func (o Options) withDefaults() Options {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	defDur := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&o.MaxActive, DefaultMaxActive)
	def(&o.Connections, DefaultConnections)
	def(&o.PerHost, DefaultPerHost)
	def(&o.Retries, DefaultRetries)
	if o.MinPiece <= 0 {
		o.MinPiece = DefaultMinPiece
	}
	if o.SplitAbove == 0 {
		o.SplitAbove = DefaultSplitAbove
	}
	defDur(&o.RetryBase, DefaultRetryBase)
	defDur(&o.RetryMax, DefaultRetryMax)
	defDur(&o.StallTimeout, DefaultStallTimeout)
	defDur(&o.PublishInterval, DefaultPublishInterval)
	defDur(&o.CheckpointInterval, DefaultCheckpointInterval)
	defDur(&o.saveGap, saveGap)
	return o
}

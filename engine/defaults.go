package engine

import "time"

// Defaults and limits of the settings, defined once for the engine, `haul
// get` and the window. A zero Options field means the default; the
// front ends refuse values above the limits.
const (
	DefaultMaxActive = 4  // downloads at once
	MaxMaxActive     = 64 // the most downloads at once a user may ask for

	DefaultConnections = 16 // connections per download
	MaxConnections     = 32 // the most connections per download a user may ask for

	DefaultPerHost  = 16      // connections to one host across downloads
	DefaultMinPiece = 1 << 20 // smallest piece worth its own connection
	// DefaultSplitAbove is the speed (bytes/s) of one connection above
	// which a download is not split over more (see Options.SplitAbove).
	DefaultSplitAbove = 256 << 20
	DefaultRetries    = 5 // failed attempts in a row that end a download

	DefaultRetryBase          = time.Second
	DefaultRetryMax           = 30 * time.Second
	DefaultStallTimeout       = 30 * time.Second
	DefaultPublishInterval    = 150 * time.Millisecond
	DefaultCheckpointInterval = 500 * time.Millisecond
)

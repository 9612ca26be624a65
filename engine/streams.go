package engine

import (
	"errors"
	"net/url"
	"os"
	"strings"

	"github.com/haul-dl/haul/engine/hls"
	"github.com/haul-dl/haul/engine/internal/transfer"
	"github.com/haul-dl/haul/engine/internal/transfer/dash"
	hlsproto "github.com/haul-dl/haul/engine/internal/transfer/hls"
	"github.com/haul-dl/haul/engine/mpd"
)

// The protocols of a download that is a stream, as stored.
const (
	protoHLS  = "hls"
	protoDASH = "dash"
)

// isStream reports whether a download stored with proto is a stream.
func isStream(proto string) bool { return proto == protoHLS || proto == protoDASH }

// protocol is the transfer protocol of a download stored with proto.
func protocol(proto, quality string) transfer.Protocol {
	switch proto {
	case protoHLS:
		return hlsproto.New(quality)
	case protoDASH:
		return dash.New(quality, userLanguage())
	}
	return transfer.HTTP{}
}

// streamProtoOfURL is the stream protocol a link names by its path
// (.m3u8, .mpd); "" for a file.
func streamProtoOfURL(u *url.URL) string {
	switch {
	case hls.IsPlaylistURL(u):
		return protoHLS
	case mpd.IsManifestURL(u):
		return protoDASH
	}
	return ""
}

// streamProto is the stream protocol an HTTP run found the link to be
// by its Content-Type; "" for none.
func streamProto(err error) string {
	switch {
	case errors.Is(err, transfer.ErrPlaylist):
		return protoHLS
	case errors.Is(err, transfer.ErrManifest):
		return protoDASH
	}
	return ""
}

// tentativeStreamName is the name shown for a stream before its
// manifest is read.
func tentativeStreamName(proto string, u *url.URL) string {
	if proto == protoDASH {
		return dash.TentativeName(u)
	}
	return hlsproto.TentativeName(u)
}

// userLanguage is the language of the user's locale ("fr" of
// LANG=fr_FR.UTF-8), for choosing a DASH stream's audio; "" for none.
func userLanguage() string {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		l := os.Getenv(v)
		if l == "" {
			continue
		}
		l, _, _ = strings.Cut(l, ".")
		l, _, _ = strings.Cut(l, "_")
		if l == "C" || l == "POSIX" {
			return ""
		}
		return strings.ToLower(l)
	}
	return ""
}

// Stream records what a stream is once its manifest is read (see
// transfer.Reporter.Stream), for the row and the details.
func (p *reporter) Stream(kind, quality string) {
	p.m.mu.Lock()
	defer p.m.unlock()
	if p.d.run != p.r {
		return
	}
	if p.d.kind == kind && p.d.chosen == quality {
		return
	}
	p.d.kind, p.d.chosen = kind, quality
	p.m.touch(p.d)
	if p.current() {
		p.m.persistLocked(p.d) // the row says it after a restart too
	}
}

package aria2box

import (
	"context"
	"path"
	"strings"
	"time"

	"github.com/haul-dl/haul/engine"
	"github.com/haul-dl/haul/engine/links"
	"github.com/haul-dl/haul/remote/aria2"
)

// states maps aria2's states to the engine's.
var states = map[string]engine.State{
	aria2.StateActive:   engine.Active,
	aria2.StateWaiting:  engine.Queued,
	aria2.StatePaused:   engine.Paused,
	aria2.StateComplete: engine.Completed,
	aria2.StateError:    engine.Failed,
	aria2.StateRemoved:  engine.Canceled,
}

// snapshots converts the box's list, keeping aria2's order (active, then
// the queue, then the stopped ones) as Seq.
func snapshots(s aria2.Snapshot) []engine.Snapshot {
	all := s.All()
	out := make([]engine.Snapshot, len(all))
	for i, st := range all {
		out[i] = snapshot(st, int64(i))
	}
	return out
}

// snapshot is one aria2 download in the engine's terms. The link is
// redacted; the name is the file's, or the link's last segment before
// the server named it.
func snapshot(st aria2.Status, seq int64) engine.Snapshot {
	uri := firstURI(st)
	s := engine.Snapshot{
		ID:       st.GID,
		URL:      links.Redact(uri),
		Dir:      st.Dir,
		State:    states[st.State],
		Total:    int64(st.Total),
		Received: int64(st.Completed),
		Speed:    float64(st.Speed),
		ETA:      -1,
		Conns:    int(st.Connections),
		Seq:      seq,
	}
	if len(st.Files) > 0 && st.Files[0].Path != "" {
		s.Name = baseName(st.Files[0].Path)
	} else if uri != "" {
		s.Name = path.Base(strings.SplitN(strings.SplitN(uri, "?", 2)[0], "#", 2)[0])
	}
	if s.Total == 0 && s.State != engine.Completed {
		s.Total = -1 // aria2 says 0 before the server answered
	}
	if s.Speed > 0 && s.Total > 0 {
		s.ETA = time.Duration(float64(s.Total-s.Received)/s.Speed) * time.Second
	}
	if s.State == engine.Failed {
		msg := st.ErrorMessage
		if msg == "" {
			msg = "aria2 error " + st.ErrorCode
		}
		s.Err = msg
		s.Problem = problem(st.ErrorCode, msg)
	}
	return s
}

// errorKinds maps aria2's exit codes (see aria2c(1), EXIT STATUS) to the
// engine's kinds of failure.
var errorKinds = map[string]engine.ErrorKind{
	"2": engine.KindNetwork, "6": engine.KindNetwork, "19": engine.KindNetwork,
	"3": engine.KindHTTP, "22": engine.KindProtocol, "24": engine.KindAuth,
	"9": engine.KindDisk, "15": engine.KindDisk, "16": engine.KindDisk, "17": engine.KindDisk, "18": engine.KindDisk,
	"32": engine.KindIntegrity,
}

func problem(code, msg string) engine.Problem {
	p := engine.Problem{Kind: engine.KindInternal, Message: msg}
	if k, ok := errorKinds[code]; ok {
		p.Kind = k
	}
	if code == "3" {
		p.Status = 404
	}
	return p
}

// Details returns a download with the pieces the box has as its file map
// (aria2's bitfield turned into byte ranges).
func (b *Box) Details(id string) (engine.Details, bool) {
	st, ok := b.w.Last().Find(id)
	if !ok {
		return engine.Details{}, false
	}
	d := engine.Details{Snapshot: snapshot(st, 0)}
	d.Have = pieces(st.Bitfield, int64(st.PieceLength), int64(st.NumPieces), int64(st.Total))
	if st.State == aria2.StateComplete && st.Total > 0 {
		d.Have = []engine.ByteRange{{Start: 0, End: int64(st.Total)}}
	}
	d.Saved = d.Have
	d.Ranges = st.Connections > 1 || st.NumPieces > 1
	return d, true
}

// pieces turns a bitfield (hex, the high bit of the first digit is piece
// 0) into the byte ranges of the pieces set, merged; nil if it does not
// fit the sizes.
func pieces(bitfield string, pieceLen, num, total int64) []engine.ByteRange {
	if pieceLen <= 0 || total <= 0 || num <= 0 || int64(len(bitfield))*4 < num {
		return nil
	}
	var out []engine.ByteRange
	for i := int64(0); i < num; i++ {
		c := bitfield[i/4]
		var v byte
		switch {
		case c >= '0' && c <= '9':
			v = c - '0'
		case c >= 'a' && c <= 'f':
			v = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			v = c - 'A' + 10
		default:
			return nil
		}
		if v&(8>>(i%4)) == 0 {
			continue
		}
		start, end := i*pieceLen, min((i+1)*pieceLen, total)
		if start >= end {
			break
		}
		if n := len(out); n > 0 && out[n-1].End == start {
			out[n-1].End = end
		} else {
			out = append(out, engine.ByteRange{Start: start, End: end})
		}
	}
	return out
}

// Subscription delivers the box's list as batches, like the engine's: the
// first batch is the whole list, later ones only what changed, with
// Removed set on downloads that left it. Conn delivers the connection's
// state when it changes.
type Subscription struct {
	ch     chan []engine.Snapshot
	conn   chan Conn
	cancel context.CancelFunc
	done   chan struct{}
}

// C is the channel of batches; it is closed after Close.
func (s *Subscription) C() <-chan []engine.Snapshot { return s.ch }

// ConnC delivers the newest connection state (an unread one is replaced).
func (s *Subscription) ConnC() <-chan Conn { return s.conn }

// Close ends the subscription.
func (s *Subscription) Close() {
	s.cancel()
	<-s.done
}

// Subscribe follows the box's list until Close.
func (b *Box) Subscribe() *Subscription {
	ctx, cancel := context.WithCancel(b.ctx)
	s := &Subscription{ch: make(chan []engine.Snapshot, 1), conn: make(chan Conn, 1), cancel: cancel, done: make(chan struct{})}
	snaps, unsubscribe := b.w.Subscribe()
	go func() {
		defer close(s.done)
		defer close(s.ch)
		defer unsubscribe()
		var prev map[string]engine.Snapshot
		var lastConn *Conn
		first := true
		send := func(batch []engine.Snapshot) bool {
			select {
			case s.ch <- batch:
				return true
			case <-ctx.Done():
				return false
			}
		}
		if !send(b.List()) { // the whole list as it is now, even before the box answered
			return
		}
		for {
			var snap aria2.Snapshot
			select {
			case <-ctx.Done():
				return
			case snap = <-snaps:
			}
			c := connOf(snap)
			if lastConn == nil || c.Connected != lastConn.Connected || errText(c.Err) != errText(lastConn.Err) || c.Retry != lastConn.Retry || c.Global != lastConn.Global {
				select {
				case <-s.conn:
				default:
				}
				s.conn <- c
				lastConn = &c
			}
			if !snap.Connected {
				continue // keep showing the list as last seen
			}
			list := snapshots(snap)
			next := make(map[string]engine.Snapshot, len(list))
			var batch []engine.Snapshot
			for _, d := range list {
				next[d.ID] = d
				if old, ok := prev[d.ID]; first || !ok || old != d {
					batch = append(batch, d)
				}
			}
			for id, old := range prev {
				if _, ok := next[id]; !ok {
					old.Removed = true
					batch = append(batch, old)
				}
			}
			prev, first = next, false
			if len(batch) > 0 && !send(batch) {
				return
			}
		}
	}()
	return s
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

package engine

import (
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/haul-dl/haul/engine/filekind"
	"github.com/haul-dl/haul/engine/hls"
	"github.com/haul-dl/haul/engine/internal/transfer"
	"github.com/haul-dl/haul/engine/safename"
)

// Add queues a download and returns its ID. Adding a URL that is already
// in the list for the same folder (and name) does not duplicate it: an
// unfinished one is resumed, a completed one whose file still exists is
// left alone, and its ID is returned.
func (m *Manager) Add(req Request) (string, error) {
	a := m.AddAll([]Request{req})[0]
	return a.ID, a.Err
}

// Added is the outcome of adding one Request.
type Added struct {
	ID       string
	Existing bool  // the download was already in the list (see Add)
	Err      error // the request was refused
}

// prepared is a checked Request.
type prepared struct {
	u              *url.URL
	header         http.Header
	page           string
	dir, name, sum string
	kindBase       string // filed by kind under this folder; "" if not
	conns          int
	proto, quality string
}

// AddAll adds many downloads at once: the way to add a long link list.
// The i-th result answers reqs[i]. The scheduler runs once for the whole
// batch, and the records reach the state store in the background within
// milliseconds (see Notice for a failure).
func (m *Manager) AddAll(reqs []Request) []Added {
	out := make([]Added, len(reqs))
	preps := make([]prepared, len(reqs))
	for i, req := range reqs {
		preps[i], out[i].Err = m.prepare(req)
	}
	// Completed downloads count as "already there" only while their file
	// exists: look, without the lock, at the ones these requests match.
	m.mu.Lock()
	var paths []string
	for i, p := range preps {
		if out[i].Err == nil {
			for _, d := range m.sameLink(p) {
				if d.state == Completed {
					paths = append(paths, joinPath(d.dir, d.name))
				}
			}
		}
	}
	m.mu.Unlock()
	present := map[string]bool{}
	for _, p := range paths {
		if _, err := os.Lstat(p); err == nil {
			present[p] = true
		}
	}

	m.mu.Lock()
	defer m.unlock()
	if m.closed {
		for i := range out {
			if out[i].Err == nil {
				out[i].Err = errors.New("engine: manager is closed")
			}
		}
		return out
	}
	changed := 0
	for i, p := range preps {
		if out[i].Err != nil {
			continue
		}
		changed++
		if d := m.existing(p, present); d != nil {
			out[i].ID, out[i].Existing = d.id, true
			if (d.state == Paused && !reqs[i].Paused) || d.state == Failed {
				m.requeue(d)
			}
			m.persistLocked(d)
			continue
		}
		d := &download{
			id: newID(), url: p.u, header: p.header, headers: len(p.header) > 0, page: p.page,
			dir: p.dir, kindBase: p.kindBase, name: p.name, explicit: p.name != "", checksum: p.sum, limits: transfer.NewLimits(p.conns, 0),
			proto: p.proto, quality: p.quality, added: time.Now(), seq: m.nextSeq, state: Queued, res: transfer.Resume{Total: -1},
		}
		m.nextSeq++
		if reqs[i].Paused {
			d.state = Paused
		}
		if p.name == "" {
			d.name = transfer.TentativeName(p.u)
			if isStream(p.proto) {
				d.name = tentativeStreamName(p.proto, p.u)
			}
		}
		m.byID[d.id] = d
		m.order = append(m.order, d)
		m.markLocked(d)
		m.keyLocked(d)
		m.persistLocked(d)
		out[i].ID = d.id
	}
	if changed > 0 {
		m.broadcastLocked()
	}
	m.schedule()
	return out
}

// prepare checks a request and works out its URL, headers, folder, name
// and checksum. It touches no shared state.
func (m *Manager) prepare(req Request) (p prepared, err error) {
	if p.u, err = ParseURL(req.URL); err != nil {
		return p, err
	}
	if req.Checksum != "" {
		algo, sum, err := ParseChecksum(req.Checksum)
		if err != nil {
			return p, err
		}
		p.sum = algo + "=" + sum
	}
	if p.dir = req.Dir; p.dir == "" {
		p.dir = m.opt.DefaultDir
	}
	if p.dir == "" {
		return p, errors.New("no destination folder")
	}
	if p.dir, err = filepath.Abs(p.dir); err != nil {
		return p, fmt.Errorf("destination folder: %w", err)
	}
	if req.Name != "" {
		if p.name = safename.Sanitize(req.Name); p.name == "" {
			return p, fmt.Errorf("file name %q is not usable", safename.Display(req.Name))
		}
	}
	p.header = transfer.CleanHeader(req.Header)
	if ref := p.header.Get("Referer"); ref != "" {
		if u, err := url.Parse(ref); err == nil && u.Host != "" {
			p.page = u.Redacted()
		}
	}
	p.conns = max(req.Connections, 0)
	if q := strings.TrimSpace(req.Quality); q != "" {
		hq, err := hls.ParseQuality(q)
		if err != nil {
			return p, err
		}
		if hq != hls.Best {
			p.quality = hq.String()
		}
	}
	p.proto = streamProtoOfURL(p.u)
	if m.byKind.Load() {
		kind := filekind.Video // a stream is saved as a video
		if !isStream(p.proto) {
			name := p.name
			if name == "" {
				name = transfer.TentativeName(p.u)
			}
			kind = filekind.Of(name, "")
		}
		p.kindBase, p.dir = p.dir, filepath.Join(p.dir, kind.Folder())
	}
	return p, nil
}

// nameKey identifies a file name in a folder, for the reserved set.
func nameKey(dir, name string) string { return dir + "\x00" + name }

// dedupKey identifies "the same download": URL (without password) and folder.
func dedupKey(u *url.URL, dir string) string {
	return withoutPassword(u).String() + "\x00" + dir
}

// existing finds a download in the list that p would duplicate: an
// unfinished one, or a completed one whose file is present. A password
// or headers given again are used again. Called with m.mu held.
func (m *Manager) existing(p prepared, present map[string]bool) *download {
	for _, d := range m.sameLink(p) {
		if p.name != "" && d.name != p.name {
			continue
		}
		switch d.state {
		case Canceled:
			continue
		case Completed:
			if !present[joinPath(d.dir, d.name)] {
				continue
			}
		}
		if p.u.User != nil {
			d.url = p.u // a running transfer keeps its own copy
		}
		if len(p.header) > 0 {
			d.header, d.headers = p.header, true
			if p.page != "" {
				d.page = p.page
			}
		}
		return d
	}
	return nil
}

// requeue puts a stopped download back in line; the caller runs the
// scheduler. Called with m.mu held.
func (m *Manager) requeue(d *download) {
	d.state, d.held = Queued, false
	d.problem, d.retry = Problem{}, nil
	m.touch(d)
}

// Pause stops a queued or active download, keeping what it has. On a
// download that is not queued or active it does nothing.
func (m *Manager) Pause(id string) error {
	return m.act(id, func(d *download) {
		if d.state == Queued || d.state == Active {
			d.state = Paused
			if d.run != nil {
				d.run.cancel(errPause)
			}
			m.touch(d)
		}
	})
}

// Resume restarts a paused or failed download where it stopped. On any
// other download it does nothing.
func (m *Manager) Resume(id string) error {
	return m.act(id, func(d *download) {
		if d.state == Paused || d.state == Failed {
			m.requeue(d)
		}
	})
}

// Retry starts a failed, paused or canceled download again; a failed one
// keeps the bytes it had.
func (m *Manager) Retry(id string) error {
	return m.actErr(id, func(d *download) error {
		switch d.state {
		case Failed, Paused:
			m.requeue(d)
			return nil
		case Canceled:
			d.resetProgress()
			m.requeue(d)
			return nil
		}
		return fmt.Errorf("cannot retry a download that is %s", d.state)
	})
}

// Cancel stops a download and deletes its partial data. The entry stays
// in the list (as canceled) until removed. On a completed or canceled
// download it does nothing.
func (m *Manager) Cancel(id string) error {
	return m.act(id, func(d *download) {
		if d.state == Completed || d.state == Canceled {
			return
		}
		d.state, d.retry = Canceled, nil
		if d.run != nil {
			d.run.cancel(errCancel)
		} else {
			m.discardLocked(d)
		}
		m.touch(d)
	})
}

// Remove takes a download off the list, stopping it and deleting its
// partial data first. A completed file stays on disk.
func (m *Manager) Remove(id string) error {
	m.mu.Lock()
	defer m.unlock()
	d, ok := m.byID[id]
	if !ok {
		return fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	if d.run != nil {
		d.run.cancel(errRemove)
	} else if d.state != Completed {
		m.discardLocked(d)
	}
	m.unlistLocked(d)
	m.forgetLocked(id)
	m.broadcastLocked()
	return nil
}

func (m *Manager) act(id string, f func(*download)) error {
	return m.actErr(id, func(d *download) error { f(d); return nil })
}

func (m *Manager) actErr(id string, f func(*download) error) error {
	m.mu.Lock()
	defer m.unlock()
	d, ok := m.byID[id]
	if !ok {
		return fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	if err := f(d); err != nil {
		return err
	}
	m.persistLocked(d)
	m.schedule()
	return nil
}

// discardLocked forgets the progress of a download that is not running
// and deletes its partial file once the lock is released; the name stays
// reserved until the file is gone. Called with m.mu held.
func (m *Manager) discardLocked(d *download) {
	if d.nameFixed {
		dir, name := d.dir, d.name
		d.nameFixed = false
		m.later(func() {
			err := removeParts(dir, name)
			m.mu.Lock()
			delete(m.reserved, nameKey(dir, name))
			if err != nil {
				m.discardErr = err.Error()
			}
			m.mu.Unlock()
		})
	}
	d.resetProgress()
}

// removeParts deletes name's partial files in dir: its .part and an HLS
// stream's separate audio. A file that is not there is fine; any other
// failure is tried once more, then returned.
func removeParts(dir, name string) error {
	root, err := os.OpenRoot(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil // the folder went, and the files with it
	}
	if err != nil {
		return fmt.Errorf("could not delete %s: %w", safename.Display(name+partSuffix), err)
	}
	defer root.Close()
	var errs []error
	for _, part := range []string{name + partSuffix, transfer.AudioPart(name)} {
		err := root.Remove(part)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			err = root.Remove(part)
		}
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, fmt.Errorf("could not delete %s: %w", safename.Display(part), err))
		}
	}
	return errors.Join(errs...)
}

// holdsSlot reports whether d counts against MaxActive: it has a run
// that fetches (one whose file is being finished gave its slot back, see
// reporter.Fetching). m.running is the number of such downloads; both
// schedule and SetMaxActive count by it. Called with m.mu held.
func (d *download) holdsSlot() bool { return d.run != nil && !d.run.finishing }

// schedule starts queued downloads while there is room: fewer than
// maxActive hold a slot (holdsSlot), and fewer than twice that have a
// run, counting those whose files are being finished (so a slow disk
// bounds how far fetching runs ahead of it); none while the schedule's
// queue window is closed (schedule.go). Called with m.mu held.
func (m *Manager) schedule() {
	m.schedules++
	full := func() bool { return m.running >= m.maxActive || m.running+m.finishing >= 2*m.maxActive }
	if m.closed || m.shut || full() {
		return
	}
	for _, d := range m.order {
		if full() {
			return
		}
		if d.state == Queued && d.run == nil && !d.held {
			m.start(d)
		}
	}
}

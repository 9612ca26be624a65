package engine

import (
	"path/filepath"
	"slices"

	"github.com/haul-dl/haul/engine/filekind"
)

// sameLink returns the downloads of p's link in p's folder: for a request
// filed by kind, in any kind folder under its base, since a download
// follows the name the server gives into its kind's folder (see Filed).
// Called with m.mu held.
func (m *Manager) sameLink(p prepared) []*download {
	if p.kindBase == "" {
		return m.byKey[dedupKey(p.u, p.dir)]
	}
	var out []*download
	for _, k := range filekind.Kinds {
		out = append(out, m.byKey[dedupKey(p.u, filepath.Join(p.kindBase, k.Folder()))]...)
	}
	return out
}

// Filed moves a download filed by kind into the folder of the kind of the
// name its transfer chose (see transfer.Reporter.Filed), before its name
// is reserved there.
func (p *reporter) Filed(dir string) {
	p.m.mu.Lock()
	defer p.m.mu.Unlock()
	if p.d.run != p.r || p.d.dir == dir {
		return
	}
	m, d := p.m, p.d
	m.unkeyLocked(d)
	d.dir = dir
	if p.current() {
		m.keyLocked(d)
		m.persistLocked(d)
	}
	m.touch(d)
}

// keyLocked indexes d by its link and folder (see dedupKey). Called with
// m.mu held.
func (m *Manager) keyLocked(d *download) {
	k := dedupKey(d.url, d.dir)
	m.byKey[k] = append(m.byKey[k], d)
}

// unkeyLocked takes d out of the index of keyLocked, before its link or
// folder changes or it leaves the list. Called with m.mu held.
func (m *Manager) unkeyLocked(d *download) {
	k := dedupKey(d.url, d.dir)
	if m.byKey[k] = slices.DeleteFunc(m.byKey[k], func(x *download) bool { return x == d }); len(m.byKey[k]) == 0 {
		delete(m.byKey, k)
	}
}

package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"os"
)

// This file checks a bbolt file's structure from a plain copy of its bytes.
//
// bbolt reads its file through unchecked pointers into a memory map, and
// its own consistency check (tx.Check) runs in a goroutine of its own and
// panics on some damaged page headers. A damaged file could therefore
// crash Haul at every start. Everything bbolt would dereference is checked
// here first with bounds-checked slices; damage becomes an error.
//
// The layout is bbolt's file format version 2 (unchanged since 2014): a
// page starts with a 16-byte header (id uint64, flags uint16, count
// uint16, overflow uint32) in the machine's byte order, followed by count
// 16-byte elements whose keys and values sit later in the page.

const (
	pageHeaderSize = 16
	elemSize       = 16
	metaSize       = 64
	bucketHdrSize  = 16

	flagBranch   = 0x01
	flagLeaf     = 0x02
	flagMeta     = 0x04
	flagFreelist = 0x10
	flagBucket   = 0x01 // in a leaf element: the value is a nested bucket

	metaMagic   = 0xED0CDAED
	metaVersion = 2
	noFreelist  = ^uint64(0)

	// maxNesting bounds bucket nesting (Haul uses one level).
	maxNesting = 64
)

var ne = binary.NativeEndian

// meta is the part of a meta page the check needs.
type meta struct {
	root, freelist, pgid, txid uint64
}

// parseMeta decodes and validates the meta page at off, as bbolt does.
func parseMeta(data []byte, off uint64) (meta, bool) {
	if off+pageHeaderSize+metaSize > uint64(len(data)) {
		return meta{}, false
	}
	m := data[off+pageHeaderSize : off+pageHeaderSize+metaSize]
	h := fnv.New64a()
	h.Write(m[:56]) // everything before the checksum
	if ne.Uint32(m[0:]) != metaMagic || ne.Uint32(m[4:]) != metaVersion || ne.Uint64(m[56:]) != h.Sum64() {
		return meta{}, false
	}
	return meta{root: ne.Uint64(m[16:]), freelist: ne.Uint64(m[32:]), pgid: ne.Uint64(m[40:]), txid: ne.Uint64(m[48:])}, true
}

// checkFile reads the file at path and checks its structure for the page
// size bbolt chose. Reading problems are returned as they are; damage is
// a *corruptError.
func checkFile(path string, pageSize int) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read for check: %w", err)
	}
	return checkBytes(data, uint64(pageSize))
}

// checkBytes checks a whole bbolt file held in data.
func checkBytes(data []byte, ps uint64) error {
	if ps < 1024 || ps > 1<<24 {
		return corrupt("page size %d", ps)
	}
	// Use the meta bbolt uses: the valid one with the higher txid.
	m0, ok0 := parseMeta(data, 0)
	m1, ok1 := parseMeta(data, ps)
	var m meta
	switch {
	case ok0 && ok1:
		m = m0
		if m1.txid > m0.txid {
			m = m1
		}
	case ok0:
		m = m0
	case ok1:
		m = m1
	default:
		return corrupt("no valid meta page")
	}
	if m.pgid < 2 || m.pgid > uint64(len(data))/ps {
		return corrupt("page count %d does not fit a %d-byte file", m.pgid, len(data))
	}
	c := &checker{data: data, ps: ps, hwm: m.pgid, reachable: map[uint64]bool{0: true, 1: true}}

	if m.freelist != noFreelist {
		if err := c.freelist(m.freelist); err != nil {
			return err
		}
	}
	if m.root == 0 {
		return corrupt("root bucket is inline")
	}
	if _, err := c.tree(m.root, nil, nil, 0); err != nil {
		return err
	}
	if c.free != nil {
		for id := range m.pgid {
			if !c.reachable[id] && !c.free[id] {
				return corrupt("page %d is neither used nor free", id)
			}
		}
	}
	return nil
}

type checker struct {
	data      []byte
	ps, hwm   uint64
	reachable map[uint64]bool
	free      map[uint64]bool // nil when the file keeps no freelist
}

// page returns the header fields and the bytes (with overflow) of page id,
// marking it reachable.
func (c *checker) page(id uint64, want uint16) (flags uint16, count int, body []byte, err error) {
	if id < 2 || id >= c.hwm {
		return 0, 0, nil, corrupt("page %d is out of range [2, %d)", id, c.hwm)
	}
	hdr := c.data[id*c.ps:]
	if got := ne.Uint64(hdr); got != id {
		return 0, 0, nil, corrupt("page %d says it is page %d", id, got)
	}
	flags, count, overflow := ne.Uint16(hdr[8:]), int(ne.Uint16(hdr[10:])), uint64(ne.Uint32(hdr[12:]))
	if flags&want == 0 || flags&(flags-1) != 0 {
		return 0, 0, nil, corrupt("page %d has flags %#x", id, flags)
	}
	if id+overflow >= c.hwm {
		return 0, 0, nil, corrupt("page %d overflows past the end", id)
	}
	for i := id; i <= id+overflow; i++ {
		if c.reachable[i] {
			return 0, 0, nil, corrupt("page %d is used twice", i)
		}
		if c.free[i] {
			return 0, 0, nil, corrupt("page %d is used and free", i)
		}
		c.reachable[i] = true
	}
	return flags, count, c.data[id*c.ps : (id+overflow+1)*c.ps], nil
}

// freelist reads the free page IDs.
func (c *checker) freelist(id uint64) error {
	_, count, body, err := c.page(id, flagFreelist)
	if err != nil {
		return err
	}
	ids := body[pageHeaderSize:]
	n := uint64(count)
	if count == 0xFFFF {
		if len(ids) < 8 {
			return corrupt("freelist page %d is truncated", id)
		}
		n, ids = ne.Uint64(ids), ids[8:]
	}
	if n > uint64(len(ids))/8 {
		return corrupt("freelist page %d lists %d pages but has room for %d", id, n, len(ids)/8)
	}
	c.free = make(map[uint64]bool, n)
	for i := range n {
		f := ne.Uint64(ids[i*8:])
		if f < 2 || f >= c.hwm {
			return corrupt("free page %d is out of range", f)
		}
		if c.free[f] {
			return corrupt("page %d is freed twice", f)
		}
		if c.reachable[f] {
			return corrupt("page %d is used and free", f)
		}
		c.free[f] = true
	}
	return nil
}

// slice returns body[off:off+n] or false if it does not fit.
func slice(body []byte, off, n uint64) ([]byte, bool) {
	if off > uint64(len(body)) || n > uint64(len(body))-off {
		return nil, false
	}
	return body[off : off+n], true
}

// tree checks the subtree at page id, whose keys must lie in
// [minClosed, maxOpen) (nil: unbounded), with the same ordering rules as
// bbolt's tx.Check. It returns the subtree's largest key.
func (c *checker) tree(id uint64, minClosed, maxOpen []byte, depth int) ([]byte, error) {
	if depth > maxNesting {
		return nil, corrupt("page %d: tree too deep", id)
	}
	flags, count, body, err := c.page(id, flagBranch|flagLeaf)
	if err != nil {
		return nil, err
	}
	if flags == flagLeaf {
		return c.leaf(id, body, count, minClosed, maxOpen, depth)
	}
	if count == 0 {
		return nil, corrupt("branch page %d is empty", id)
	}
	type child struct {
		key []byte
		id  uint64
	}
	kids := make([]child, count)
	for i := range kids {
		e := uint64(pageHeaderSize + i*elemSize)
		el, ok := slice(body, e, elemSize)
		if !ok {
			return nil, corrupt("branch page %d: element %d out of bounds", id, i)
		}
		key, ok := slice(body, e+uint64(ne.Uint32(el)), uint64(ne.Uint32(el[4:])))
		if !ok {
			return nil, corrupt("branch page %d: key %d out of bounds", id, i)
		}
		kids[i] = child{key, ne.Uint64(el[8:])}
	}
	var maxKey []byte
	running := minClosed
	for i, k := range kids {
		if err := keyOrder(id, i, k.key, running, maxOpen); err != nil {
			return nil, err
		}
		hi := maxOpen
		if i+1 < len(kids) {
			hi = kids[i+1].key
		}
		if maxKey, err = c.tree(k.id, k.key, hi, depth+1); err != nil {
			return nil, err
		}
		running = maxKey
	}
	return maxKey, nil
}

// leaf checks a leaf page's elements and any nested buckets in it.
func (c *checker) leaf(id uint64, body []byte, count int, minClosed, maxOpen []byte, depth int) ([]byte, error) {
	var last []byte
	running := minClosed
	for i := range count {
		e := uint64(pageHeaderSize + i*elemSize)
		el, ok := slice(body, e, elemSize)
		if !ok {
			return nil, corrupt("leaf page %d: element %d out of bounds", id, i)
		}
		flags, pos, ksize, vsize := ne.Uint32(el), uint64(ne.Uint32(el[4:])), uint64(ne.Uint32(el[8:])), uint64(ne.Uint32(el[12:]))
		key, ok := slice(body, e+pos, ksize)
		if !ok {
			return nil, corrupt("leaf page %d: key %d out of bounds", id, i)
		}
		value, ok := slice(body, e+pos+ksize, vsize)
		if !ok {
			return nil, corrupt("leaf page %d: value %d out of bounds", id, i)
		}
		if err := keyOrder(id, i, key, running, maxOpen); err != nil {
			return nil, err
		}
		running, last = key, key
		if flags&flagBucket != 0 {
			if err := c.bucket(value, depth+1); err != nil {
				return nil, err
			}
		}
	}
	return last, nil
}

// bucket checks a nested bucket given its leaf value: a header (root page,
// sequence) followed, for an inline bucket (root 0), by a leaf page.
func (c *checker) bucket(value []byte, depth int) error {
	if depth > maxNesting {
		return corrupt("buckets nested too deep")
	}
	if len(value) < bucketHdrSize {
		return corrupt("bucket header is truncated")
	}
	if root := ne.Uint64(value); root != 0 {
		_, err := c.tree(root, nil, nil, depth)
		return err
	}
	page := value[bucketHdrSize:]
	if len(page) < pageHeaderSize {
		return corrupt("inline bucket is truncated")
	}
	if flags := ne.Uint16(page[8:]); flags != flagLeaf {
		return corrupt("inline bucket has flags %#x", flags)
	}
	_, err := c.leaf(0, page, int(ne.Uint16(page[10:])), nil, nil, depth)
	return err
}

// keyOrder applies tx.Check's rules to element i of page id: the first
// key is >= prev (the lower bound), later keys are > prev, and all are
// < maxOpen.
func keyOrder(id uint64, i int, key, prev, maxOpen []byte) error {
	if prev != nil || i > 0 {
		cmp := bytes.Compare(prev, key)
		if cmp > 0 || (i > 0 && cmp == 0) {
			return corrupt("page %d: key %d is out of order", id, i)
		}
	}
	if maxOpen != nil && bytes.Compare(key, maxOpen) >= 0 {
		return corrupt("page %d: key %d is beyond its parent's range", id, i)
	}
	return nil
}

package links

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

const (
	sniffBytes     = 8 << 10  // how much of the start is checked for binary data
	progressEvery  = 64 << 10 // bytes between Progress calls
	excerptBytes   = 512      // how much of an over-long line is kept for its excerpt
	ctxCheckChunks = 16       // over-long line chunks between context checks
)

const utf8BOM = "\xEF\xBB\xBF"

// lineReader splits a stream into lines with a fixed-size buffer. It counts
// bytes and lines, reports progress, and skips over-long lines chunk by chunk.
type lineReader struct {
	ctx      context.Context
	br       *bufio.Reader
	max      int
	bytes    int64
	lines    int
	sniff    bool // check the first sniffBytes for NUL bytes
	sniffed  int64
	progress func(int64, int)
	reported int64
}

func newLineReader(ctx context.Context, r io.Reader, max int, sniff bool, progress func(int64, int)) *lineReader {
	size := max + 2 // room for the line and its "\r\n"
	if size < sniffBytes {
		size = sniffBytes
	}
	return &lineReader{ctx: ctx, br: bufio.NewReaderSize(r, size), max: max, sniff: sniff, progress: progress}
}

// start checks the first chunk of input for binary data and skips a UTF-8
// byte order mark. It reads at most once from the underlying reader, so a
// slow pipe is not held up waiting for a full sniff window.
func (lr *lineReader) start() error {
	if _, err := lr.br.Peek(1); err != nil {
		if err == io.EOF {
			return nil
		}
		return fmt.Errorf("reading links: %w", err)
	}
	if lr.sniff {
		n := min(lr.br.Buffered(), sniffBytes)
		sample, _ := lr.br.Peek(n) // n bytes are buffered: cannot fail
		if looksBinary(sample) {
			return ErrBinary
		}
	}
	if b, _ := lr.br.Peek(len(utf8BOM)); string(b) == utf8BOM {
		n, _ := lr.br.Discard(len(utf8BOM))
		lr.bytes += int64(n)
		lr.sniffed += int64(n)
	}
	return nil
}

// next returns the next line without its line ending. The slice is valid
// until the following call. A line longer than max is returned with tooLong
// set and only its first excerptBytes. At the end of input next returns
// io.EOF.
func (lr *lineReader) next() (text []byte, tooLong bool, err error) {
	chunk, err := lr.br.ReadSlice('\n')
	if aerr := lr.account(chunk); aerr != nil {
		return nil, false, aerr
	}
	switch {
	case err == nil || (err == io.EOF && len(chunk) > 0):
		lr.lines++
		text = trimEOL(chunk)
		if len(text) > lr.max {
			return text[:min(len(text), excerptBytes)], true, nil
		}
		return text, false, nil
	case errors.Is(err, bufio.ErrBufferFull):
		lr.lines++
		excerpt := bytes.Clone(chunk[:min(len(chunk), excerptBytes)])
		return excerpt, true, lr.skipRest()
	case err == io.EOF:
		lr.report(true)
		return nil, false, io.EOF
	default:
		return nil, false, fmt.Errorf("reading links: %w", err)
	}
}

// skipRest discards the rest of an over-long line without keeping it.
func (lr *lineReader) skipRest() error {
	for i := 1; ; i++ {
		if i%ctxCheckChunks == 0 {
			if err := lr.ctx.Err(); err != nil {
				return err
			}
		}
		chunk, err := lr.br.ReadSlice('\n')
		if aerr := lr.account(chunk); aerr != nil {
			return aerr
		}
		switch {
		case err == nil || err == io.EOF:
			return nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		default:
			return fmt.Errorf("reading links: %w", err)
		}
	}
}

// account counts a chunk just read, refuses a NUL byte in the first
// sniffBytes, and reports progress.
func (lr *lineReader) account(chunk []byte) error {
	if lr.sniff && lr.sniffed < sniffBytes {
		part := chunk[:min(int64(len(chunk)), sniffBytes-lr.sniffed)]
		if bytes.IndexByte(part, 0) >= 0 {
			return ErrBinary
		}
		lr.sniffed += int64(len(part))
	}
	lr.bytes += int64(len(chunk))
	lr.report(false)
	return nil
}

// report calls the progress callback every progressEvery bytes, and at the
// end when final is set.
func (lr *lineReader) report(final bool) {
	if lr.progress == nil {
		return
	}
	if lr.bytes-lr.reported >= progressEvery || (final && lr.bytes != lr.reported) {
		lr.reported = lr.bytes
		lr.progress(lr.bytes, lr.lines)
	}
}

// trimEOL removes a trailing "\n" or "\r\n".
func trimEOL(b []byte) []byte {
	b = bytes.TrimSuffix(b, []byte{'\n'})
	return bytes.TrimSuffix(b, []byte{'\r'})
}

// looksBinary reports whether sample holds a NUL byte or is mostly not
// UTF-8 text (invalid sequences or control characters other than
// whitespace and ESC make up more than 30% of it).
func looksBinary(sample []byte) bool {
	if bytes.IndexByte(sample, 0) >= 0 {
		return true
	}
	bad, n := 0, 0
	for i := 0; i < len(sample); {
		if !utf8.FullRune(sample[i:]) {
			break // a rune cut off at the end of the sample
		}
		r, size := utf8.DecodeRune(sample[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			bad++
		case r < 0x20 && r != '\t' && r != '\n' && r != '\r' && r != '\f' && r != '\v' && r != 0x1b:
			bad++
		}
		i += size
		n += size
	}
	return n > 0 && bad*10 > n*3
}

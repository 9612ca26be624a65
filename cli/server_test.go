package cli

import (
	"testing"

	"github.com/haul-dl/haul/engine/testserver"
)

// fileServer is engine/testserver, the project's one loopback server,
// closed with the test. URL is its base URL, so tests can write
// srv.URL+"/path" for paths it does not serve.
type fileServer struct {
	*testserver.Server
	URL string
}

func newFileServer(t *testing.T) *fileServer {
	t.Helper()
	s := testserver.New()
	t.Cleanup(s.Close)
	return &fileServer{Server: s, URL: s.URL("")}
}

// add serves content at path and returns its URL.
func (fs *fileServer) add(path string, content []byte, opts ...testserver.Option) string {
	fs.Add(path, content, opts...)
	return fs.URL + path
}

// bytesSent is how many body bytes path was served so far.
func (fs *fileServer) bytesSent(path string) int64 { return fs.Stats(path).BytesSent }

// pattern returns n pseudo-random bytes, different for each seed, so that
// bytes written at a wrong offset never match by chance.
func pattern(n int, seed byte) []byte { return testserver.Content(n, uint64(seed)) }

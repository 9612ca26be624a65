package store

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
)

func mustOpen(t *testing.T, dir string) *Store {
	t.Helper()
	s, err := Open(dir)
	if err != nil {
		t.Fatalf("Open(%s): %v", dir, err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func mustLoad(t *testing.T, s *Store) []Entry {
	t.Helper()
	es, err := s.Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return es
}

// render turns entries into "id=data,id=data" for easy comparison.
func render(es []Entry) string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.ID + "=" + string(e.Data)
	}
	return strings.Join(parts, ",")
}

func TestPutLoadOrderAndOverwrite(t *testing.T) {
	s := mustOpen(t, t.TempDir())
	if got := render(mustLoad(t, s)); got != "" {
		t.Fatalf("fresh store: got %q, want empty", got)
	}
	if n := s.Notice(); n != "" {
		t.Errorf("fresh store has notice %q", n)
	}
	for _, id := range []string{"zeta", "alpha", "mid"} {
		if err := s.Put(map[string][]byte{id: []byte("v-" + id)}); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := render(mustLoad(t, s)), "zeta=v-zeta,alpha=v-alpha,mid=v-mid"; got != want {
		t.Fatalf("after puts: got %q, want %q", got, want)
	}

	// Overwrite an existing key and add new ones in the same call: the old
	// key keeps its place, new keys go last in ID order.
	err := s.Put(map[string][]byte{
		"alpha": []byte("v2"),
		"new-b": []byte("b"),
		"new-a": []byte("a"),
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "zeta=v-zeta,alpha=v2,mid=v-mid,new-a=a,new-b=b"
	if got := render(mustLoad(t, s)); got != want {
		t.Fatalf("after overwrite: got %q, want %q", got, want)
	}

	// Empty and nil values are values too.
	if err := s.Put(map[string][]byte{"mid": nil}); err != nil {
		t.Fatal(err)
	}
	want = "zeta=v-zeta,alpha=v2,mid=,new-a=a,new-b=b"
	if got := render(mustLoad(t, s)); got != want {
		t.Fatalf("after nil value: got %q, want %q", got, want)
	}
}

func TestPutEmptyIDFails(t *testing.T) {
	s := mustOpen(t, t.TempDir())
	if err := s.Put(map[string][]byte{"ok": []byte("1"), "": []byte("x")}); err == nil {
		t.Fatal("Put with an empty ID succeeded")
	}
	// The whole call is one transaction: nothing was stored.
	if got := render(mustLoad(t, s)); got != "" {
		t.Fatalf("failed Put left %q behind", got)
	}
}

func TestLoadReturnsCopies(t *testing.T) {
	s := mustOpen(t, t.TempDir())
	if err := s.Put(map[string][]byte{"a": []byte("original")}); err != nil {
		t.Fatal(err)
	}
	es := mustLoad(t, s)
	// Churn the file so bbolt reuses pages, then mutate what we got.
	for i := range 50 {
		if err := s.Put(map[string][]byte{"a": bytes.Repeat([]byte{byte(i)}, 4096)}); err != nil {
			t.Fatal(err)
		}
	}
	if string(es[0].Data) != "original" {
		t.Fatalf("loaded data changed under us: %q", es[0].Data[:16])
	}
	es[0].Data[0] = 'X'
	if got := mustLoad(t, s)[0].Data[0]; got != 49 {
		t.Fatalf("stored data = %d, want 49", got)
	}
}

func TestDelete(t *testing.T) {
	s := mustOpen(t, t.TempDir())
	if err := s.Put(map[string][]byte{"a": []byte("1")}); err != nil {
		t.Fatal(err)
	}
	if err := s.Put(map[string][]byte{"b": []byte("2")}); err != nil {
		t.Fatal(err)
	}
	if err := s.Put(map[string][]byte{"c": []byte("3")}); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete("b", "unknown", ""); err != nil {
		t.Fatal(err)
	}
	if got, want := render(mustLoad(t, s)), "a=1,c=3"; got != want {
		t.Fatalf("after delete: got %q, want %q", got, want)
	}
	// A deleted then re-added ID goes to the end.
	if err := s.Put(map[string][]byte{"b": []byte("again")}); err != nil {
		t.Fatal(err)
	}
	if got, want := render(mustLoad(t, s)), "a=1,c=3,b=again"; got != want {
		t.Fatalf("after re-add: got %q, want %q", got, want)
	}
	if err := s.Delete(); err != nil {
		t.Fatalf("Delete with no IDs: %v", err)
	}
}

func TestReopenPersists(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nested", "state")
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Put(map[string][]byte{"b": []byte("2")}); err != nil {
		t.Fatal(err)
	}
	if err := s.Put(map[string][]byte{"a": []byte("1")}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}

	fi, err := os.Stat(filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Errorf("file mode %v, want 0600", perm)
	}
	di, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if perm := di.Mode().Perm(); perm&0o077 != 0 {
		t.Errorf("folder mode %v, want no group/other access", perm)
	}

	s2 := mustOpen(t, dir)
	if got, want := render(mustLoad(t, s2)), "b=2,a=1"; got != want {
		t.Fatalf("after reopen: got %q, want %q", got, want)
	}
	if err := s2.Put(map[string][]byte{"c": []byte("3")}); err != nil {
		t.Fatal(err)
	}
	if got, want := render(mustLoad(t, s2)), "b=2,a=1,c=3"; got != want {
		t.Fatalf("sequence after reopen: got %q, want %q", got, want)
	}
}

func TestSecondOpenInProcessIsLocked(t *testing.T) {
	dir := t.TempDir()
	s := mustOpen(t, dir)
	if err := s.Put(map[string][]byte{"a": []byte("1")}); err != nil {
		t.Fatal(err)
	}

	s2, err := Open(dir)
	if err == nil {
		_ = s2.Close()
		t.Fatal("second Open on the same folder succeeded")
	}
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second Open: %v, want ErrLocked", err)
	}
	if !strings.Contains(err.Error(), dir) {
		t.Errorf("error %q does not name the folder", err)
	}
	assertNoCorruptCopies(t, dir)

	// The first store is unharmed and keeps working.
	if err := s.Put(map[string][]byte{"b": []byte("2")}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s3 := mustOpen(t, dir)
	if got, want := render(mustLoad(t, s3)), "a=1,b=2"; got != want {
		t.Fatalf("after lock conflict: got %q, want %q", got, want)
	}
}

// TestHelperHoldLock is not a test: TestSecondOpenAcrossProcesses runs the
// test binary with it to hold a store open in another process.
func TestHelperHoldLock(t *testing.T) {
	dir := os.Getenv("HAUL_STORE_HELPER_DIR")
	if dir == "" {
		t.Skip("helper process only")
	}
	s, err := Open(dir)
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	fmt.Println("ready")
	_, _ = io.Copy(io.Discard, os.Stdin) // hold until the parent closes stdin
	_ = s.Close()
	os.Exit(0)
}

func TestSecondOpenAcrossProcesses(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperHoldLock$")
	cmd.Env = append(os.Environ(), "HAUL_STORE_HELPER_DIR="+dir)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = stdin.Close()
		_ = cmd.Wait()
	}()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || strings.TrimSpace(line) != "ready" {
		t.Fatalf("helper: %q, %v", line, err)
	}

	if s, err := Open(dir); !errors.Is(err, ErrLocked) {
		if err == nil {
			_ = s.Close()
		}
		t.Fatalf("Open while another process holds it: %v, want ErrLocked", err)
	}

	_ = stdin.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("helper exit: %v", err)
	}
	s := mustOpen(t, dir)
	if n := s.Notice(); n != "" {
		t.Errorf("unexpected notice after lock conflict: %q", n)
	}
}

func assertNoCorruptCopies(t *testing.T, dir string) {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join(dir, FileName+".corrupt-*"))
	if len(m) != 0 {
		t.Fatalf("unexpected corrupt copies: %v", m)
	}
}

// assertMovedAside checks that exactly one corrupt copy exists holding old,
// that the notice names it, and that the fresh store works.
func assertMovedAside(t *testing.T, dir string, old []byte) {
	t.Helper()
	s := mustOpen(t, dir)
	m, _ := filepath.Glob(filepath.Join(dir, FileName+".corrupt-*"))
	if len(m) != 1 {
		t.Fatalf("corrupt copies: %v, want exactly one", m)
	}
	got, err := os.ReadFile(m[0])
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, old) {
		t.Fatalf("moved-aside file differs from the original (%d vs %d bytes)", len(got), len(old))
	}
	if n := s.Notice(); !strings.Contains(n, m[0]) {
		t.Errorf("notice %q does not name %s", n, m[0])
	}
	if got := render(mustLoad(t, s)); got != "" {
		t.Fatalf("fresh store not empty: %q", got)
	}
	if err := s.Put(map[string][]byte{"x": []byte("y")}); err != nil {
		t.Fatal(err)
	}
	if got := render(mustLoad(t, s)); got != "x=y" {
		t.Fatalf("fresh store: %q", got)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	// Reopening the fresh file gives no new notice and no new copy.
	s2 := mustOpen(t, dir)
	if n := s2.Notice(); n != "" {
		t.Errorf("notice on clean reopen: %q", n)
	}
	if m2, _ := filepath.Glob(filepath.Join(dir, FileName+".corrupt-*")); len(m2) != 1 {
		t.Errorf("corrupt copies after reopen: %v", m2)
	}
}

func TestGarbageFileMovedAside(t *testing.T) {
	dir := t.TempDir()
	garbage := bytes.Repeat([]byte("this is not a bbolt file\n"), 1000)
	if err := os.WriteFile(filepath.Join(dir, FileName), garbage, 0o600); err != nil {
		t.Fatal(err)
	}
	assertMovedAside(t, dir, garbage)
}

func TestTinyGarbageFileMovedAside(t *testing.T) {
	dir := t.TempDir()
	garbage := []byte("x")
	if err := os.WriteFile(filepath.Join(dir, FileName), garbage, 0o600); err != nil {
		t.Fatal(err)
	}
	assertMovedAside(t, dir, garbage)
}

func TestEmptyFileIsInitialised(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, FileName), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	s := mustOpen(t, dir)
	if n := s.Notice(); n != "" {
		t.Errorf("notice for an empty file: %q", n)
	}
	assertNoCorruptCopies(t, dir)
	if err := s.Put(map[string][]byte{"a": []byte("1")}); err != nil {
		t.Fatal(err)
	}
}

// writeBolt creates a bbolt file at dir/haul.db filled by fn.
func writeBolt(t *testing.T, dir string, fn func(tx *bolt.Tx) error) []byte {
	t.Helper()
	path := filepath.Join(dir, FileName)
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(fn); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestForeignBoltFileMovedAside(t *testing.T) {
	dir := t.TempDir()
	old := writeBolt(t, dir, func(tx *bolt.Tx) error {
		b, err := tx.CreateBucket([]byte("something-else"))
		if err != nil {
			return err
		}
		return b.Put([]byte("k"), []byte("v"))
	})
	assertMovedAside(t, dir, old)
}

func TestMalformedEntryMovedAside(t *testing.T) {
	dir := t.TempDir()
	old := writeBolt(t, dir, func(tx *bolt.Tx) error {
		m, err := tx.CreateBucket(bucketMeta)
		if err != nil {
			return err
		}
		if err := m.Put(keyFormat, []byte("1")); err != nil {
			return err
		}
		d, err := tx.CreateBucket(bucketItems)
		if err != nil {
			return err
		}
		return d.Put([]byte("id"), []byte("short"))
	})
	assertMovedAside(t, dir, old)
}

func TestDamagedPagesMovedAside(t *testing.T) {
	dir := t.TempDir()
	s := mustOpen(t, dir)
	for i := range 200 {
		id := fmt.Sprintf("id-%03d", i)
		if err := s.Put(map[string][]byte{id: bytes.Repeat([]byte{byte(i)}, 300)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, FileName)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Keep both meta pages (which point at the root and freelist) and
	// scramble everything after them.
	const page = 4096
	if len(b) <= 3*page {
		t.Fatalf("file unexpectedly small: %d", len(b))
	}
	r := rand.New(rand.NewPCG(1, 2))
	for i := 2 * page; i < len(b); i++ {
		b[i] = byte(r.Uint32())
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	assertMovedAside(t, dir, b)
}

func TestNewerFormatRefused(t *testing.T) {
	dir := t.TempDir()
	old := writeBolt(t, dir, func(tx *bolt.Tx) error {
		m, err := tx.CreateBucket(bucketMeta)
		if err != nil {
			return err
		}
		if err := m.Put(keyFormat, []byte("99")); err != nil {
			return err
		}
		_, err = tx.CreateBucket(bucketItems)
		return err
	})
	s, err := Open(dir)
	if err == nil {
		_ = s.Close()
		t.Fatal("Open of a newer format succeeded")
	}
	if !errors.Is(err, ErrNewerFormat) {
		t.Fatalf("Open: %v, want ErrNewerFormat", err)
	}
	assertNoCorruptCopies(t, dir)
	now, err := os.ReadFile(filepath.Join(dir, FileName))
	if err != nil || !bytes.Equal(now, old) {
		t.Fatalf("newer-format file was changed (err %v)", err)
	}
}

func TestUnusableFolder(t *testing.T) {
	base := t.TempDir()
	file := filepath.Join(base, "plain-file")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(file, "state")
	_, err := Open(dir)
	if err == nil {
		t.Fatal("Open under a regular file succeeded")
	}
	if !strings.Contains(err.Error(), dir) {
		t.Errorf("error %q does not name %s", err, dir)
	}
	if errors.Is(err, ErrLocked) {
		t.Errorf("error %v claims the folder is locked", err)
	}
}

func TestStoreFileIsADirectory(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, FileName), 0o700); err != nil {
		t.Fatal(err)
	}
	_, err := Open(dir)
	if err == nil {
		t.Fatal("Open succeeded with haul.db being a directory")
	}
	if !strings.Contains(err.Error(), FileName) {
		t.Errorf("error %q does not name the file", err)
	}
	// An access problem is not corruption: nothing is moved.
	assertNoCorruptCopies(t, dir)
	if fi, err := os.Stat(filepath.Join(dir, FileName)); err != nil || !fi.IsDir() {
		t.Fatalf("haul.db directory disappeared: %v", err)
	}
}

func TestUnreadableFile(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root ignores file permissions")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, FileName)
	if err := os.WriteFile(path, []byte("secret"), 0o000); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir); err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("Open of an unreadable file: %v", err)
	}
	assertNoCorruptCopies(t, dir)
}

// TestEachPageScrambled damages one page at a time. Whatever the damage,
// Open must not crash and must hand back a working store: either the file
// still passed every check, or it was moved aside.
func TestEachPageScrambled(t *testing.T) {
	src := t.TempDir()
	s := mustOpen(t, src)
	for i := range 200 {
		id := fmt.Sprintf("id-%03d", i)
		if err := s.Put(map[string][]byte{id: bytes.Repeat([]byte{byte(i)}, 300)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	orig, err := os.ReadFile(filepath.Join(src, FileName))
	if err != nil {
		t.Fatal(err)
	}
	const page = 4096
	moved := 0
	for p := 0; p*page < len(orig); p++ {
		b := bytes.Clone(orig)
		r := rand.New(rand.NewPCG(uint64(p), 7))
		for i := p * page; i < min(len(b), (p+1)*page); i++ {
			b[i] = byte(r.Uint32())
		}
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, FileName), b, 0o600); err != nil {
			t.Fatal(err)
		}
		s, err := Open(dir)
		if err != nil {
			t.Fatalf("page %d scrambled: Open: %v", p, err)
		}
		if s.Notice() != "" {
			moved++
		}
		if _, err := s.Load(); err != nil {
			t.Errorf("page %d scrambled: Load: %v", p, err)
		}
		if err := s.Put(map[string][]byte{"new": []byte("x")}); err != nil {
			t.Errorf("page %d scrambled: Put: %v", p, err)
		}
		if err := s.Close(); err != nil {
			t.Errorf("page %d scrambled: Close: %v", p, err)
		}
	}
	t.Logf("%d of %d damaged files were moved aside", moved, len(orig)/page)
	if moved == 0 {
		t.Fatal("no damaged file was detected")
	}
}

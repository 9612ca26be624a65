package transfer

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/haul-dl/haul/engine/filekind"
)

// openFolder creates and opens the folder a job starts in: Spec.Dir, or
// for a fresh download filed by kind the base folder, since its kind
// folder follows the name it gets (see fileByKind).
func openFolder(env *Env, spec *Spec) (*openDir, error) {
	if spec.KindBase != "" && !spec.Fixed {
		spec.Dir = spec.KindBase
	}
	d, err := env.dirs.open.open(spec.Dir)
	if err != nil {
		return nil, folderErr(err, "the download folder")
	}
	return d, nil
}

// fileByKind moves a fresh download filed by kind into the folder of the
// kind of name (judged by its extension, as the window's icons are),
// creating it, before anything is written.
func (j *Job) fileByKind(name string) error {
	if j.spec.KindBase == "" {
		return nil
	}
	dir := filepath.Join(j.spec.KindBase, filekind.Of(name, "").Folder())
	if dir == j.folder() {
		return nil
	}
	d, err := j.env.dirs.open.open(dir)
	if err != nil {
		return folderErr(err, "the folder "+filekind.Of(name, "").Folder())
	}
	j.mu.Lock()
	old := j.dir
	j.dir, j.root, j.spec.Dir = d, d.root, dir
	j.mu.Unlock()
	j.env.dirs.open.close(old)
	j.rep.Filed(dir)
	return nil
}

// folder is the folder the download's files go to now. The transfer's
// own goroutine changes it only before the .part file exists (see
// fileByKind); other goroutines read it here.
func (j *Job) folder() string {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.spec.Dir
}

// dirExists reports whether dir is there (any error but "does not exist"
// counts as there: the transfer finds out itself).
func dirExists(dir string) bool {
	_, err := os.Stat(dir)
	return !errors.Is(err, fs.ErrNotExist)
}

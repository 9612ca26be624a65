//go:build !unix

package transfer

import "os"

// createPart creates name, a new .part file in d, exclusively (it fails
// with fs.ErrExist when anything is at name).
func createPart(d *openDir, name string) (*os.File, error) {
	return d.root.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
}

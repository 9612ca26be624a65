// Package clocale keeps Fyne from logging "Error parsing user locale C" at
// start-up on machines whose locale is C.UTF-8 (containers, CI, minimal
// installs). Fyne's locale lookup understands "C" but not "C.UTF-8", and it
// runs in a package init, before main. This package's init runs first: Go
// initializes ready packages in import-path order, and this one's only
// dependency is os, while Fyne's lang package waits on packages whose paths
// sort after it. It sets LC_MESSAGES=C, which means the same for messages
// as C.UTF-8, and only when the messages locale is a C.* or POSIX.* one
// and LC_ALL does not override it. Import it for its side effect.
package clocale

import (
	"os"
	"strings"
)

func init() {
	if os.Getenv("LC_ALL") != "" {
		return
	}
	v := os.Getenv("LC_MESSAGES")
	if v == "" {
		v = os.Getenv("LANG")
	}
	base, _, _ := strings.Cut(v, ".")
	base, _, _ = strings.Cut(base, "@")
	if (base == "C" || base == "POSIX") && v != base {
		os.Setenv("LC_MESSAGES", base)
	}
}

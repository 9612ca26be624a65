package gui

import (
	"path"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/haul-dl/haul/engine/filekind"
)

// rowIcon is the kind of icon a row draws: filekind's kinds, with disk
// images and packages told apart from other archives and programs, as a
// person looking down the list would.
type rowIcon int

const (
	iconOther rowIcon = iota
	iconImage
	iconVideo
	iconAudio
	iconArchive
	iconDiskImage
	iconPackage
	iconDocument
	iconProgram
)

// diskImages and packages are the extensions with icons of their own.
var (
	diskImages = map[string]bool{"iso": true, "img": true, "dmg": true, "vhd": true, "vhdx": true, "vmdk": true, "qcow2": true}
	packages   = map[string]bool{"deb": true, "rpm": true, "apk": true, "flatpak": true, "snap": true, "msi": true, "msix": true, "pkg": true, "appimage": true}
)

// iconOf is the icon of a file named name.
func iconOf(name string) rowIcon {
	ext := strings.ToLower(strings.TrimPrefix(path.Ext(name), "."))
	switch {
	case diskImages[ext]:
		return iconDiskImage
	case packages[ext]:
		return iconPackage
	}
	switch filekind.Of(name, "") {
	case filekind.Image:
		return iconImage
	case filekind.Video:
		return iconVideo
	case filekind.Audio:
		return iconAudio
	case filekind.Archive:
		return iconArchive
	case filekind.Document:
		return iconDocument
	case filekind.Program:
		return iconProgram
	}
	return iconOther
}

// The icons Fyne's theme lacks, drawn in the theme's foreground colour.
var (
	archiveIcon = theme.NewThemedResource(fyne.NewStaticResource("archive.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">`+
		`<path d="M6 2h12a2 2 0 0 1 2 2v16a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2zm0 2v16h12V4z"/>`+
		`<path d="M11 4h2v2h-2zM11 8h2v2h-2zM11 12h2v2h-2z"/><path d="M9.5 15h5v5h-5zm1.5 1.5v2h2v-2z"/></svg>`)))
	diskImageIcon = theme.NewThemedResource(fyne.NewStaticResource("disk-image.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">`+
		`<path d="M12 2a10 10 0 1 1 0 20a10 10 0 1 1 0-20zm0 2a8 8 0 1 0 0 16a8 8 0 1 0 0-16z"/>`+
		`<path d="M12 9a3 3 0 1 1 0 6a3 3 0 1 1 0-6zm0 2a1 1 0 1 0 0 2a1 1 0 1 0 0-2z"/></svg>`)))
	packageIcon = theme.NewThemedResource(fyne.NewStaticResource("package.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">`+
		`<path d="M12 1.5l9.5 5.25v10.5L12 22.5l-9.5-5.25V6.75zm0 2.3L5.4 7.4 12 11l6.6-3.6zM4.5 9.1v7l6.5 3.6v-7zm15 0L13 12.7v7l6.5-3.6z"/></svg>`)))
)

// resource is the icon's image.
func (i rowIcon) resource() fyne.Resource {
	switch i {
	case iconImage:
		return theme.MediaPhotoIcon()
	case iconVideo:
		return theme.MediaVideoIcon()
	case iconAudio:
		return theme.MediaMusicIcon()
	case iconArchive:
		return archiveIcon
	case iconDiskImage:
		return diskImageIcon
	case iconPackage:
		return packageIcon
	case iconDocument:
		return theme.DocumentIcon()
	case iconProgram:
		return theme.FileApplicationIcon()
	}
	return theme.FileIcon()
}

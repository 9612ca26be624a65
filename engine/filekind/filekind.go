// Package filekind sorts downloads into the kinds a person thinks in
// (image, video, audio, archive, document, program) from their file name,
// or their content type when the name says nothing. The window draws a
// kind's icon on each row, and the engine can file downloads into a folder
// per kind.
package filekind

import (
	"mime"
	"path"
	"strings"
)

// Kind is what sort of file a download is.
type Kind int

// The kinds, Other last.
const (
	Other Kind = iota
	Image
	Video
	Audio
	Archive
	Document
	Program
)

// Kinds lists every kind, Other last.
var Kinds = []Kind{Image, Video, Audio, Archive, Document, Program, Other}

var names = [...]string{"other", "image", "video", "audio", "archive", "document", "program"}

// folders are the folder names under the download folder, one per kind.
var folders = [...]string{"Other", "Images", "Videos", "Music", "Archives", "Documents", "Programs"}

// String is the kind's lower-case name ("image", ...).
func (k Kind) String() string {
	if k < 0 || int(k) >= len(names) {
		return names[Other]
	}
	return names[k]
}

// Folder is the name of the kind's folder: "Images", "Videos", "Music",
// "Archives", "Documents", "Programs" or "Other".
func (k Kind) Folder() string {
	if k < 0 || int(k) >= len(folders) {
		return folders[Other]
	}
	return folders[k]
}

var byExt = map[string]Kind{}

func init() {
	for k, exts := range map[Kind]string{
		Image:    "jpg jpeg jpe png gif webp bmp tif tiff svg heic heif avif ico jxl psd raw cr2 cr3 nef arw dng",
		Video:    "mp4 m4v mkv webm avi mov wmv flv mpg mpeg ts m2ts mts 3gp ogv vob",
		Audio:    "mp3 flac wav ogg oga opus m4a aac wma aif aiff alac mid midi ape",
		Archive:  "zip rar 7z tar gz tgz bz2 tbz tbz2 xz txz zst tzst lz lzma z iso img dmg cab",
		Document: "pdf doc docx odt rtf txt md epub mobi azw3 djvu xls xlsx ods csv ppt pptx odp tex",
		Program:  "exe msi msix deb rpm apk appimage flatpak snap sh run bat cmd ps1 jar pkg",
	} {
		for e := range strings.FieldsSeq(exts) {
			byExt[e] = k
		}
	}
}

// Of returns the kind of a file named name, served as contentType ("" if
// unknown). The name's extension decides; the content type only when the
// extension is unknown (a name such as "download" or "video.php").
func Of(name, contentType string) Kind {
	ext := path.Ext(name)
	if ext == path.Base(name) {
		ext = "" // ".jpg" is a hidden file with no extension
	}
	if k, ok := byExt[strings.TrimPrefix(strings.ToLower(ext), ".")]; ok {
		return k
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return Other
	}
	major, minor, _ := strings.Cut(mt, "/")
	switch major {
	case "image":
		return Image
	case "video":
		return Video
	case "audio":
		return Audio
	case "text":
		return Document
	}
	switch minor {
	case "zip", "x-tar", "gzip", "x-gzip", "x-bzip2", "x-xz", "zstd", "x-7z-compressed", "vnd.rar", "x-rar-compressed", "x-iso9660-image":
		return Archive
	case "pdf", "epub+zip", "msword", "rtf", "vnd.oasis.opendocument.text", "vnd.openxmlformats-officedocument.wordprocessingml.document":
		return Document
	case "vnd.debian.binary-package", "x-rpm", "vnd.android.package-archive", "x-msdownload", "x-msi", "x-executable", "vnd.microsoft.portable-executable":
		return Program
	case "vnd.apple.mpegurl", "x-mpegurl":
		return Video // an HLS stream is saved as one video
	}
	return Other
}

package filekind

import "testing"

func TestOf(t *testing.T) {
	cases := []struct {
		name, ctype string
		want        Kind
	}{
		{"Holiday.JPG", "", Image},
		{"clip.mkv", "application/octet-stream", Video}, // the name wins over a generic type
		{"song.FLAC", "", Audio},
		{"linux-6.12.tar.xz", "", Archive},
		{"report.pdf", "", Document},
		{"setup.exe", "", Program},
		{"haul_0.1_amd64.deb", "", Program},
		{"Haul.AppImage", "", Program},
		{"download", "image/webp", Image},
		{"watch.php", "video/mp4; charset=binary", Video},
		{"get", "application/zip", Archive},
		{"file", "text/plain", Document},
		{"stream", "application/vnd.apple.mpegurl", Video},
		{"data.bin", "application/octet-stream", Other},
		{"noext", "", Other},
		{"noext", "garbage;;", Other},
		{".jpg", "", Other}, // a hidden file named "jpg", not a picture
	}
	for _, tc := range cases {
		if got := Of(tc.name, tc.ctype); got != tc.want {
			t.Errorf("Of(%q, %q) = %v, want %v", tc.name, tc.ctype, got, tc.want)
		}
	}
}

func TestFoldersAndNames(t *testing.T) {
	want := map[Kind]string{Image: "Images", Video: "Videos", Audio: "Music", Archive: "Archives", Document: "Documents", Program: "Programs", Other: "Other"}
	for _, k := range Kinds {
		if k.Folder() != want[k] {
			t.Errorf("%v.Folder() = %q, want %q", k, k.Folder(), want[k])
		}
	}
	if len(Kinds) != len(want) || Kind(99).Folder() != "Other" || Kind(-1).String() != "other" {
		t.Error("out-of-range kinds must fall back to Other")
	}
}

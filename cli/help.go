package cli

import (
	"fmt"

	"github.com/haul-dl/haul/engine"
)

// helpText is what `haul get --help` prints.
var helpText = fmt.Sprintf(`Usage: haul get [flags] [URL...]

Download files from the command line, without the window. Downloads run
several at a time, each over several connections when the server allows,
and resume where they stopped: if a run is interrupted (Ctrl-C, a lost
connection, a reboot), run the same command again to finish it.

Flags may come before or after the URLs; "--" ends the flags. URLs given
as arguments may use the same patterns as -i (quote them for the shell).

  -d DIR          destination folder (default: your Downloads folder)
  -i FILE         read links from FILE ('-' = standard input). FILE can be a
                  plain list of URLs (one a line, # comments allowed), any text
                  or HTML with links in it, or an aria2 input file (indented
                  "out=NAME" and "sha256=HEX" option lines under a URL).
                  URL patterns in the path expand: photo[001-120].jpg,
                  disk-[a-f].img, report.{pdf,csv}
  --base URL      the address of the -i page, for its relative links when the
                  page names none itself (<base href>, "saved from url=")
  -j N            downloads at once (default %d, at most %d)
  -x N            connections per download (default %d, at most %d; files
                  under 2 MiB use one)
  --state DIR     where Haul keeps its download list and resume state
                  (default: the same folder as the Haul window, so downloads
                  started here appear there). Only one Haul can use a state
                  folder at a time. The schedule set in the window is kept
                  there too: while its queue hours are closed, downloads
                  wait queued, and during its speed hours its limit applies.
  --json          print one JSON object per line for each finished download,
                  and nothing else, on standard output:
                  {"id":"…","url":"…","path":"…","status":"completed"|"failed",
                   "bytes":N,"error":"…"}  (messages go to standard error)
  --limit-rate R  total speed cap in bytes per second: 100000, 500K, 1.5M, 2M
                  (K = 1024 bytes; 0 = no cap)
  --checksum ALGO=HEX
                  expected digest of the file: sha256, sha512, sha1 or md5
                  (only with a single URL; a file that does not match fails)
  --ca-cert FILE  also trust the certificate authorities in this PEM file
                  (for your own servers); certificates are always checked
  --allow-https-downgrade
                  follow redirects from https to plain http (refused otherwise)
  --quality Q     for a video stream (an HLS .m3u8 playlist or a DASH .mpd
                  manifest): which variant or representation to save, best
                  (default), worst, or a height such as 720 (that height, or
                  the closest below)
  --remote NAME   send the links to the remote downloader NAME (an aria2 box
                  set up in the window's Settings, Remote downloaders) instead
                  of downloading here; -d is then a folder on the box, -x its
                  connections per download
  --wait          with --remote, follow the downloads on the box until each
                  has ended, and report them as above
  -h, --help      show this help

On a terminal, each running download shows a line with its progress, speed
and time left. Otherwise (a pipe or a file) Haul prints one line per finished
download, "done  NAME  SIZE" or "FAILED  URL: reason", and a summary.

Exit status: 0 when every download completed; 1 when any failed or a line of
the input could not be used (each is reported as FILE:LINE: reason: text);
2 when the command itself is wrong (unknown flag, bad value, nothing to
download, or the state folder in use by another Haul); 130 when interrupted.

Examples:
  haul get https://example.org/big.iso
  haul get -d ~/isos -x 16 https://example.org/big.iso https://example.org/big.iso.sig
  haul get -i links.txt -j 8 --limit-rate 2M
  grep -o 'https://[^ ]*\.pdf' page.html | haul get -i - -d papers
  haul get --checksum sha256=9f86d0…0f00a08 https://example.org/tool.tar.gz
  haul get --quality 720 https://example.org/show/master.m3u8
  haul get --remote nas --wait https://example.org/big.iso
  haul get --json -i links.txt | jq -r 'select(.status=="failed") | .url'
`, engine.DefaultMaxActive, engine.MaxMaxActive, engine.DefaultConnections, engine.MaxConnections)

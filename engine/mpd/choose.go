package mpd

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/haul-dl/haul/engine/hls"
)

// Choose picks the video representation by q exactly as hls.Master.Choose
// picks a variant (by bandwidth, resolution and height), and the audio:
// the highest bandwidth among those in lang (a language such as "fr",
// matching "fr-CA" too; "" or no match: among all), a "main" one first.
// Either is nil when the manifest has none.
func (m *MPD) Choose(q hls.Quality, lang string) (video, audio *Representation, err error) {
	if len(m.Video) > 0 {
		master := &hls.Master{}
		for i, r := range m.Video {
			master.Variants = append(master.Variants, hls.Variant{URL: strconv.Itoa(i), Bandwidth: r.Bandwidth,
				Width: r.Width, Height: r.Height, Codecs: r.Codecs})
		}
		ch, err := master.Choose(q)
		if err != nil {
			return nil, nil, fail(ErrMalformed, "%v", err)
		}
		i, _ := strconv.Atoi(ch.Variant.URL)
		video = m.Video[i]
	}
	return video, m.chooseAudio(lang), nil
}

func (m *MPD) chooseAudio(lang string) *Representation {
	cands := m.Audio
	if lang = strings.ToLower(strings.TrimSpace(lang)); lang != "" {
		var in []*Representation
		for _, r := range m.Audio {
			l := strings.ToLower(r.Lang)
			if l == lang || strings.HasPrefix(l, lang+"-") {
				in = append(in, r)
			}
		}
		if len(in) > 0 {
			cands = in
		}
	}
	var best *Representation
	for _, r := range cands {
		if best == nil || r.Main && !best.Main || r.Main == best.Main && r.Bandwidth > best.Bandwidth {
			best = r
		}
	}
	return best
}

// Qualities lists the video heights the manifest offers, highest first,
// as a person reads them: "1080p · 720p · 480p"; "audio" for a manifest
// of audio only; "" when the heights are not given.
func (m *MPD) Qualities() string {
	var hs []int
	for _, r := range m.Video {
		if r.Height > 0 && !slices.Contains(hs, r.Height) {
			hs = append(hs, r.Height)
		}
	}
	if len(m.Video) == 0 && len(m.Audio) > 0 {
		return "audio"
	}
	slices.Sort(hs)
	slices.Reverse(hs)
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = fmt.Sprintf("%dp", h)
	}
	return strings.Join(out, " · ")
}

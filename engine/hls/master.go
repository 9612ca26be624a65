package hls

// masterState is the parser's state inside a master playlist.
type masterState struct {
	m        Master
	pending  *Variant // an EXT-X-STREAM-INF waiting for its URI line
	pendLine int
}

func (p *parser) masterTag(tag, value string) error {
	s := &p.master
	switch tag {
	case "EXT-X-STREAM-INF":
		if s.pending != nil {
			return p.malformed("EXT-X-STREAM-INF follows one without a URI")
		}
		if err := p.countEntry(); err != nil {
			return err
		}
		v, err := p.parseStreamInf(value)
		if err != nil {
			return err
		}
		s.pending, s.pendLine = v, p.line
	case "EXT-X-MEDIA":
		if err := p.countEntry(); err != nil {
			return err
		}
		r, err := p.parseMedia(value)
		if err != nil {
			return err
		}
		s.m.Renditions = append(s.m.Renditions, r)
	case "EXT-X-SESSION-KEY":
		a, err := p.attrs(tag, value)
		if err != nil {
			return err
		}
		method, _ := a.enum("METHOD")
		return p.checkKey(tag, method, a)
	}
	return nil // EXT-X-I-FRAME-STREAM-INF and the rest are not needed
}

// countEntry refuses a master playlist with too many entries.
func (p *parser) countEntry() error {
	if len(p.master.m.Variants)+len(p.master.m.Renditions) >= p.lim.MaxSegments {
		return errAt(p.line, ErrTooLarge, "more than %d variants and renditions", p.lim.MaxSegments)
	}
	return nil
}

func (p *parser) parseStreamInf(value string) (*Variant, error) {
	a, err := p.attrs("EXT-X-STREAM-INF", value)
	if err != nil {
		return nil, err
	}
	v := &Variant{}
	bad := func(err error) (*Variant, error) { return nil, p.malformed("EXT-X-STREAM-INF: %v", err) }
	if v.Bandwidth, err = a.int("BANDWIDTH"); err != nil {
		return bad(err)
	}
	if v.AverageBandwidth, err = a.int("AVERAGE-BANDWIDTH"); err != nil {
		return bad(err)
	}
	if v.Width, v.Height, err = a.resolution("RESOLUTION"); err != nil {
		return bad(err)
	}
	if v.FrameRate, err = a.float("FRAME-RATE"); err != nil {
		return bad(err)
	}
	for _, f := range []struct {
		name string
		dst  *string
	}{{"CODECS", &v.Codecs}, {"AUDIO", &v.Audio}, {"VIDEO", &v.Video}, {"SUBTITLES", &v.Subtitles}} {
		if *f.dst, _, err = a.str(f.name); err != nil {
			return bad(err)
		}
	}
	return v, nil
}

func (p *parser) parseMedia(value string) (Rendition, error) {
	a, err := p.attrs("EXT-X-MEDIA", value)
	if err != nil {
		return Rendition{}, err
	}
	var r Rendition
	var ok bool
	if r.Type, ok = a.enum("TYPE"); !ok {
		return r, p.malformed("EXT-X-MEDIA without TYPE")
	}
	switch r.Type {
	case "AUDIO", "VIDEO", "SUBTITLES", "CLOSED-CAPTIONS":
	default:
		return r, p.malformed("EXT-X-MEDIA TYPE=%s is unknown", clip(r.Type))
	}
	for _, f := range []struct {
		name     string
		dst      *string
		required bool
	}{{"GROUP-ID", &r.GroupID, true}, {"NAME", &r.Name, true}, {"LANGUAGE", &r.Language, false}, {"CHANNELS", &r.Channels, false}} {
		var ok bool
		if *f.dst, ok, err = a.str(f.name); err != nil || (f.required && !ok) {
			return r, p.malformed("EXT-X-MEDIA needs a quoted %s", f.name)
		}
	}
	def, _ := a.enum("DEFAULT")
	auto, _ := a.enum("AUTOSELECT")
	r.Default, r.AutoSelect = def == "YES", auto == "YES"
	uri, ok, err := a.str("URI")
	if err != nil {
		return r, p.malformed("EXT-X-MEDIA: %v", err)
	}
	if ok && r.Type != "CLOSED-CAPTIONS" {
		if r.URL, err = p.resolve("EXT-X-MEDIA", uri); err != nil {
			return r, err
		}
	}
	return r, nil
}

// masterURI ends the variant being described.
func (p *parser) masterURI(ln string) error {
	s := &p.master
	if s.pending == nil {
		return p.malformed("URI %s without EXT-X-STREAM-INF", clip(ln))
	}
	u, err := p.resolve("variant", ln)
	if err != nil {
		return err
	}
	s.pending.URL = u
	s.m.Variants = append(s.m.Variants, *s.pending)
	s.pending = nil
	return nil
}

func (p *parser) finishMaster() (*Playlist, error) {
	s := &p.master
	if s.pending != nil {
		return nil, errAt(s.pendLine, ErrMalformed, "EXT-X-STREAM-INF without a variant URI")
	}
	if len(s.m.Variants) == 0 {
		return nil, errAt(0, ErrMalformed, "a master playlist without variants")
	}
	s.m.URL = p.base.String()
	m := s.m
	return &Playlist{Master: &m}, nil
}

package nativehost

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/haul-dl/haul/engine"
	"github.com/haul-dl/haul/instance"
)

// Limits on what a message may hold.
const (
	MaxLinks    = 10000 // links in one "links" message
	MaxField    = 8192  // bytes in a URL, page or User-Agent
	MaxName     = 255   // bytes in a suggested file name
	MaxCookies  = 300   // cookies for one link
	MaxCookieHd = 16384 // bytes of one link's Cookie header
)

// message is what the extension sends. Fields a type does not use must
// be absent.
type message struct {
	Type      string   `json:"type"`
	Kind      string   `json:"kind"` // "qualities" only: "hls" or "dash"
	URL       string   `json:"url"`
	Page      string   `json:"page"`
	UserAgent string   `json:"userAgent"`
	Filename  string   `json:"filename"`
	Cookies   []cookie `json:"cookies"`
	Links     []link   `json:"links"`
}

type cookie struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type link struct {
	URL     string   `json:"url"`
	Cookies []cookie `json:"cookies"`
}

// reply is what Haul answers.
type reply struct {
	OK      bool   `json:"ok"`
	Type    string `json:"type,omitempty"`
	Error   string `json:"error,omitempty"`
	Version string `json:"version,omitempty"`
	Window  *bool  `json:"window,omitempty"`
	// A "qualities" answer: see streamInfo.
	Role      string   `json:"role,omitempty"`
	Qualities []string `json:"qualities,omitempty"`
	Parts     []string `json:"parts,omitempty"`
}

// BadMessage is a message Haul refuses; the browser is told Reason.
type BadMessage struct{ Reason string }

func (e *BadMessage) Error() string { return e.Reason }

func bad(format string, a ...any) error { return &BadMessage{Reason: fmt.Sprintf(format, a...)} }

// parse decodes one message and checks every field.
func parse(body []byte) (message, error) {
	var m message
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&m); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return message{}, bad("the field %q should be a %s, not a %s", te.Field, te.Type, te.Value)
		}
		return message{}, bad("not a JSON message: %v", err)
	}
	if dec.More() {
		return message{}, bad("not a JSON message: data after the object")
	}
	if m.Kind != "" && m.Type != "qualities" {
		return message{}, bad("only a qualities message names a kind")
	}
	switch m.Type {
	case "ping":
		return m, nil
	case "qualities":
		if m.Links != nil || m.Filename != "" {
			return message{}, bad("a qualities message holds one url, not links or a filename")
		}
		if m.Kind != "hls" && m.Kind != "dash" {
			return message{}, bad("a qualities message names the kind hls or dash, not %q", clip(m.Kind))
		}
		return m, m.checkDownload()
	case "download":
		if m.Links != nil {
			return message{}, bad("a download message holds one url, not links")
		}
		return m, m.checkDownload()
	case "links":
		if m.URL != "" || m.Filename != "" || m.Cookies != nil {
			return message{}, bad("a links message holds links, not url, filename or cookies")
		}
		return m, m.checkLinks()
	case "":
		return message{}, bad("a message without a type")
	}
	return message{}, bad("unknown message type %q", clip(m.Type))
}

func (m message) checkDownload() error {
	if err := checkURL("url", m.URL); err != nil {
		return err
	}
	if err := m.checkCommon(); err != nil {
		return err
	}
	if len(m.Filename) > MaxName || strings.ContainsAny(m.Filename, "\x00/\\") || hasControl(m.Filename) {
		return bad("the suggested file name is not a plain name of at most %d bytes", MaxName)
	}
	return checkCookies(m.Cookies)
}

func (m message) checkLinks() error {
	switch {
	case len(m.Links) == 0:
		return bad("a links message without links")
	case len(m.Links) > MaxLinks:
		return bad("%d links, more than the limit of %d", len(m.Links), MaxLinks)
	}
	if err := m.checkCommon(); err != nil {
		return err
	}
	for i, l := range m.Links {
		if err := checkURL(fmt.Sprintf("links[%d].url", i), l.URL); err != nil {
			return err
		}
		if err := checkCookies(l.Cookies); err != nil {
			return bad("links[%d]: %s", i, err)
		}
	}
	return nil
}

// checkCommon checks the page and User-Agent.
func (m message) checkCommon() error {
	if m.Page != "" {
		if err := checkURL("page", m.Page); err != nil {
			return err
		}
	}
	if len(m.UserAgent) > MaxField || hasControl(m.UserAgent) {
		return bad("the userAgent is longer than %d bytes or holds control characters", MaxField)
	}
	return nil
}

// checkURL accepts absolute http and https URLs with a host.
func checkURL(field, s string) error {
	if s == "" {
		return bad("the field %q is missing", field)
	}
	if len(s) > MaxField {
		return bad("the %s is longer than %d bytes", field, MaxField)
	}
	if hasControl(s) {
		return bad("the %s holds control characters", field)
	}
	u, err := url.Parse(s)
	if err != nil {
		return bad("the %s is not a valid URL: %v", field, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return bad("the %s %q is not an http or https link", field, clip(s))
	}
	if u.Host == "" {
		return bad("the %s %q names no host", field, clip(s))
	}
	return nil
}

// checkCookies accepts cookie names that are HTTP tokens and values
// that can go in a Cookie header unchanged.
func checkCookies(cs []cookie) error {
	if len(cs) > MaxCookies {
		return bad("%d cookies, more than the limit of %d", len(cs), MaxCookies)
	}
	size := 0
	for _, c := range cs {
		if c.Name == "" || !isToken(c.Name) {
			return bad("a cookie name that is not a plain token")
		}
		if strings.ContainsAny(c.Value, ";\x00") || hasControl(c.Value) {
			return bad("the value of cookie %q holds a character a Cookie header cannot carry", c.Name)
		}
		size += len(c.Name) + len(c.Value) + 3
	}
	if size > MaxCookieHd {
		return bad("cookies of %d bytes, more than the limit of %d", size, MaxCookieHd)
	}
	return nil
}

// header builds the request headers for one link of m.
func (m message) header(cs []cookie) http.Header {
	h := http.Header{}
	if m.Page != "" {
		h.Set("Referer", m.Page)
	}
	if m.UserAgent != "" {
		h.Set("User-Agent", m.UserAgent)
	}
	if len(cs) > 0 {
		parts := make([]string, len(cs))
		for i, c := range cs {
			parts[i] = c.Name + "=" + c.Value
		}
		h.Set("Cookie", strings.Join(parts, "; "))
	}
	return h
}

// request is what Haul fetches for a checked qualities message: its URL
// with the headers a download of it would send.
func (m message) request() engine.Request {
	return engine.Request{URL: m.URL, Header: m.header(m.Cookies)}
}

// handoff turns a checked download or links message into what goes to
// the window.
func (m message) handoff() instance.Handoff {
	if m.Type == "download" {
		return instance.Handoff{Kind: instance.KindDownload, Page: m.Page, Items: []instance.HandoffItem{
			{URL: m.URL, Name: m.Filename, Header: m.header(m.Cookies)},
		}}
	}
	items := make([]instance.HandoffItem, len(m.Links))
	for i, l := range m.Links {
		items[i] = instance.HandoffItem{URL: l.URL, Header: m.header(l.Cookies)}
	}
	return instance.Handoff{Kind: instance.KindLinks, Page: m.Page, Items: items}
}

// hasControl reports whether s holds a control character (tab aside).
func hasControl(s string) bool {
	for _, r := range s {
		if (r < 0x20 && r != '\t') || r == 0x7f {
			return true
		}
	}
	return false
}

// isToken reports whether s is an HTTP token (RFC 9110).
func isToken(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}

// clip shortens a value quoted back in an error.
func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}

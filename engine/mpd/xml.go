package mpd

import "encoding/xml"

// The manifest's XML, as far as a downloader reads it. Attributes that
// may be absent are pointers or strings; inheritance is resolved later.

type xmlMPD struct {
	XMLName  xml.Name    `xml:"MPD"`
	Type     string      `xml:"type,attr"`
	Duration string      `xml:"mediaPresentationDuration,attr"`
	BaseURL  []xmlBase   `xml:"BaseURL"`
	Periods  []xmlPeriod `xml:"Period"`
}

type xmlBase struct {
	URL string `xml:",chardata"`
}

type xmlPeriod struct {
	Duration   string     `xml:"duration,attr"`
	BaseURL    []xmlBase  `xml:"BaseURL"`
	Sets       []xmlSet   `xml:"AdaptationSet"`
	Protection []xml.Name `xml:"ContentProtection"`
	segInfo
}

// segInfo is what every level may say about segments.
type segInfo struct {
	Template *xmlTemplate `xml:"SegmentTemplate"`
	List     *xmlList     `xml:"SegmentList"`
	Base     *xmlSegBase  `xml:"SegmentBase"`
}

type xmlSet struct {
	ContentType string     `xml:"contentType,attr"`
	MimeType    string     `xml:"mimeType,attr"`
	Codecs      string     `xml:"codecs,attr"`
	Lang        string     `xml:"lang,attr"`
	Width       int        `xml:"width,attr"`
	Height      int        `xml:"height,attr"`
	BaseURL     []xmlBase  `xml:"BaseURL"`
	Protection  []xml.Name `xml:"ContentProtection"`
	Roles       []xmlRole  `xml:"Role"`
	Reps        []xmlRep   `xml:"Representation"`
	segInfo
}

type xmlRole struct {
	Value string `xml:"value,attr"`
}

type xmlRep struct {
	ID         string     `xml:"id,attr"`
	Bandwidth  int64      `xml:"bandwidth,attr"`
	Width      int        `xml:"width,attr"`
	Height     int        `xml:"height,attr"`
	MimeType   string     `xml:"mimeType,attr"`
	Codecs     string     `xml:"codecs,attr"`
	BaseURL    []xmlBase  `xml:"BaseURL"`
	Protection []xml.Name `xml:"ContentProtection"`
	segInfo
}

type xmlTemplate struct {
	Media          *string   `xml:"media,attr"`
	Initialization *string   `xml:"initialization,attr"`
	StartNumber    *uint64   `xml:"startNumber,attr"`
	Timescale      *uint64   `xml:"timescale,attr"`
	Duration       *uint64   `xml:"duration,attr"`
	PTO            *uint64   `xml:"presentationTimeOffset,attr"`
	Timeline       *timeline `xml:"SegmentTimeline"`
}

type timeline struct {
	S []xmlS `xml:"S"`
}

type xmlS struct {
	T *uint64 `xml:"t,attr"`
	D uint64  `xml:"d,attr"`
	R int64   `xml:"r,attr"`
}

type xmlList struct {
	Timescale *uint64     `xml:"timescale,attr"`
	Duration  *uint64     `xml:"duration,attr"`
	Init      *xmlURL     `xml:"Initialization"`
	URLs      []xmlSegURL `xml:"SegmentURL"`
	Timeline  *timeline   `xml:"SegmentTimeline"`
}

type xmlSegURL struct {
	Media      string `xml:"media,attr"`
	MediaRange string `xml:"mediaRange,attr"`
}

type xmlURL struct {
	SourceURL string `xml:"sourceURL,attr"`
	Range     string `xml:"range,attr"`
}

type xmlSegBase struct {
	IndexRange *string `xml:"indexRange,attr"`
	Timescale  *uint64 `xml:"timescale,attr"`
	Init       *xmlURL `xml:"Initialization"`
}

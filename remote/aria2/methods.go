package aria2

import (
	"context"
	"errors"
	"fmt"
	"strconv"
)

// The states aria2 reports for a download.
const (
	StateActive   = "active"
	StateWaiting  = "waiting"
	StatePaused   = "paused"
	StateError    = "error"
	StateComplete = "complete"
	StateRemoved  = "removed"
)

// Status is one download as aria2 reports it.
type Status struct {
	GID          string `json:"gid"`
	State        string `json:"status"`
	Total        Num    `json:"totalLength"`
	Completed    Num    `json:"completedLength"`
	Speed        Num    `json:"downloadSpeed"`
	Connections  Num    `json:"connections"`
	ErrorCode    string `json:"errorCode"`
	ErrorMessage string `json:"errorMessage"`
	Dir          string `json:"dir"`
	Files        []File `json:"files"`
	Bitfield     string `json:"bitfield"` // hex, the high bit of the first digit is piece 0
	NumPieces    Num    `json:"numPieces"`
	PieceLength  Num    `json:"pieceLength"`
}

// File is one file of a download.
type File struct {
	Index     string `json:"index"`
	Path      string `json:"path"`
	Length    Num    `json:"length"`
	Completed Num    `json:"completedLength"`
	URIs      []URI  `json:"uris"`
}

// URI is one source of a file.
type URI struct {
	URI    string `json:"uri"`
	Status string `json:"status"`
}

// statusKeys are the fields asked for in every status call.
var statusKeys = []string{"gid", "status", "totalLength", "completedLength", "downloadSpeed",
	"connections", "errorCode", "errorMessage", "dir", "files", "bitfield", "numPieces", "pieceLength"}

func (s *Status) check() error {
	if err := checkGID(s.GID); err != nil {
		return err
	}
	switch s.State {
	case StateActive, StateWaiting, StatePaused, StateError, StateComplete, StateRemoved:
	default:
		return fmt.Errorf("download %s: unknown status %.32q", s.GID, s.State)
	}
	return nil
}

type statusList []Status

func (l *statusList) check() error {
	for i := range *l {
		if err := (*l)[i].check(); err != nil {
			return err
		}
	}
	return nil
}

// GlobalStat is the box's totals.
type GlobalStat struct {
	DownloadSpeed Num `json:"downloadSpeed"`
	UploadSpeed   Num `json:"uploadSpeed"`
	NumActive     Num `json:"numActive"`
	NumWaiting    Num `json:"numWaiting"`
	NumStopped    Num `json:"numStopped"`
}

// VersionInfo is aria2.getVersion's answer.
type VersionInfo struct {
	Version string `json:"version"`
}

func (v *VersionInfo) check() error {
	if v.Version == "" {
		return errors.New("no version")
	}
	return nil
}

// AddOptions are the per-download options Haul sets when adding.
type AddOptions struct {
	Dir      string   // folder on the box; empty: the box's default
	Out      string   // file name; empty: from the link or the server
	Header   []string // extra request headers, "Name: value" (Referer, Cookie)
	Paused   bool     // add without starting
	Split    int      // connections; 0: the box's default
	MaxSpeed int64    // bytes per second; 0: the box's default
	Position *int     // place in the waiting queue; nil: the end
}

func (o AddOptions) options() map[string]any {
	m := map[string]any{}
	if o.Dir != "" {
		m["dir"] = o.Dir
	}
	if o.Out != "" {
		m["out"] = o.Out
	}
	if len(o.Header) > 0 {
		m["header"] = o.Header
	}
	if o.Paused {
		m["pause"] = "true"
	}
	if o.Split > 0 {
		m["split"] = strconv.Itoa(o.Split)
	}
	if o.MaxSpeed > 0 {
		m["max-download-limit"] = strconv.FormatInt(o.MaxSpeed, 10)
	}
	return m
}

// Version asks the box for aria2's version (and checks the secret).
func (c *Client) Version(ctx context.Context) (string, error) {
	var v VersionInfo
	if err := c.call(ctx, "aria2.getVersion", nil, &v); err != nil {
		return "", err
	}
	return v.Version, nil
}

// AddURI adds one download of the given mirrors of one file and returns its GID.
func (c *Client) AddURI(ctx context.Context, uris []string, o AddOptions) (string, error) {
	params := []any{uris, o.options()}
	if o.Position != nil {
		params = append(params, *o.Position)
	}
	var gid string
	if err := c.call(ctx, "aria2.addUri", params, &gid); err != nil {
		return "", err
	}
	if err := checkGID(gid); err != nil {
		return "", &ProtocolError{Reason: "aria2.addUri", Err: err}
	}
	return gid, nil
}

func (c *Client) gidCall(ctx context.Context, method, gid string) error {
	var got string
	if err := c.call(ctx, method, []any{gid}, &got); err != nil {
		return err
	}
	return nil
}

// Pause pauses a download (aria2.pause).
func (c *Client) Pause(ctx context.Context, gid string) error {
	return c.gidCall(ctx, "aria2.pause", gid)
}

// Unpause resumes a paused download (aria2.unpause).
func (c *Client) Unpause(ctx context.Context, gid string) error {
	return c.gidCall(ctx, "aria2.unpause", gid)
}

// Remove stops a download and moves it to the stopped list (aria2.remove).
func (c *Client) Remove(ctx context.Context, gid string) error {
	return c.gidCall(ctx, "aria2.remove", gid)
}

// RemoveResult forgets a stopped download (aria2.removeDownloadResult).
func (c *Client) RemoveResult(ctx context.Context, gid string) error {
	return c.gidCall(ctx, "aria2.removeDownloadResult", gid)
}

// ChangeOption sets options of one download, e.g. "max-download-limit" or
// "split" (aria2.changeOption).
func (c *Client) ChangeOption(ctx context.Context, gid string, opts map[string]string) error {
	var got string
	return c.call(ctx, "aria2.changeOption", []any{gid, opts}, &got)
}

// Option returns the options of one download (aria2.getOption).
func (c *Client) Option(ctx context.Context, gid string) (map[string]string, error) {
	var m map[string]string
	if err := c.call(ctx, "aria2.getOption", []any{gid}, &m); err != nil {
		return nil, err
	}
	return m, nil
}

// ChangeGlobalOption sets the box's options, e.g. "max-overall-download-limit"
// or "max-concurrent-downloads" (aria2.changeGlobalOption).
func (c *Client) ChangeGlobalOption(ctx context.Context, opts map[string]string) error {
	var got string
	return c.call(ctx, "aria2.changeGlobalOption", []any{opts}, &got)
}

// GlobalOption returns the box's options (aria2.getGlobalOption).
func (c *Client) GlobalOption(ctx context.Context) (map[string]string, error) {
	var m map[string]string
	if err := c.call(ctx, "aria2.getGlobalOption", nil, &m); err != nil {
		return nil, err
	}
	return m, nil
}

// How a position counts in ChangePosition.
const (
	FromStart   = "POS_SET"
	FromCurrent = "POS_CUR"
	FromEnd     = "POS_END"
)

// ChangePosition moves a waiting download in the queue and returns its new
// place (aria2.changePosition).
func (c *Client) ChangePosition(ctx context.Context, gid string, pos int, how string) (int, error) {
	var got int
	if err := c.call(ctx, "aria2.changePosition", []any{gid, pos, how}, &got); err != nil {
		return 0, err
	}
	return got, nil
}

// TellStatus returns one download.
func (c *Client) TellStatus(ctx context.Context, gid string) (Status, error) {
	var s Status
	err := c.call(ctx, "aria2.tellStatus", []any{gid, statusKeys}, &s)
	return s, err
}

// TellActive returns the downloads running now.
func (c *Client) TellActive(ctx context.Context) ([]Status, error) {
	var l statusList
	err := c.call(ctx, "aria2.tellActive", []any{statusKeys}, &l)
	return l, err
}

// TellWaiting returns up to num downloads of the waiting queue (waiting
// and paused) from offset, in queue order.
func (c *Client) TellWaiting(ctx context.Context, offset, num int) ([]Status, error) {
	var l statusList
	err := c.call(ctx, "aria2.tellWaiting", []any{offset, num, statusKeys}, &l)
	return l, err
}

// TellStopped returns up to num stopped downloads (complete, error,
// removed) from offset.
func (c *Client) TellStopped(ctx context.Context, offset, num int) ([]Status, error) {
	var l statusList
	err := c.call(ctx, "aria2.tellStopped", []any{offset, num, statusKeys}, &l)
	return l, err
}

// GlobalStat returns the box's totals.
func (c *Client) GlobalStat(ctx context.Context) (GlobalStat, error) {
	var g GlobalStat
	err := c.call(ctx, "aria2.getGlobalStat", nil, &g)
	return g, err
}

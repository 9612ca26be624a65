//go:build e2e

package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// cdp speaks the Chrome DevTools Protocol over the pipe Chromium opens
// with --remote-debugging-pipe (it reads commands on its fd 3 and writes
// answers and events on its fd 4, each message ended by a NUL byte):
// enough to open the extension's popup as a page and act in it.
type cdp struct {
	w    io.WriteCloser
	mu   sync.Mutex
	next int
	wait map[int]chan cdpAnswer
}

type cdpAnswer struct {
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Message string `json:"message"`
	} `json:"error"`
}

// cdpPipes makes the two pipes; the child's ends go in ExtraFiles (fd 3
// and fd 4), in that order.
func cdpPipes() (child []*os.File, c *cdp, err error) {
	cmdR, cmdW, err := os.Pipe()
	if err != nil {
		return nil, nil, err
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		return nil, nil, err
	}
	c = &cdp{w: cmdW, wait: map[int]chan cdpAnswer{}}
	go c.read(outR)
	return []*os.File{cmdR, outW}, c, nil
}

// read hands each answer to the call waiting for it; events are dropped.
func (c *cdp) read(r io.ReadCloser) {
	defer r.Close()
	br := bufio.NewReader(r)
	for {
		msg, err := br.ReadBytes(0)
		if err != nil {
			return
		}
		var m struct {
			ID int `json:"id"`
			cdpAnswer
		}
		if json.Unmarshal(bytes.TrimSuffix(msg, []byte{0}), &m) != nil || m.ID == 0 {
			continue
		}
		c.mu.Lock()
		ch := c.wait[m.ID]
		delete(c.wait, m.ID)
		c.mu.Unlock()
		if ch != nil {
			ch <- m.cdpAnswer
		}
	}
}

// call sends one command (to the page of session, or to the browser when
// session is "") and decodes its result into out.
func (c *cdp) call(session, method string, params any, out any) error {
	c.mu.Lock()
	c.next++
	id := c.next
	ch := make(chan cdpAnswer, 1)
	c.wait[id] = ch
	c.mu.Unlock()
	msg := map[string]any{"id": id, "method": method, "params": params}
	if session != "" {
		msg["sessionId"] = session
	}
	b, err := json.Marshal(msg)
	if err != nil {
		return err
	}
	if _, err := c.w.Write(append(b, 0)); err != nil {
		return fmt.Errorf("CDP %s: %w", method, err)
	}
	select {
	case a := <-ch:
		if a.Error != nil {
			return fmt.Errorf("CDP %s: %s", method, a.Error.Message)
		}
		if out != nil {
			return json.Unmarshal(a.Result, out)
		}
		return nil
	case <-time.After(30 * time.Second):
		return fmt.Errorf("CDP %s: no answer within 30 s", method)
	}
}

// open opens url in a new page and returns the session to talk to it.
func (c *cdp) open(url string) (string, error) {
	var target struct {
		TargetID string `json:"targetId"`
	}
	if err := c.call("", "Target.createTarget", map[string]any{"url": url}, &target); err != nil {
		return "", err
	}
	var attached struct {
		SessionID string `json:"sessionId"`
	}
	err := c.call("", "Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true}, &attached)
	return attached.SessionID, err
}

// eval runs a JavaScript expression in the session's page (awaiting a
// promise) and decodes its value into out.
func (c *cdp) eval(session, expr string, out any) error {
	var r struct {
		Result struct {
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		ExceptionDetails *struct {
			Text      string `json:"text"`
			Exception struct {
				Description string `json:"description"`
			} `json:"exception"`
		} `json:"exceptionDetails"`
	}
	if err := c.call(session, "Runtime.evaluate", map[string]any{"expression": expr, "awaitPromise": true, "returnByValue": true}, &r); err != nil {
		return err
	}
	if e := r.ExceptionDetails; e != nil {
		return fmt.Errorf("%s %s", e.Text, e.Exception.Description)
	}
	if out == nil || len(r.Result.Value) == 0 {
		return nil
	}
	return json.Unmarshal(r.Result.Value, out)
}

// screenshot captures the part of the session's page from its top left,
// width by height CSS pixels, as PNG.
func (c *cdp) screenshot(session string, width, height float64) ([]byte, error) {
	var r struct {
		Data []byte `json:"data"` // base64 in JSON: decoded by encoding/json
	}
	clip := map[string]any{"x": 0, "y": 0, "width": width, "height": height, "scale": 1}
	err := c.call(session, "Page.captureScreenshot", map[string]any{"format": "png", "clip": clip}, &r)
	return r.Data, err
}

func (c *cdp) close() { c.w.Close() }

package aria2

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coder/websocket"
	"github.com/haul-dl/haul/remote/aria2/aria2test"
)

// fakeBox is a WebSocket endpoint that answers getVersion properly and
// every other request with bad(id): a stand-in for a hostile or broken box.
func fakeBox(t *testing.T, tls bool, bad func(id string) []byte) *httptest.Server {
	t.Helper()
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		defer conn.CloseNow()
		conn.SetReadLimit(1 << 20)
		for {
			_, data, err := conn.Read(r.Context())
			if err != nil {
				return
			}
			var req struct {
				ID     string `json:"id"`
				Method string `json:"method"`
			}
			if json.Unmarshal(data, &req) != nil {
				return
			}
			answer := fmt.Appendf(nil, `{"jsonrpc":"2.0","id":%q,"result":{"version":"1.36.0"}}`, req.ID)
			if req.Method != "aria2.getVersion" {
				answer = bad(req.ID)
			}
			if conn.Write(r.Context(), websocket.MessageText, answer) != nil {
				return
			}
		}
	})
	var s *httptest.Server
	if tls {
		s = httptest.NewTLSServer(h)
	} else {
		s = httptest.NewServer(h)
	}
	t.Cleanup(s.Close)
	return s
}

func wsURL(s *httptest.Server) string {
	return "ws" + strings.TrimPrefix(s.URL, "http") + "/jsonrpc"
}

func TestHostileRepliesAreRefusedWithATypedError(t *testing.T) {
	const gid = "2089b05ecca3d829"
	cases := map[string]func(id string) []byte{
		"oversized": func(id string) []byte {
			return fmt.Appendf(nil, `{"jsonrpc":"2.0","id":%q,"result":[{"gid":%q,"status":"active","dir":%q}]}`,
				id, gid, strings.Repeat("x", MaxReply))
		},
		"a number where aria2 sends a string": func(id string) []byte {
			return fmt.Appendf(nil, `{"jsonrpc":"2.0","id":%q,"result":[{"gid":%q,"status":"active","totalLength":12}]}`, id, gid)
		},
		"a negative length": func(id string) []byte {
			return fmt.Appendf(nil, `{"jsonrpc":"2.0","id":%q,"result":[{"gid":%q,"status":"active","totalLength":"-5"}]}`, id, gid)
		},
		"an object where a list belongs": func(id string) []byte {
			return fmt.Appendf(nil, `{"jsonrpc":"2.0","id":%q,"result":{"gid":%q}}`, id, gid)
		},
		"a download without a GID": func(id string) []byte {
			return fmt.Appendf(nil, `{"jsonrpc":"2.0","id":%q,"result":[{"status":"active"}]}`, id)
		},
		"an unknown status": func(id string) []byte {
			return fmt.Appendf(nil, `{"jsonrpc":"2.0","id":%q,"result":[{"gid":%q,"status":"exploded"}]}`, id, gid)
		},
		"not JSON": func(string) []byte { return []byte("<html>502 Bad Gateway</html>") },
		"a reply to no request": func(string) []byte {
			return []byte(`{"jsonrpc":"2.0","id":"999999","result":[]}`)
		},
		"neither result nor error": func(id string) []byte {
			return fmt.Appendf(nil, `{"jsonrpc":"2.0","id":%q}`, id)
		},
		"an error without a code": func(id string) []byte {
			return fmt.Appendf(nil, `{"jsonrpc":"2.0","id":%q,"error":{"message":"x"}}`, id)
		},
	}
	for name, bad := range cases {
		t.Run(name, func(t *testing.T) {
			s := fakeBox(t, false, bad)
			c, err := Dial(aria2test.Context(t), Config{URL: wsURL(s), Secret: secret})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			l, err := c.TellActive(aria2test.Context(t))
			var pe *ProtocolError
			if !errors.As(err, &pe) {
				t.Fatalf("TellActive answered %v, %v: want a *ProtocolError", l, err)
			}
			if strings.Contains(err.Error(), secret) {
				t.Fatalf("the error %q repeats the secret", err)
			}
		})
	}
}

func TestAnErrorThatRepeatsTheSecretHasItBlankedOut(t *testing.T) {
	s := fakeBox(t, false, func(id string) []byte {
		return fmt.Appendf(nil, `{"jsonrpc":"2.0","id":%q,"error":{"code":1,"message":"bad token:%s here"}}`, id, secret)
	})
	c, err := Dial(aria2test.Context(t), Config{URL: wsURL(s), Secret: secret})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	err = c.Pause(aria2test.Context(t), "2089b05ecca3d829")
	var re *RPCError
	if !errors.As(err, &re) || strings.Contains(err.Error(), secret) || !strings.Contains(err.Error(), "[secret]") {
		t.Fatalf("error %v: want an *RPCError with the secret blanked out", err)
	}
}

func TestCallsEndWithTheirContext(t *testing.T) {
	block := make(chan struct{})
	defer close(block)
	s := fakeBox(t, false, func(id string) []byte { <-block; return nil })
	c, err := Dial(aria2test.Context(t), Config{URL: wsURL(s)})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.TellActive(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("a call with an ended context: %v, want context.Canceled", err)
	}
}

func TestWSSVerifiesCertificatesAndTakesAnExtraCA(t *testing.T) {
	s := fakeBox(t, true, func(id string) []byte {
		return fmt.Appendf(nil, `{"jsonrpc":"2.0","id":%q,"result":[]}`, id)
	})
	url := "wss" + strings.TrimPrefix(s.URL, "https") + "/jsonrpc"
	if _, err := Dial(aria2test.Context(t), Config{URL: url}); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("a box with an unknown certificate: %v, want a certificate error", err)
	}
	ca := filepath.Join(t.TempDir(), "ca.pem")
	pemData := pemOf(s)
	if err := os.WriteFile(ca, pemData, 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Dial(aria2test.Context(t), Config{URL: url, CACertFile: ca})
	if err != nil {
		t.Fatalf("with the box's CA: %v", err)
	}
	defer c.Close()
	if _, err := c.TellActive(aria2test.Context(t)); err != nil {
		t.Fatal(err)
	}
	var ce *ConfigError
	if _, err := Dial(aria2test.Context(t), Config{URL: url, CACertFile: filepath.Join(t.TempDir(), "none.pem")}); !errors.As(err, &ce) {
		t.Fatalf("a missing CA file: %v, want a *ConfigError", err)
	}
}

func TestConfigEndpointAndClearText(t *testing.T) {
	for _, tc := range []struct {
		url   string
		ok    bool
		clear bool
	}{
		{"ws://127.0.0.1:6800/jsonrpc", true, false},
		{"ws://localhost:6800/jsonrpc", true, false},
		{"ws://192.168.1.20:6800/jsonrpc", true, false},
		{"ws://10.0.0.2:6800", true, false},
		{"ws://[fd00::1]:6800/jsonrpc", true, false},
		{"ws://203.0.113.9:6800/jsonrpc", true, true},
		{"ws://seedbox.example.com:6800/jsonrpc", true, true},
		{"ws://nas:6800/jsonrpc", true, false},
		{"ws://diskstation.local:6800/jsonrpc", true, false},
		{"ws://box.home.arpa:6800/jsonrpc", true, false},
		{"ws://8.8.8.8:6800/jsonrpc", true, true},
		{"wss://seedbox.example.com/jsonrpc", true, false},
		{"https://seedbox.example.com/jsonrpc", true, false},
		{"ftp://box/jsonrpc", false, false},
		{"ws://user:pw@box/jsonrpc", false, false},
		{"ws:///jsonrpc", false, false},
	} {
		_, err := Config{URL: tc.url}.Endpoint()
		var ce *ConfigError
		if tc.ok != (err == nil) || (err != nil && !errors.As(err, &ce)) {
			t.Errorf("Endpoint(%q): %v, want ok=%v", tc.url, err, tc.ok)
		}
		if got := (Config{URL: tc.url}).ClearText(); got != tc.clear {
			t.Errorf("ClearText(%q) = %v, want %v", tc.url, got, tc.clear)
		}
	}
}

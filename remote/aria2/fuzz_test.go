package aria2

import (
	"encoding/json"
	"encoding/pem"
	"net/http/httptest"
	"testing"
)

func pemOf(s *httptest.Server) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.Certificate().Raw})
}

// FuzzDecode feeds arbitrary frames to the envelope and status decoders:
// they must refuse or accept, never panic, and what they accept is valid.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"jsonrpc":"2.0","id":"1","result":[{"gid":"2089b05ecca3d829","status":"active","totalLength":"10","files":[{"index":"1","path":"/a","length":"10","uris":[]}]}]}`))
	f.Add([]byte(`{"jsonrpc":"2.0","method":"aria2.onDownloadStart","params":[{"gid":"2089b05ecca3d829"}]}`))
	f.Add([]byte(`{"jsonrpc":"2.0","id":"7","error":{"code":1,"message":"Unauthorized"}}`))
	f.Add([]byte(`{"id":"1","result":{"downloadSpeed":"5","numActive":"1"}}`))
	f.Add([]byte(`[1,2,{"id":null}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := decodeMessage(data)
		if err != nil {
			if _, ok := err.(*ProtocolError); !ok {
				t.Fatalf("error %T %v is not a *ProtocolError", err, err)
			}
			return
		}
		if m.note != nil {
			if checkGID(m.note.GID) != nil {
				t.Fatalf("accepted a notification with GID %q", m.note.GID)
			}
			return
		}
		if m.result == nil && m.rpcErr == nil {
			t.Fatal("accepted a reply with neither result nor error")
		}
		if m.result != nil {
			var l statusList
			if decodeResult(m.result, &l) == nil {
				for _, s := range l {
					if s.check() != nil || s.Total < 0 {
						t.Fatalf("accepted a bad status %+v", s)
					}
				}
			}
			var g GlobalStat
			_ = decodeResult(m.result, &g)
			if !json.Valid(m.result) {
				t.Fatal("accepted a result that is not JSON")
			}
		}
	})
}

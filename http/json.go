package http

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/beifen/beifen"
)

// maxJSONBody bounds JSON request bodies (a manifest of a million files fits).
const maxJSONBody = 256 << 20

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func readJSON(w http.ResponseWriter, r *http.Request, v any) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxJSONBody)
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		if _, ok := err.(*http.MaxBytesError); ok {
			return err
		}
		return beifen.Errorf(beifen.EINVALID, "Invalid JSON body.")
	}
	return nil
}

// pathID reads a numeric path value; a malformed one is as missing as an unknown one, and gets
// the missing message.
func pathID(r *http.Request, name, missing string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, beifen.Errorf(beifen.ENOTFOUND, "%s", missing)
	}
	return id, nil
}

// Package provider posts JSON to third parties' HTTPS APIs (SMS gateway, real-name service,
// carrier, push service): one request shape, one bearer token, one timeout, bounded answers.
package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

// Timeout bounds a call when no client is given.
const Timeout = 10 * time.Second

// MaxAnswer is how much of an answer is read.
const MaxAnswer = 4096

// Post sends v as JSON to url with the bearer token (if any) and returns the response, whose
// body the caller reads (at most MaxAnswer bytes) and closes. Errors name the service.
func Post(ctx context.Context, client *http.Client, url, token, service string, v any) (*http.Response, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", service, err)
	}
	req, err := http.NewRequestWithContext(ctx, "POST", url, bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if client == nil {
		client = &http.Client{Timeout: Timeout}
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", service, err)
	}
	return resp, nil
}

// Send posts v and wants any 2xx answer, which it discards.
func Send(ctx context.Context, client *http.Client, url, token, service string, v any) error {
	resp, err := Post(ctx, client, url, token, service, v)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, MaxAnswer))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s: HTTP %d", service, resp.StatusCode)
	}
	return nil
}

package faultcases

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
)

// poll fetches a price from a local service. The buggy variant checks the
// status and returns without reading or closing the body: the connection
// can never go back to the idle pool, so every call dials a new one and
// keeps its buffers and its read and write goroutines.
func poll(client *http.Client, url string, buggy bool) (io.Closer, error) {
	resp, err := client.Get(url) // want: inuse body-not-closed
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, fmt.Errorf("status %s", resp.Status)
	}
	if buggy {
		return resp.Body, nil
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return nil, err
}

func runBodyNotClosed(ctx context.Context, buggy bool) (func(), error) {
	payload := strings.Repeat(`{"symbol":"BTC-USDT","price":"64000.10"}`, 25)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, payload)
	}))
	tr := &http.Transport{MaxIdleConnsPerHost: 4}
	client := &http.Client{Transport: tr}
	var failed atomic.Int64
	var first atomic.Value
	// The bodies the buggy variant leaves open, kept only so the test can
	// release the connections after measuring (the transport holds them anyway).
	var open []io.Closer
	err := paceSerial(ctx, runDuration, 400, func(i int) {
		body, err := poll(client, srv.URL, buggy)
		if err != nil {
			failed.Add(1)
			first.CompareAndSwap(nil, err)
		}
		if body != nil {
			open = append(open, body)
		}
	})
	cleanup := func() {
		for _, b := range open {
			b.Close()
		}
		srv.CloseClientConnections()
		tr.CloseIdleConnections()
		srv.Close()
	}
	if err == nil && failed.Load() > 0 {
		err = fmt.Errorf("body-not-closed: %d requests failed, first: %v", failed.Load(), first.Load())
	}
	return cleanup, err
}

package main

import (
	"net"
	"net/http"
)

func serveEverywhere(h http.Handler) error {
	// ruleid: go-http-listen-all-interfaces
	go http.ListenAndServe(":8080", h)
	// ruleid: go-http-listen-all-interfaces
	go http.ListenAndServeTLS("0.0.0.0:8443", "cert.pem", "key.pem", h)
	// ruleid: go-http-listen-all-interfaces
	srv := &http.Server{Addr: ":9090", Handler: h}
	// ruleid: go-http-listen-all-interfaces
	ln, err := net.Listen("tcp", "[::]:7000")
	if err != nil {
		return err
	}
	return srv.Serve(ln)
}

func serveLocal(h http.Handler, addr string) error {
	// ok: go-http-listen-all-interfaces
	go http.ListenAndServe("127.0.0.1:8080", h)
	// ok: go-http-listen-all-interfaces
	go http.ListenAndServeTLS("localhost:8443", "cert.pem", "key.pem", h)
	// ok: go-http-listen-all-interfaces
	srv := &http.Server{Addr: addr, Handler: h}
	// ok: go-http-listen-all-interfaces
	ln, err := net.Listen("tcp", "[::1]:7000")
	if err != nil {
		return err
	}
	return srv.Serve(ln)
}

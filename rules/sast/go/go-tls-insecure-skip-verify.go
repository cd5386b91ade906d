package client

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
)

func insecureClients() []*http.Client {
	// ruleid: go-tls-insecure-skip-verify
	a := &tls.Config{InsecureSkipVerify: true}
	// ruleid: go-tls-insecure-skip-verify
	b := &http.Transport{TLSClientConfig: &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: true}}
	c := &tls.Config{}
	// ruleid: go-tls-insecure-skip-verify
	c.InsecureSkipVerify = true
	return []*http.Client{{Transport: &http.Transport{TLSClientConfig: a}}, {Transport: b}, {Transport: &http.Transport{TLSClientConfig: c}}}
}

func verifyingClients(pool *x509.CertPool) []*http.Client {
	// ok: go-tls-insecure-skip-verify
	a := &tls.Config{InsecureSkipVerify: false}
	// ok: go-tls-insecure-skip-verify
	b := &http.Transport{TLSClientConfig: &tls.Config{MinVersion: tls.VersionTLS12, RootCAs: pool}}
	c := &tls.Config{}
	// ok: go-tls-insecure-skip-verify
	c.RootCAs = pool
	return []*http.Client{{Transport: &http.Transport{TLSClientConfig: a}}, {Transport: b}, {Transport: &http.Transport{TLSClientConfig: c}}}
}

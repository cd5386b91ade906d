package server

import "crypto/tls"

func legacyConfigs() []*tls.Config {
	// ruleid: go-tls-weak-min-version
	a := &tls.Config{MinVersion: tls.VersionTLS10}
	// ruleid: go-tls-weak-min-version
	b := &tls.Config{ServerName: "api.example.com", MinVersion: tls.VersionTLS11}
	c := &tls.Config{}
	// ruleid: go-tls-weak-min-version
	c.MinVersion = tls.VersionSSL30
	return []*tls.Config{a, b, c}
}

func modernConfigs() []*tls.Config {
	// ok: go-tls-weak-min-version
	a := &tls.Config{MinVersion: tls.VersionTLS12}
	// ok: go-tls-weak-min-version
	b := &tls.Config{ServerName: "api.example.com", MinVersion: tls.VersionTLS13}
	c := &tls.Config{}
	// ok: go-tls-weak-min-version
	c.MinVersion = tls.VersionTLS12
	return []*tls.Config{a, b, c}
}

package auth

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"io"

	"golang.org/x/crypto/bcrypt"
)

func weak(password string, req *Request) {
	// ruleid: go-weak-hash-password
	a := md5.Sum([]byte(password))
	// ruleid: go-weak-hash-password
	b := sha1.Sum([]byte(req.NewPassword))
	h := md5.New()
	// ruleid: go-weak-hash-password
	io.WriteString(h, password)
	_, _, _ = a, b, h.Sum(nil)
}

func strong(password string, req *Request, body []byte) {
	// ok: go-weak-hash-password
	a, _ := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	// ok: go-weak-hash-password
	b := md5.Sum(body)
	h := sha256.New()
	// ok: go-weak-hash-password
	io.WriteString(h, req.NewPassword)
	_, _, _ = a, b, h.Sum(nil)
}

type Request struct{ NewPassword string }

package vault

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"crypto/rc4"

	"golang.org/x/crypto/chacha20poly1305"
)

func legacy(key8, key24, key16 []byte) {
	// ruleid: go-weak-cipher-des-rc4
	a, _ := des.NewCipher(key8)
	// ruleid: go-weak-cipher-des-rc4
	b, _ := des.NewTripleDESCipher(key24)
	// ruleid: go-weak-cipher-des-rc4
	c, _ := rc4.NewCipher(key16)
	_, _, _ = a, b, c
}

func modern(key32 []byte) {
	// ok: go-weak-cipher-des-rc4
	block, _ := aes.NewCipher(key32)
	// ok: go-weak-cipher-des-rc4
	gcm, _ := cipher.NewGCM(block)
	// ok: go-weak-cipher-des-rc4
	aead, _ := chacha20poly1305.New(key32)
	_, _ = gcm, aead
}

package tokens

import (
	crand "crypto/rand"
	"encoding/hex"
	"fmt"
	"math/big"
	"math/rand"
	"time"
)

const letters = "abcdefghijklmnopqrstuvwxyz0123456789"

func GenerateResetToken(n int) string {
	b := make([]byte, n)
	for i := range b {
		// ruleid: go-math-rand-secret
		b[i] = letters[rand.Intn(len(letters))]
	}
	return string(b)
}

func issue(user *User) {
	// ruleid: go-math-rand-secret
	user.SessionID = fmt.Sprintf("%x", rand.Int63())
	// ruleid: go-math-rand-secret
	apiKey := rand.Uint64()
	_ = apiKey
}

func issueSafely(user *User) error {
	b := make([]byte, 32)
	// ok: go-math-rand-secret
	if _, err := crand.Read(b); err != nil {
		return err
	}
	user.SessionID = hex.EncodeToString(b)
	// ok: go-math-rand-secret
	apiKey, err := crand.Int(crand.Reader, big.NewInt(1<<62))
	// ok: go-math-rand-secret
	backoff := time.Duration(rand.Intn(500)) * time.Millisecond
	_, _ = apiKey, backoff
	return err
}

type User struct{ SessionID string }

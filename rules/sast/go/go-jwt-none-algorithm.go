package authn

import (
	"github.com/golang-jwt/jwt/v5"
)

func unsigned(claims jwt.MapClaims, raw string) {
	// ruleid: go-jwt-none-algorithm
	tok := jwt.NewWithClaims(jwt.SigningMethodNone, claims)
	// ruleid: go-jwt-none-algorithm
	s, _ := tok.SignedString(jwt.UnsafeAllowNoneSignatureType)
	// ruleid: go-jwt-none-algorithm
	opts := jwt.WithValidMethods([]string{"HS256", "none"})
	parsed, _ := jwt.Parse(raw, func(t *jwt.Token) (interface{}, error) {
		// ruleid: go-jwt-none-algorithm
		return jwt.UnsafeAllowNoneSignatureType, nil
	}, opts)
	_, _ = s, parsed
}

func signed(claims jwt.MapClaims, raw string, key []byte) {
	// ok: go-jwt-none-algorithm
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, claims)
	// ok: go-jwt-none-algorithm
	s, _ := tok.SignedString(key)
	// ok: go-jwt-none-algorithm
	opts := jwt.WithValidMethods([]string{"HS256"})
	parsed, _ := jwt.Parse(raw, func(t *jwt.Token) (interface{}, error) {
		// ok: go-jwt-none-algorithm
		return key, nil
	}, opts)
	_, _ = s, parsed
}

package rpc

import (
	"context"
	"crypto/tls"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
)

func plaintext(ctx context.Context) {
	// ruleid: go-grpc-insecure-transport
	a, _ := grpc.Dial("orders.example.com:443", grpc.WithInsecure())
	// ruleid: go-grpc-insecure-transport
	b, _ := grpc.NewClient("dns:///billing.example.net:50051", grpc.WithTransportCredentials(insecure.NewCredentials()))
	// ruleid: go-grpc-insecure-transport
	c, _ := grpc.DialContext(ctx, "10.20.0.15:50051", grpc.WithBlock(), grpc.WithInsecure())
	_, _, _ = a, b, c
}

func protected(ctx context.Context) {
	creds := credentials.NewTLS(&tls.Config{MinVersion: tls.VersionTLS12})
	// ok: go-grpc-insecure-transport
	a, _ := grpc.Dial("orders.example.com:443", grpc.WithTransportCredentials(creds))
	// ok: go-grpc-insecure-transport
	b, _ := grpc.NewClient("localhost:50051", grpc.WithTransportCredentials(insecure.NewCredentials()))
	// ok: go-grpc-insecure-transport
	c, _ := grpc.DialContext(ctx, "127.0.0.1:50051", grpc.WithBlock(), grpc.WithInsecure())
	_, _, _ = a, b, c
}

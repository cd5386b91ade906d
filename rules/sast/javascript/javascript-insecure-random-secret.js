const crypto = require("crypto");

function weakTokens(user) {
  // ruleid: javascript-insecure-random-secret
  const resetToken = Math.random().toString(36).slice(2);
  // ruleid: javascript-insecure-random-secret
  user.apiKey = Math.floor(Math.random() * 1e16).toString(16);
  // ruleid: javascript-insecure-random-secret
  return { sessionId: Math.random().toString(36), name: user.name };
}

function generateCsrfSecret() {
  // ruleid: javascript-insecure-random-secret
  return String(Math.random()).slice(2);
}

function generateCsrfSecretSafely() {
  // ok: javascript-insecure-random-secret
  return crypto.randomBytes(32).toString("hex");
}

function refreshTokens(user) {
  // ok: javascript-insecure-random-secret
  const resetToken = crypto.randomBytes(32).toString("hex");
  // ok: javascript-insecure-random-secret
  user.apiKey = crypto.randomUUID();
  // ok: javascript-insecure-random-secret
  const retryDelayMs = 100 + Math.floor(Math.random() * 50);
  // ok: javascript-insecure-random-secret
  return { sessionId: crypto.randomBytes(16).toString("base64url"), jitter: Math.random(), retryDelayMs };
}

const crypto = require("crypto");
const { createCipheriv } = require("crypto");

function weak(key, iv, data) {
  // ruleid: javascript-weak-cipher-algorithm
  const a = crypto.createCipheriv("des-ede3-cbc", key, iv);
  // ruleid: javascript-weak-cipher-algorithm
  const b = crypto.createCipheriv("aes-256-ecb", key, null);
  // ruleid: javascript-weak-cipher-algorithm
  const c = createCipheriv("rc4", key, "");
  // ruleid: javascript-weak-cipher-algorithm
  const d = crypto.createDecipheriv("bf-cbc", key, iv);
  return [a, b, c, d, data];
}

function strong(key, iv, data) {
  // ok: javascript-weak-cipher-algorithm
  const a = crypto.createCipheriv("aes-256-gcm", key, iv);
  // ok: javascript-weak-cipher-algorithm
  const b = crypto.createCipheriv("aes-256-cbc", key, iv);
  // ok: javascript-weak-cipher-algorithm
  const c = createCipheriv("chacha20-poly1305", key, iv, { authTagLength: 16 });
  // ok: javascript-weak-cipher-algorithm
  const d = crypto.createDecipheriv("aes-128-gcm", key, iv);
  return [a, b, c, d, data];
}

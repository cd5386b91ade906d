const https = require("https");

function disableVerification() {
  // ruleid: javascript-node-tls-reject-unauthorized-env
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";
  // ruleid: javascript-node-tls-reject-unauthorized-env
  process.env["NODE_TLS_REJECT_UNAUTHORIZED"] = "0";
  // ruleid: javascript-node-tls-reject-unauthorized-env
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = 0;
  return https.get("https://example.com/");
}

function keepVerification() {
  // ok: javascript-node-tls-reject-unauthorized-env
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = "1";
  // ok: javascript-node-tls-reject-unauthorized-env
  process.env["NODE_EXTRA_CA_CERTS"] = "/etc/ssl/private-ca.pem";
  // ok: javascript-node-tls-reject-unauthorized-env
  const current = process.env.NODE_TLS_REJECT_UNAUTHORIZED === "0";
  return current;
}

const https = require("https");
const tls = require("tls");
const axios = require("axios");
const fs = require("fs");

function insecureRequests(host) {
  // ruleid: javascript-tls-reject-unauthorized-disabled
  https.request({ host, port: 443, path: "/", rejectUnauthorized: false });

  // ruleid: javascript-tls-reject-unauthorized-disabled
  const socket = tls.connect(8443, host, { rejectUnauthorized: false });

  // ruleid: javascript-tls-reject-unauthorized-disabled
  const agent = new https.Agent({ keepAlive: true, rejectUnauthorized: false });

  // ruleid: javascript-tls-reject-unauthorized-disabled
  const client = axios.create({ httpsAgent: new https.Agent({ rejectUnauthorized: false }) });

  const opts = { host };
  // ruleid: javascript-tls-reject-unauthorized-disabled
  opts.rejectUnauthorized = false;
  return [socket, agent, client, opts];
}

function safeRequests(host) {
  // ok: javascript-tls-reject-unauthorized-disabled
  https.request({ host, port: 443, path: "/", rejectUnauthorized: true });

  // ok: javascript-tls-reject-unauthorized-disabled
  const socket = tls.connect(8443, host, { ca: fs.readFileSync("ca.pem") });

  // ok: javascript-tls-reject-unauthorized-disabled
  const agent = new https.Agent({ keepAlive: true });

  // ok: javascript-tls-reject-unauthorized-disabled
  const client = axios.create({ httpsAgent: new https.Agent({ rejectUnauthorized: true }) });

  const opts = { host };
  // ok: javascript-tls-reject-unauthorized-disabled
  opts.rejectUnauthorized = true;
  return [socket, agent, client, opts];
}

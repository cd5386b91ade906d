const http = require("http");
const axios = require("axios");
const got = require("got");

async function plaintext(id) {
  // ruleid: javascript-plaintext-http-request
  const a = await fetch("http://api.example.com/v1/users", { method: "GET" });
  // ruleid: javascript-plaintext-http-request
  const b = await axios.post("http://api.example.com/login", { id });
  // ruleid: javascript-plaintext-http-request
  const c = await got(`http://billing.example.org/invoices/${id}`);
  // ruleid: javascript-plaintext-http-request
  http.get("http://203.0.113.7:8080/status", (res) => res.resume());
  // ruleid: javascript-plaintext-http-request
  const d = await axios({ method: "get", url: "http://svc.prod.internal/health" });
  return [a, b, c, d];
}

async function safe(id) {
  // ok: javascript-plaintext-http-request
  const a = await fetch("https://api.example.com/v1/users", { method: "GET" });
  // ok: javascript-plaintext-http-request
  const b = await axios.post("https://api.example.com/login", { id });
  // ok: javascript-plaintext-http-request
  const c = await got(`https://billing.example.org/invoices/${id}`);
  // ok: javascript-plaintext-http-request
  http.get("http://127.0.0.1:8080/status", (res) => res.resume());
  // ok: javascript-plaintext-http-request
  const d = await axios({ method: "get", url: "http://localhost:3000/health" });
  // ok: javascript-plaintext-http-request
  const e = await fetch("http://169.254.169.254/latest/meta-data/");
  // ok: javascript-plaintext-http-request
  const f = await fetch("http://printer.local/status");
  return [a, b, c, d, e, f];
}

const serialize = require("node-serialize");
const { unserialize } = require("node-serialize");

function restoreSession(req) {
  // ruleid: javascript-node-serialize-unserialize
  const profile = serialize.unserialize(Buffer.from(req.cookies.profile, "base64").toString());
  // ruleid: javascript-node-serialize-unserialize
  const prefs = unserialize(req.body.prefs);
  // ruleid: javascript-node-serialize-unserialize
  const cart = require("node-serialize").unserialize(req.query.cart);
  return [profile, prefs, cart];
}

function restoreSafely(req, qs) {
  // ok: javascript-node-serialize-unserialize
  const profile = JSON.parse(Buffer.from(req.cookies.profile, "base64").toString());
  // ok: javascript-node-serialize-unserialize
  const text = serialize.serialize({ theme: "dark" });
  // ok: javascript-node-serialize-unserialize
  const cart = qs.unserialize(req.query.cart);
  return [profile, text, cart];
}

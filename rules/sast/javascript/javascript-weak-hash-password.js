const crypto = require("crypto");
const { createHash } = require("crypto");

function weakDigests(req, password) {
  // ruleid: javascript-weak-hash-password
  const a = crypto.createHash("md5").update(password).digest("hex");
  // ruleid: javascript-weak-hash-password
  const b = crypto.createHash("sha1").update(req.body.newPassword, "utf8").digest("base64");
  // ruleid: javascript-weak-hash-password
  const c = createHash("md5").update(user_pwd).digest("hex");
  return [a, b, c];
}

function acceptable(req, password, salt, fileBuffer, done) {
  // ok: javascript-weak-hash-password
  crypto.scrypt(password, salt, 64, done);
  // ok: javascript-weak-hash-password
  const b = crypto.createHash("sha256").update(req.body.newPassword, "utf8").digest("base64");
  // ok: javascript-weak-hash-password
  const c = createHash("md5").update(fileBuffer).digest("hex");
  return [b, c];
}

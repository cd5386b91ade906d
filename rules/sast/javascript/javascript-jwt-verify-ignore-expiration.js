const jwt = require("jsonwebtoken");

function neverExpires(token, key, done) {
  // ruleid: javascript-jwt-verify-ignore-expiration
  const a = jwt.verify(token, key, { ignoreExpiration: true });
  // ruleid: javascript-jwt-verify-ignore-expiration
  const b = jwt.verify(token, key, { algorithms: ["RS256"], ignoreExpiration: true });
  // ruleid: javascript-jwt-verify-ignore-expiration
  jwt.verify(token, key, { ignoreExpiration: true }, done);
  return [a, b];
}

function checksExpiry(token, key, done) {
  // ok: javascript-jwt-verify-ignore-expiration
  const a = jwt.verify(token, key, { ignoreExpiration: false });
  // ok: javascript-jwt-verify-ignore-expiration
  const b = jwt.verify(token, key, { algorithms: ["RS256"], clockTolerance: 5 });
  // ok: javascript-jwt-verify-ignore-expiration
  jwt.verify(token, key, done);
  return [a, b];
}

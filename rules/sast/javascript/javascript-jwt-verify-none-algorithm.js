const jwt = require("jsonwebtoken");

function acceptsUnsigned(token, key, done) {
  // ruleid: javascript-jwt-verify-none-algorithm
  const a = jwt.verify(token, key, { algorithms: ["HS256", "none"] });
  // ruleid: javascript-jwt-verify-none-algorithm
  const b = jwt.verify(token, key, { issuer: "api", algorithms: ["none"] });
  // ruleid: javascript-jwt-verify-none-algorithm
  jwt.verify(token, key, { algorithms: ["none", "RS256"] }, done);
  return [a, b];
}

function pinnedAlgorithms(token, key, done) {
  // ok: javascript-jwt-verify-none-algorithm
  const a = jwt.verify(token, key, { algorithms: ["HS256"] });
  // ok: javascript-jwt-verify-none-algorithm
  const b = jwt.verify(token, key, { issuer: "api", algorithms: ["RS256", "ES256"] });
  // ok: javascript-jwt-verify-none-algorithm
  jwt.verify(token, key, { algorithms: ["RS256"] }, done);
  return [a, b];
}

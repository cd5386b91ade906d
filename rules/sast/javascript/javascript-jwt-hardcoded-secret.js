const jwt = require("jsonwebtoken");

function issueWithLiteral(user) {
  // ruleid: javascript-jwt-hardcoded-secret
  const token = jwt.sign({ sub: user.id }, "not-a-real-secret", { expiresIn: "1h" });
  // ruleid: javascript-jwt-hardcoded-secret
  const claims = jwt.verify(token, "not-a-real-secret");
  // ruleid: javascript-jwt-hardcoded-secret
  jwt.sign({ sub: user.id }, 'not-a-real-secret-either');
  return claims;
}

function issueWithConfig(user, config) {
  // ok: javascript-jwt-hardcoded-secret
  const token = jwt.sign({ sub: user.id }, process.env.JWT_SECRET, { expiresIn: "1h" });
  // ok: javascript-jwt-hardcoded-secret
  const claims = jwt.verify(token, config.jwtPublicKey, { algorithms: ["RS256"] });
  // ok: javascript-jwt-hardcoded-secret
  jwt.sign({ sub: user.id }, config.jwtPrivateKey, { algorithm: "RS256" });
  return claims;
}

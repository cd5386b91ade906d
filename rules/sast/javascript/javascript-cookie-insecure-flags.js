const session = require("express-session");
const cookieSession = require("cookie-session");

function login(req, res, token) {
  // ruleid: javascript-cookie-insecure-flags
  res.cookie("session_token", token, { httpOnly: true, secure: false });
  // ruleid: javascript-cookie-insecure-flags
  res.cookie("auth", token, { httpOnly: false, secure: true, sameSite: "lax" });
  // ok: javascript-cookie-insecure-flags
  res.cookie("session_token", token, { httpOnly: true, secure: true, sameSite: "lax" });
  // ok: javascript-cookie-insecure-flags
  res.cookie("theme", "dark", { httpOnly: false });
}

// ruleid: javascript-cookie-insecure-flags
app.use(session({ secret: process.env.SESSION_SECRET, resave: false, cookie: { secure: false, maxAge: 3600000 } }));
// ruleid: javascript-cookie-insecure-flags
app.use(cookieSession({ name: "sid", keys: [process.env.COOKIE_KEY], httpOnly: false }));

// ok: javascript-cookie-insecure-flags
app.use(session({ secret: process.env.SESSION_SECRET, resave: false, cookie: { secure: true, maxAge: 3600000 } }));
// ok: javascript-cookie-insecure-flags
app.use(cookieSession({ name: "sid", keys: [process.env.COOKIE_KEY], secure: true }));

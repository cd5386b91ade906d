const express = require("express");
const cors = require("cors");
const fastifyCors = require("@fastify/cors");

const app = express();
// ruleid: javascript-cors-credentials-any-origin
app.use(cors({ origin: true, credentials: true }));
// ruleid: javascript-cors-credentials-any-origin
app.options("*", cors({ credentials: true, maxAge: 600, origin: "*" }));
// ruleid: javascript-cors-credentials-any-origin
fastify.register(fastifyCors, { origin: true, credentials: true });

const trusted = ["https://app.example.com"];
// ok: javascript-cors-credentials-any-origin
app.use(cors({ origin: trusted, credentials: true }));
// ok: javascript-cors-credentials-any-origin
app.options("*", cors({ maxAge: 600, origin: "*" }));
// ok: javascript-cors-credentials-any-origin
fastify.register(fastifyCors, { origin: "https://app.example.com", credentials: true });

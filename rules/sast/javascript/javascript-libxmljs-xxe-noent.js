const libxmljs = require("libxmljs");
const { parseXmlString } = require("libxmljs2");

function parseUpload(req) {
  // ruleid: javascript-libxmljs-xxe-noent
  const doc = libxmljs.parseXml(req.body, { noent: true });
  // ruleid: javascript-libxmljs-xxe-noent
  const feed = parseXmlString(req.body.toString(), { noblanks: true, noent: true });
  // ruleid: javascript-libxmljs-xxe-noent
  const cfg = libxmljs.parseXmlString(req.files.config.data, { noent: true, nonet: true });
  return [doc, feed, cfg];
}

function parseUploadSafely(req) {
  // ok: javascript-libxmljs-xxe-noent
  const doc = libxmljs.parseXml(req.body, { noent: false });
  // ok: javascript-libxmljs-xxe-noent
  const feed = parseXmlString(req.body.toString(), { noblanks: true });
  // ok: javascript-libxmljs-xxe-noent
  const cfg = libxmljs.parseXmlString(req.files.config.data, { nonet: true });
  return [doc, feed, cfg];
}

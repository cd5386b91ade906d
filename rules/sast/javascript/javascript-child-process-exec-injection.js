const cp = require("child_process");
const { exec, execSync } = require("node:child_process");

function runUserInput(req, res) {
  const file = req.query.file;
  // ruleid: javascript-child-process-exec-injection
  cp.exec("tar -czf /tmp/out.tgz " + file, (err) => res.end(String(err)));
  // ruleid: javascript-child-process-exec-injection
  exec(`convert ${file} out.png`);
  // ruleid: javascript-child-process-exec-injection
  const out = execSync(req.body.command);
  // ruleid: javascript-child-process-exec-injection
  require("child_process").execSync(`git log ${req.query.ref}`);
  return out;
}

function runFixed(req, res) {
  const file = req.query.file;
  // ok: javascript-child-process-exec-injection
  cp.execFile("tar", ["-czf", "/tmp/out.tgz", file], (err) => res.end(String(err)));
  // ok: javascript-child-process-exec-injection
  exec("convert input.png out.png");
  // ok: javascript-child-process-exec-injection
  const out = execSync("git rev-parse HEAD");
  // ok: javascript-child-process-exec-injection
  const m = /(\d+)/.exec(file);
  return [out, m];
}

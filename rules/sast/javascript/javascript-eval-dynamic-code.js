const vm = require("vm");

function dangerous(req) {
  // ruleid: javascript-eval-dynamic-code
  const total = eval(req.query.expr);
  // ruleid: javascript-eval-dynamic-code
  const fn = new Function("a", "b", req.body.formula);
  // ruleid: javascript-eval-dynamic-code
  setTimeout("refresh('" + req.query.panel + "')", 1000);
  // ruleid: javascript-eval-dynamic-code
  const out = vm.runInNewContext(`(${req.body.code})`, {});
  return [total, fn, out];
}

function safer(req, handlers) {
  // ok: javascript-eval-dynamic-code
  const total = JSON.parse(req.query.expr);
  // ok: javascript-eval-dynamic-code
  const fn = new Function("a", "b", "return a + b");
  // ok: javascript-eval-dynamic-code
  setTimeout(() => handlers.refresh(req.query.panel), 1000);
  // ok: javascript-eval-dynamic-code
  const out = vm.runInNewContext("1 + 1", {});
  // ok: javascript-eval-dynamic-code
  const cfg = eval("({ debug: false })");
  return [total, fn, out, cfg];
}

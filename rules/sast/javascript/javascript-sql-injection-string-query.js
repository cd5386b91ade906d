async function vulnerable(db, req) {
  const id = req.params.id;
  // ruleid: javascript-sql-injection-string-query
  const a = await db.query("SELECT * FROM users WHERE id = " + id);
  // ruleid: javascript-sql-injection-string-query
  const b = await db.query(`SELECT * FROM orders WHERE owner = '${req.user.name}' LIMIT 10`);
  // ruleid: javascript-sql-injection-string-query
  db.run("DELETE FROM sessions WHERE token = '" + req.cookies.sid + "'", () => {});
  // ruleid: javascript-sql-injection-string-query
  const c = await prisma.$queryRawUnsafe(`UPDATE users SET name = '${req.body.name}'`);
  return [a, b, c];
}

async function parameterised(db, req) {
  const id = req.params.id;
  // ok: javascript-sql-injection-string-query
  const a = await db.query("SELECT * FROM users WHERE id = $1", [id]);
  // ok: javascript-sql-injection-string-query
  const b = await db.query("SELECT * FROM orders WHERE owner = ? LIMIT 10", [req.user.name]);
  // ok: javascript-sql-injection-string-query
  db.run("DELETE FROM sessions WHERE token = ?", [req.cookies.sid], () => {});
  // ok: javascript-sql-injection-string-query
  const c = await db.query("SELECT id, name " + "FROM users");
  // ok: javascript-sql-injection-string-query
  const d = await elastic.get(`/users/${id}`);
  return [a, b, c, d];
}

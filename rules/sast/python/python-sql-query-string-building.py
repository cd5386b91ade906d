import sqlite3


def find_user(conn, username):
    cur = conn.cursor()
    # ruleid: python-sql-query-string-building
    cur.execute(f"SELECT id FROM users WHERE name = '{username}'")
    # ok: python-sql-query-string-building
    cur.execute("SELECT id FROM users WHERE name = %s", (username,))
    # ruleid: python-sql-query-string-building
    cur.execute("SELECT id FROM users WHERE name = '%s'" % username)
    # ok: python-sql-query-string-building
    cur.execute("SELECT id FROM users " + "WHERE active = 1")
    return cur.fetchall()


def delete_rows(db: sqlite3.Connection, table, ids):
    query = "DELETE FROM {} WHERE id IN ({})".format(table, ",".join(ids))
    # ruleid: python-sql-query-string-building
    db.execute(query)
    # ok: python-sql-query-string-building
    db.executemany("DELETE FROM items WHERE id = ?", [(i,) for i in ids])


def search(cur, term):
    # ruleid: python-sql-query-string-building
    cur.execute("SELECT * FROM docs WHERE body LIKE '%" + term + "%'")
    sql = "SELECT * FROM docs WHERE body LIKE ?"
    # ok: python-sql-query-string-building
    cur.execute(sql, ("%" + term + "%",))
    return cur.fetchall()

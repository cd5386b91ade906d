package store

import (
	"context"
	"database/sql"
	"fmt"
)

func vulnerable(ctx context.Context, db *sql.DB, id, name string) {
	// ruleid: go-sql-injection-string-query
	rows, _ := db.Query(fmt.Sprintf("SELECT * FROM users WHERE id = '%s'", id))
	// ruleid: go-sql-injection-string-query
	db.ExecContext(ctx, "DELETE FROM sessions WHERE user_name = '"+name+"'")
	q := fmt.Sprintf("UPDATE users SET name = '%s' WHERE id = %s", name, id)
	// ruleid: go-sql-injection-string-query
	db.Exec(q)
	_ = rows
}

func parameterised(ctx context.Context, db *sql.DB, id, name string) {
	// ok: go-sql-injection-string-query
	rows, _ := db.Query("SELECT * FROM users WHERE id = $1", id)
	// ok: go-sql-injection-string-query
	db.ExecContext(ctx, "DELETE FROM sessions WHERE user_name = ?", name)
	q := "UPDATE users SET name = $1 WHERE id = $2"
	// ok: go-sql-injection-string-query
	db.Exec(q, name, id)
	// ok: go-sql-injection-string-query
	fmt.Println(fmt.Sprintf("SELECT happened for %s", id))
	_ = rows
}

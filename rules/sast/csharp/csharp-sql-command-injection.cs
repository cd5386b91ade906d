using System.Data.SqlClient;
using System.Linq;
using Microsoft.EntityFrameworkCore;

public class UserRepository
{
    public void Unsafe(SqlConnection conn, AppDb db, string name, string id)
    {
        // ruleid: csharp-sql-command-injection
        var find = new SqlCommand("SELECT id FROM users WHERE name = '" + name + "'", conn);
        // ruleid: csharp-sql-command-injection
        var del = new SqlCommand($"DELETE FROM users WHERE id = {id}", conn);
        var cmd = conn.CreateCommand();
        // ruleid: csharp-sql-command-injection
        cmd.CommandText = string.Format("UPDATE users SET active = 0 WHERE id = {0}", id);
        // ruleid: csharp-sql-command-injection
        var users = db.Users.FromSqlRaw($"SELECT * FROM users WHERE name = '{name}'").ToList();
    }

    public void Safe(SqlConnection conn, AppDb db, string name, string id)
    {
        // ok: csharp-sql-command-injection
        var find = new SqlCommand("SELECT id FROM users WHERE name = @name", conn);
        find.Parameters.AddWithValue("@name", name);
        var cmd = conn.CreateCommand();
        // ok: csharp-sql-command-injection
        cmd.CommandText = "UPDATE users SET active = 0 " + "WHERE id = @id";
        cmd.Parameters.AddWithValue("@id", id);
        // ok: csharp-sql-command-injection
        var users = db.Users.FromSqlInterpolated($"SELECT * FROM users WHERE name = {name}").ToList();
        // ok: csharp-sql-command-injection
        var byId = db.Users.FromSqlRaw("SELECT * FROM users WHERE id = {0}", id).ToList();
    }
}

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

public class UserDao {
    ResultSet find(Connection conn, String name) throws Exception {
        Statement st = conn.createStatement();
        // ruleid: java-jdbc-sql-injection-concat
        return st.executeQuery("SELECT id FROM users WHERE name = '" + name + "'");
    }

    void delete(Connection conn, String id) throws Exception {
        // ruleid: java-jdbc-sql-injection-concat
        conn.createStatement().execute("DELETE FROM users WHERE id = " + id);
        // ruleid: java-jdbc-sql-injection-concat
        conn.prepareStatement(String.format("UPDATE users SET active = 0 WHERE id = %s", id)).executeUpdate();
    }

    ResultSet findSafe(Connection conn, String name) throws Exception {
        // ok: java-jdbc-sql-injection-concat
        PreparedStatement ps = conn.prepareStatement("SELECT id FROM users WHERE name = ?");
        ps.setString(1, name);
        // ok: java-jdbc-sql-injection-concat
        conn.createStatement().execute("DELETE FROM sessions " + "WHERE expired = 1");
        return ps.executeQuery();
    }
}

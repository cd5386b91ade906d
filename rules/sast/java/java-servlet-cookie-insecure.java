import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;

public class CookieIssuer {
    void plain(HttpServletResponse resp, String sid) {
        // ruleid: java-servlet-cookie-insecure
        Cookie c = new Cookie("SESSION", sid);
        c.setHttpOnly(true);
        resp.addCookie(c);
    }

    void flagsOff(HttpServletResponse resp, String sid) {
        Cookie c = new Cookie("SESSION", sid);
        c.setSecure(true);
        // ruleid: java-servlet-cookie-insecure
        c.setHttpOnly(false);
        resp.addCookie(c);
    }

    void hardened(HttpServletResponse resp, String sid) {
        // ok: java-servlet-cookie-insecure
        Cookie c = new Cookie("SESSION", sid);
        c.setSecure(true);
        // ok: java-servlet-cookie-insecure
        c.setHttpOnly(true);
        c.setAttribute("SameSite", "Lax");
        resp.addCookie(c);
    }
}

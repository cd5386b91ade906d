import io.jsonwebtoken.Claims;
import io.jsonwebtoken.Jwt;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.Jwts;
import java.security.Key;

public class JwtCheck {
    Object legacy(String token, Key key) {
        // ruleid: java-jjwt-unsigned-token-parse
        return Jwts.parser().setSigningKey(key).parse(token).getBody();
    }

    Jwt builder(String token, Key key) {
        JwtParser parser = Jwts.parserBuilder().setSigningKey(key).build();
        // ruleid: java-jjwt-unsigned-token-parse
        return parser.parse(token);
    }

    Claims legacySigned(String token, Key key) {
        // ok: java-jjwt-unsigned-token-parse
        return Jwts.parser().setSigningKey(key).parseClaimsJws(token).getBody();
    }

    Claims builderSigned(String token, Key key) {
        JwtParser parser = Jwts.parserBuilder().setSigningKey(key).build();
        // ok: java-jjwt-unsigned-token-parse
        return parser.parseClaimsJws(token).getBody();
    }
}

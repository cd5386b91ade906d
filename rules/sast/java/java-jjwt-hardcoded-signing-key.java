import io.jsonwebtoken.Claims;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.SignatureAlgorithm;
import io.jsonwebtoken.io.Decoders;
import io.jsonwebtoken.security.Keys;
import java.nio.charset.StandardCharsets;
import javax.crypto.SecretKey;

public class JwtKeys {
    Claims legacyParse(String token) {
        // ruleid: java-jjwt-hardcoded-signing-key
        return Jwts.parser().setSigningKey("not-a-real-secret").parseClaimsJws(token).getBody();
    }

    String legacyIssue(String user) {
        // ruleid: java-jjwt-hardcoded-signing-key
        return Jwts.builder().setSubject(user).signWith(SignatureAlgorithm.HS256, "not-a-real-secret").compact();
    }

    SecretKey literalKey() {
        // ruleid: java-jjwt-hardcoded-signing-key
        return Keys.hmacShaKeyFor("not-a-real-secret-not-a-real-secret".getBytes(StandardCharsets.UTF_8));
    }

    SecretKey envKey() {
        // ok: java-jjwt-hardcoded-signing-key
        return Keys.hmacShaKeyFor(Decoders.BASE64.decode(System.getenv("JWT_KEY")));
    }

    Claims parse(String token, SecretKey key) {
        // ok: java-jjwt-hardcoded-signing-key
        return Jwts.parserBuilder().setSigningKey(key).build().parseClaimsJws(token).getBody();
    }
}

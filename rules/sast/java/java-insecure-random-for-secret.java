import java.security.SecureRandom;
import java.util.Base64;
import java.util.Random;

public class Tokens {
    private static final SecureRandom SECURE = new SecureRandom();

    String generateResetToken() {
        // ruleid: java-insecure-random-for-secret
        Random rnd = new Random();
        return Long.toHexString(rnd.nextLong());
    }

    int newOtpCode() {
        // ruleid: java-insecure-random-for-secret
        return (int) (Math.random() * 1_000_000);
    }

    String generateApiToken() {
        byte[] buf = new byte[32];
        // ok: java-insecure-random-for-secret
        SECURE.nextBytes(buf);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(buf);
    }

    int pickRetryJitterMillis() {
        // ok: java-insecure-random-for-secret
        return new Random().nextInt(250);
    }
}

class Layout {
    int footprintSize() {
        // ok: java-insecure-random-for-secret
        return new Random().nextInt(8);
    }
}

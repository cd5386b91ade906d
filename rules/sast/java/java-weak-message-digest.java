import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

public class Digests {
    byte[] legacy(String data) throws Exception {
        // ruleid: java-weak-message-digest
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        // ruleid: java-weak-message-digest
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        // ruleid: java-weak-message-digest
        MessageDigest sha1b = MessageDigest.getInstance("SHA1", "SUN");
        sha1.update(data.getBytes(StandardCharsets.UTF_8));
        return sha1.digest();
    }

    byte[] modern(String data) throws Exception {
        // ok: java-weak-message-digest
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        // ok: java-weak-message-digest
        MessageDigest sha3 = MessageDigest.getInstance("SHA3-256", "SUN");
        // ok: java-weak-message-digest
        MessageDigest sha512 = MessageDigest.getInstance("SHA-512");
        sha256.update(data.getBytes(StandardCharsets.UTF_8));
        return sha256.digest();
    }
}

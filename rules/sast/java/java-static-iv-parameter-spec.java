import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;

public class Ivs {
    private static final SecureRandom RNG = new SecureRandom();

    void constant() {
        // ruleid: java-static-iv-parameter-spec
        IvParameterSpec a = new IvParameterSpec(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
        // ruleid: java-static-iv-parameter-spec
        IvParameterSpec b = new IvParameterSpec("0123456789abcdef".getBytes(StandardCharsets.UTF_8));
        // ruleid: java-static-iv-parameter-spec
        IvParameterSpec c = new IvParameterSpec(new byte[16]);
        // ruleid: java-static-iv-parameter-spec
        GCMParameterSpec d = new GCMParameterSpec(128, new byte[12]);
    }

    void fresh() {
        byte[] iv = new byte[16];
        RNG.nextBytes(iv);
        // ok: java-static-iv-parameter-spec
        IvParameterSpec a = new IvParameterSpec(iv);
        byte[] nonce = new byte[12];
        RNG.nextBytes(nonce);
        // ok: java-static-iv-parameter-spec
        GCMParameterSpec d = new GCMParameterSpec(128, nonce);
        // ok: java-static-iv-parameter-spec
        IvParameterSpec e = new IvParameterSpec(iv, 0, 16);
    }
}

import javax.crypto.Cipher;

public class Ciphers {
    void broken() throws Exception {
        // ruleid: java-weak-cipher-algorithm
        Cipher des = Cipher.getInstance("DES/CBC/PKCS5Padding");
        // ruleid: java-weak-cipher-algorithm
        Cipher tdes = Cipher.getInstance("DESede");
        // ruleid: java-weak-cipher-algorithm
        Cipher rc4 = Cipher.getInstance("RC4");
        // ruleid: java-weak-cipher-algorithm
        Cipher aesDefault = Cipher.getInstance("AES");
        // ruleid: java-weak-cipher-algorithm
        Cipher aesEcb = Cipher.getInstance("AES/ECB/PKCS5Padding", "SunJCE");
    }

    void sound() throws Exception {
        // ok: java-weak-cipher-algorithm
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        // ok: java-weak-cipher-algorithm
        Cipher chacha = Cipher.getInstance("ChaCha20-Poly1305");
        // ok: java-weak-cipher-algorithm
        Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPWithSHA-256AndMGF1Padding");
        // ok: java-weak-cipher-algorithm
        Cipher ctr = Cipher.getInstance("AES/CTR/NoPadding", "SunJCE");
    }
}

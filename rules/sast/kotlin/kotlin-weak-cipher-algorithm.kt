import javax.crypto.Cipher

fun brokenCiphers() {
    // ruleid: kotlin-weak-cipher-algorithm
    val des = Cipher.getInstance("DES/CBC/PKCS5Padding")
    // ruleid: kotlin-weak-cipher-algorithm
    val tdes = Cipher.getInstance("DESede/ECB/PKCS5Padding")
    // ruleid: kotlin-weak-cipher-algorithm
    val aesEcb = Cipher.getInstance("AES/ECB/NoPadding")
    // ruleid: kotlin-weak-cipher-algorithm
    val aesDefault = Cipher.getInstance("AES")
}

fun soundCiphers() {
    // ok: kotlin-weak-cipher-algorithm
    val gcm = Cipher.getInstance("AES/GCM/NoPadding")
    // ok: kotlin-weak-cipher-algorithm
    val rsa = Cipher.getInstance("RSA/ECB/OAEPWithSHA-256AndMGF1Padding")
    // ok: kotlin-weak-cipher-algorithm
    val chacha = Cipher.getInstance("ChaCha20-Poly1305")
}

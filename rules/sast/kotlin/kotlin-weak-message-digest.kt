import java.security.MessageDigest

fun legacyChecksum(data: ByteArray): ByteArray {
    // ruleid: kotlin-weak-message-digest
    val md5 = MessageDigest.getInstance("MD5")
    // ruleid: kotlin-weak-message-digest
    val sha1 = MessageDigest.getInstance("SHA-1")
    // ruleid: kotlin-weak-message-digest
    val sha1b = MessageDigest.getInstance("sha1", "SUN")
    return sha1.digest(data)
}

fun modernChecksum(data: ByteArray): ByteArray {
    // ok: kotlin-weak-message-digest
    val sha256 = MessageDigest.getInstance("SHA-256")
    // ok: kotlin-weak-message-digest
    val sha3 = MessageDigest.getInstance("SHA3-256")
    // ok: kotlin-weak-message-digest
    val sha512 = MessageDigest.getInstance("SHA-512", "SUN")
    return sha256.digest(data)
}

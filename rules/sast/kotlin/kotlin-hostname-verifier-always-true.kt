import javax.net.ssl.HostnameVerifier
import javax.net.ssl.HttpsURLConnection
import javax.net.ssl.SSLSession

class AnyHost : HostnameVerifier {
    // ruleid: kotlin-hostname-verifier-always-true
    override fun verify(hostname: String?, session: SSLSession?): Boolean = true
}

class Delegating(private val inner: HostnameVerifier) : HostnameVerifier {
    // ok: kotlin-hostname-verifier-always-true
    override fun verify(hostname: String?, session: SSLSession?): Boolean = inner.verify(hostname, session)
}

fun configure(conn: HttpsURLConnection) {
    // ruleid: kotlin-hostname-verifier-always-true
    conn.hostnameVerifier = HostnameVerifier { _, _ -> true }
    // ruleid: kotlin-hostname-verifier-always-true
    HttpsURLConnection.setDefaultHostnameVerifier { _, _ -> true }
    // ok: kotlin-hostname-verifier-always-true
    conn.hostnameVerifier = HostnameVerifier { host, session -> HttpsURLConnection.getDefaultHostnameVerifier().verify(host, session) }
    // ok: kotlin-hostname-verifier-always-true
    HttpsURLConnection.setDefaultHostnameVerifier(HttpsURLConnection.getDefaultHostnameVerifier())
}

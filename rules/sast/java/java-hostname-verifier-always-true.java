import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSession;

public class Verifiers {
    static class AnyHost implements HostnameVerifier {
        // ruleid: java-hostname-verifier-always-true
        @Override
        public boolean verify(String hostname, SSLSession session) { return true; }
    }

    static class Delegating implements HostnameVerifier {
        private final HostnameVerifier inner = HttpsURLConnection.getDefaultHostnameVerifier();
        // ok: java-hostname-verifier-always-true
        public boolean verify(String hostname, SSLSession session) { return inner.verify(hostname, session); }
    }

    void configure(HttpsURLConnection conn) {
        // ruleid: java-hostname-verifier-always-true
        conn.setHostnameVerifier((h, s) -> true);
        // ruleid: java-hostname-verifier-always-true
        HttpsURLConnection.setDefaultHostnameVerifier((hostname, session) -> { return true; });
        // ok: java-hostname-verifier-always-true
        conn.setHostnameVerifier((h, s) -> HttpsURLConnection.getDefaultHostnameVerifier().verify(h, s));
        // ok: java-hostname-verifier-always-true
        HttpsURLConnection.setDefaultHostnameVerifier(HttpsURLConnection.getDefaultHostnameVerifier());
    }
}

import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

public class TrustAll {
    static class Lenient implements X509TrustManager {
        // ruleid: java-trust-all-x509-trust-manager
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {}
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}
        public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    }

    static class Delegating implements X509TrustManager {
        private final X509TrustManager inner;
        Delegating(X509TrustManager inner) { this.inner = inner; }
        // ok: java-trust-all-x509-trust-manager
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException { inner.checkServerTrusted(chain, authType); }
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}
        public X509Certificate[] getAcceptedIssuers() { return inner.getAcceptedIssuers(); }
    }

    TrustManager anonymous() {
        return new X509TrustManager() {
            // ruleid: java-trust-all-x509-trust-manager
            public void checkServerTrusted(X509Certificate[] c, String a) { return; }
            public void checkClientTrusted(X509Certificate[] c, String a) {}
            public X509Certificate[] getAcceptedIssuers() { return null; }
        };
    }

    TrustManager[] platformDefault(KeyStore privateCa) throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(privateCa);
        // ok: java-trust-all-x509-trust-manager
        return tmf.getTrustManagers();
    }
}

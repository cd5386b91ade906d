import javax.net.ssl.SSLContext;

public class Contexts {
    SSLContext legacySsl() throws Exception {
        // ruleid: java-weak-sslcontext-protocol
        return SSLContext.getInstance("SSL");
    }

    SSLContext legacyTls() throws Exception {
        // ruleid: java-weak-sslcontext-protocol
        SSLContext a = SSLContext.getInstance("TLSv1");
        // ruleid: java-weak-sslcontext-protocol
        SSLContext b = SSLContext.getInstance("TLSv1.1", "SunJSSE");
        return a;
    }

    SSLContext modern() throws Exception {
        // ok: java-weak-sslcontext-protocol
        SSLContext a = SSLContext.getInstance("TLSv1.3");
        // ok: java-weak-sslcontext-protocol
        SSLContext b = SSLContext.getInstance("TLS");
        // ok: java-weak-sslcontext-protocol
        SSLContext c = SSLContext.getInstance("TLSv1.2", "SunJSSE");
        return a;
    }
}

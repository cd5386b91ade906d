import java.net.URI;
import java.net.URL;
import java.net.http.HttpRequest;

public class Endpoints {
    void cleartext(String id) throws Exception {
        // ruleid: java-plain-http-url
        URL a = new URL("http://api.example.com/v1/users");
        // ruleid: java-plain-http-url
        HttpRequest b = HttpRequest.newBuilder(URI.create("http://payments.example.net:8080/charge")).build();
        // ruleid: java-plain-http-url
        URL c = new URL("http://10.0.4.17/items/" + id);
        // ruleid: java-plain-http-url
        HttpRequest d = HttpRequest.newBuilder().uri(URI.create("http://metadata.example.org")).GET().build();
    }

    void encryptedOrLocal(String id) throws Exception {
        // ok: java-plain-http-url
        URL a = new URL("https://api.example.com/v1/users");
        // ok: java-plain-http-url
        HttpRequest b = HttpRequest.newBuilder(URI.create("http://localhost:8080/health")).build();
        // ok: java-plain-http-url
        URL c = new URL("http://127.0.0.1:9000/items/" + id);
        // ok: java-plain-http-url
        HttpRequest d = HttpRequest.newBuilder().uri(URI.create("http://printer.local/status")).GET().build();
        // ok: java-plain-http-url
        URL e = new URL("http://[::1]:8080/");
        // ok: java-plain-http-url
        URL f = new URL("http://app.localhost");
    }
}

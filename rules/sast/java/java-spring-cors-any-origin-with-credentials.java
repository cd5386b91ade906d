import java.util.List;
import org.springframework.web.bind.annotation.CrossOrigin;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.servlet.config.annotation.CorsRegistry;

public class CorsSetup {
    // ruleid: java-spring-cors-any-origin-with-credentials
    @CrossOrigin(origins = "*", allowCredentials = "true")
    @GetMapping("/me")
    public String me() { return "me"; }

    // ok: java-spring-cors-any-origin-with-credentials
    @CrossOrigin(origins = "https://app.example.com", allowCredentials = "true")
    @GetMapping("/profile")
    public String profile() { return "profile"; }

    CorsConfiguration wide() {
        CorsConfiguration config = new CorsConfiguration();
        // ruleid: java-spring-cors-any-origin-with-credentials
        config.addAllowedOriginPattern("*");
        config.setAllowCredentials(true);
        return config;
    }

    CorsConfiguration publicApi() {
        CorsConfiguration config = new CorsConfiguration();
        // ok: java-spring-cors-any-origin-with-credentials
        config.addAllowedOrigin("*");
        config.setAllowCredentials(false);
        return config;
    }

    void register(CorsRegistry registry) {
        // ruleid: java-spring-cors-any-origin-with-credentials
        registry.addMapping("/api/**").allowedOriginPatterns("*").allowCredentials(true);
        // ok: java-spring-cors-any-origin-with-credentials
        registry.addMapping("/api/**").allowedOrigins("https://app.example.com").allowCredentials(true);
    }
}

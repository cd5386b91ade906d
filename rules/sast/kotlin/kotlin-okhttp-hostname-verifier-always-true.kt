import okhttp3.CertificatePinner
import okhttp3.OkHttpClient
import okhttp3.internal.tls.OkHostnameVerifier

fun lenientClient(): OkHttpClient {
    // ruleid: kotlin-okhttp-hostname-verifier-always-true
    return OkHttpClient.Builder().hostnameVerifier { _, _ -> true }.build()
}

fun lenientClientNamed(): OkHttpClient {
    val builder = OkHttpClient.Builder()
    // ruleid: kotlin-okhttp-hostname-verifier-always-true
    builder.hostnameVerifier { hostname, session -> true }
    return builder.build()
}

fun pinnedClient(): OkHttpClient {
    val pinner = CertificatePinner.Builder()
        .add("api.example.com", "sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")
        .build()
    // ok: kotlin-okhttp-hostname-verifier-always-true
    return OkHttpClient.Builder().certificatePinner(pinner).build()
}

fun delegatingClient(): OkHttpClient {
    // ok: kotlin-okhttp-hostname-verifier-always-true
    return OkHttpClient.Builder().hostnameVerifier { host, session -> OkHostnameVerifier.verify(host, session) }.build()
}

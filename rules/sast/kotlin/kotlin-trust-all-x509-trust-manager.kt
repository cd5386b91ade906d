import java.security.KeyStore
import java.security.cert.X509Certificate
import javax.net.ssl.TrustManager
import javax.net.ssl.TrustManagerFactory
import javax.net.ssl.X509TrustManager

object TrustEverything : X509TrustManager {
    // ruleid: kotlin-trust-all-x509-trust-manager
    override fun checkServerTrusted(chain: Array<out X509Certificate>?, authType: String?) {}
    override fun checkClientTrusted(chain: Array<out X509Certificate>?, authType: String?) {}
    override fun getAcceptedIssuers(): Array<X509Certificate> = arrayOf()
}

class Lenient : X509TrustManager {
    // ruleid: kotlin-trust-all-x509-trust-manager
    override fun checkServerTrusted(chain: Array<out X509Certificate>?, authType: String?) = Unit
    override fun checkClientTrusted(chain: Array<out X509Certificate>?, authType: String?) = Unit
    override fun getAcceptedIssuers(): Array<X509Certificate> = arrayOf()
}

class Delegating(private val inner: X509TrustManager) : X509TrustManager {
    // ok: kotlin-trust-all-x509-trust-manager
    override fun checkServerTrusted(chain: Array<out X509Certificate>?, authType: String?) = inner.checkServerTrusted(chain, authType)
    override fun checkClientTrusted(chain: Array<out X509Certificate>?, authType: String?) {}
    override fun getAcceptedIssuers(): Array<X509Certificate> = inner.acceptedIssuers
}

fun platformTrust(privateCa: KeyStore): Array<TrustManager> {
    val tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm())
    tmf.init(privateCa)
    // ok: kotlin-trust-all-x509-trust-manager
    return tmf.trustManagers
}

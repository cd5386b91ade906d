using System.Net;
using System.Net.Http;
using System.Net.Security;
using System.Security.Authentication;

public class Protocols
{
    public void Legacy(SslStream stream)
    {
        // ruleid: csharp-weak-tls-protocol
        ServicePointManager.SecurityProtocol = SecurityProtocolType.Tls;
        // ruleid: csharp-weak-tls-protocol
        var handler = new HttpClientHandler { SslProtocols = SslProtocols.Tls11 };
        // ruleid: csharp-weak-tls-protocol
        stream.AuthenticateAsClient("api.example.com", null, SslProtocols.Ssl3, true);
    }

    public void Modern(SslStream stream)
    {
        // ok: csharp-weak-tls-protocol
        ServicePointManager.SecurityProtocol = SecurityProtocolType.SystemDefault;
        // ok: csharp-weak-tls-protocol
        var handler = new HttpClientHandler { SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13 };
        // ok: csharp-weak-tls-protocol
        stream.AuthenticateAsClient("api.example.com", null, SslProtocols.None, true);
    }
}

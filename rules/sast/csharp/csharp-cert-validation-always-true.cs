using System.Net;
using System.Net.Http;
using System.Net.Security;

public class TlsClients
{
    public void Legacy()
    {
        // ruleid: csharp-cert-validation-always-true
        ServicePointManager.ServerCertificateValidationCallback = (sender, cert, chain, errors) => true;
        // ok: csharp-cert-validation-always-true
        ServicePointManager.ServerCertificateValidationCallback = (sender, cert, chain, errors) => errors == SslPolicyErrors.None;
    }

    public HttpClient AnyCert()
    {
        var handler = new HttpClientHandler
        {
            // ruleid: csharp-cert-validation-always-true
            ServerCertificateCustomValidationCallback = (msg, cert, chain, errors) => true,
        };
        return new HttpClient(handler);
    }

    public HttpClient Dangerous()
    {
        var handler = new HttpClientHandler();
        // ruleid: csharp-cert-validation-always-true
        handler.ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator;
        return new HttpClient(handler);
    }

    public HttpClient Checked()
    {
        var handler = new HttpClientHandler
        {
            // ok: csharp-cert-validation-always-true
            ServerCertificateCustomValidationCallback = (msg, cert, chain, errors) => errors == SslPolicyErrors.None,
        };
        // ok: csharp-cert-validation-always-true
        return new HttpClient(handler);
    }
}

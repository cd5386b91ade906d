use native_tls::TlsConnector;
use reqwest::{Certificate, Client};

fn insecure() -> Result<(Client, TlsConnector), Box<dyn std::error::Error>> {
    // ruleid: rust-tls-accept-invalid-certs
    let client = Client::builder().danger_accept_invalid_certs(true).build()?;
    let mut builder = TlsConnector::builder();
    // ruleid: rust-tls-accept-invalid-certs
    builder.danger_accept_invalid_certs(true);
    Ok((client, builder.build()?))
}

fn verified(pem: &[u8]) -> Result<(Client, TlsConnector), Box<dyn std::error::Error>> {
    // ok: rust-tls-accept-invalid-certs
    let client = Client::builder().add_root_certificate(Certificate::from_pem(pem)?).build()?;
    let mut builder = TlsConnector::builder();
    // ok: rust-tls-accept-invalid-certs
    builder.danger_accept_invalid_certs(false);
    Ok((client, builder.build()?))
}

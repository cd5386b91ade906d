use native_tls::TlsConnector;
use reqwest::Client;

fn insecure() -> Result<(Client, TlsConnector), Box<dyn std::error::Error>> {
    // ruleid: rust-tls-accept-invalid-hostnames
    let client = Client::builder().danger_accept_invalid_hostnames(true).build()?;
    let mut builder = TlsConnector::builder();
    // ruleid: rust-tls-accept-invalid-hostnames
    builder.danger_accept_invalid_hostnames(true);
    Ok((client, builder.build()?))
}

fn verified() -> Result<(Client, TlsConnector), Box<dyn std::error::Error>> {
    // ok: rust-tls-accept-invalid-hostnames
    let client = Client::builder().https_only(true).build()?;
    let mut builder = TlsConnector::builder();
    // ok: rust-tls-accept-invalid-hostnames
    builder.danger_accept_invalid_hostnames(false);
    Ok((client, builder.build()?))
}

use openssl::ssl::{SslConnector, SslMethod, SslVerifyMode};

fn insecure() -> Result<SslConnector, openssl::error::ErrorStack> {
    let mut builder = SslConnector::builder(SslMethod::tls())?;
    // ruleid: rust-openssl-verify-none
    builder.set_verify(SslVerifyMode::NONE);
    // ruleid: rust-openssl-verify-none
    builder.set_verify(openssl::ssl::SslVerifyMode::NONE);
    // ruleid: rust-openssl-verify-none
    builder.set_verify_callback(SslVerifyMode::NONE, |_ok, _ctx| true);
    Ok(builder.build())
}

fn verified() -> Result<SslConnector, openssl::error::ErrorStack> {
    let mut builder = SslConnector::builder(SslMethod::tls())?;
    // ok: rust-openssl-verify-none
    builder.set_verify(SslVerifyMode::PEER);
    // ok: rust-openssl-verify-none
    builder.set_ca_file("/etc/ssl/private-ca.pem")?;
    // ok: rust-openssl-verify-none
    builder.set_verify_callback(SslVerifyMode::PEER, |ok, _ctx| ok);
    Ok(builder.build())
}

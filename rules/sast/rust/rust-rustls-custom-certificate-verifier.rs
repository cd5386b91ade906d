use std::sync::Arc;

use rustls::{ClientConfig, RootCertStore};

fn custom(verifier: Arc<NoVerifier>, roots: RootCertStore) -> (ClientConfig, ClientConfig) {
    // ruleid: rust-rustls-custom-certificate-verifier
    let a = ClientConfig::builder().dangerous().with_custom_certificate_verifier(verifier.clone()).with_no_client_auth();
    let mut b = ClientConfig::builder().with_root_certificates(roots).with_no_client_auth();
    // ruleid: rust-rustls-custom-certificate-verifier
    b.dangerous().set_certificate_verifier(verifier);
    (a, b)
}

fn standard(roots: RootCertStore) -> (ClientConfig, ClientConfig) {
    // ok: rust-rustls-custom-certificate-verifier
    let a = ClientConfig::builder().with_root_certificates(roots.clone()).with_no_client_auth();
    let mut b = ClientConfig::builder().with_root_certificates(roots).with_no_client_auth();
    // ok: rust-rustls-custom-certificate-verifier
    b.alpn_protocols = vec![b"h2".to_vec()];
    (a, b)
}

#[derive(Debug)]
struct NoVerifier;

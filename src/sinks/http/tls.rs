//! TLS for the client: the platform's verifier (the system's roots) plus the certificates of
//! `--webhook-ca` (a PEM bundle, for a receiver or proxy signed by a private CA). The bundle
//! is read and checked before the scan, so a bad one costs no scan.

use super::error::CaError;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject as _;
use std::path::Path;
use std::sync::Arc;

/// The certificates of a PEM bundle, each checked to be a usable trust anchor.
pub fn load_ca(path: &Path) -> Result<Vec<CertificateDer<'static>>, CaError> {
    let read = |detail: String| CaError::Read {
        path: path.to_path_buf(),
        detail,
    };
    let text = std::fs::read(path).map_err(|e| read(e.to_string()))?;
    let certs = CertificateDer::pem_slice_iter(&text)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| read(e.to_string()))?;
    if certs.is_empty() {
        return Err(CaError::Empty {
            path: path.to_path_buf(),
        });
    }
    for (i, cert) in certs.iter().enumerate() {
        rustls::RootCertStore::empty()
            .add(cert.clone())
            .map_err(|e| CaError::Invalid {
                path: path.to_path_buf(),
                index: i + 1,
                detail: e.to_string(),
            })?;
    }
    Ok(certs)
}

/// The client's TLS configuration: the system's roots and `extra`. Fails where the system has
/// no roots and `extra` is empty (said when a message is sent, as a delivery failure).
pub fn config(extra: Vec<CertificateDer<'static>>) -> Result<rustls::ClientConfig, rustls::Error> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier =
        rustls_platform_verifier::Verifier::new_with_extra_roots(extra, provider.clone())?;
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth())
}

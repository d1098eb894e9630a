//! Why a message was not delivered, or the client could not be set up: each names a URL by
//! its host only (a webhook's path and query carry its token, its user part a password).

use std::path::PathBuf;

/// Why a message was not delivered.
#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    #[error("webhook URL `{0}` is not an http or https URL")]
    BadUrl(String),
    #[error("webhook delivery to {host} failed after {}: {detail}", crate::words::count(*.attempts, "attempt", "attempts"))]
    Failed {
        host: String,
        attempts: u32,
        detail: String,
    },
}

/// `--webhook-ca` (or the configuration's `webhook-ca`) cannot be used: exit 2, before the
/// scan.
#[derive(Debug, thiserror::Error)]
pub enum CaError {
    #[error("cannot read the webhook CA bundle `{path}`: {detail}")]
    Read { path: PathBuf, detail: String },
    #[error("the webhook CA bundle `{path}` holds no PEM certificate")]
    Empty { path: PathBuf },
    #[error("the webhook CA bundle `{path}`: certificate {index} is not usable: {detail}")]
    Invalid {
        path: PathBuf,
        index: usize,
        detail: String,
    },
}

/// What went wrong in one exchange, for [`WebhookError::Failed`]: no answer in time, no
/// connection (its innermost cause, without the URL the outer layers repeat, and the proxy's
/// host when one was in the way), or another transport failure.
pub fn describe(e: &(dyn std::error::Error + 'static)) -> String {
    if e.is::<tower::timeout::error::Elapsed>() {
        return "no answer within the time limit".to_string();
    }
    let proxy = chain(e).find_map(|s| s.downcast_ref::<super::connect::ProxyError>());
    let root = chain(e).last().map(ToString::to_string).unwrap_or_default();
    match proxy {
        Some(super::connect::ProxyError::Unsupported(_)) => root,
        Some(super::connect::ProxyError::Via { host, .. }) => {
            format!("cannot connect through the proxy {host}: {root}")
        }
        None if is_connect(e) => format!("cannot connect: {root}"),
        None => root,
    }
}

/// A failure to connect (to the host or the proxy), before anything was sent: safe to retry.
pub fn is_connect(e: &(dyn std::error::Error + 'static)) -> bool {
    chain(e).any(|s| {
        s.downcast_ref::<hyper_util::client::legacy::Error>()
            .is_some_and(|l| l.is_connect())
    })
}

/// A failure that another attempt would repeat: a proxy kubedoctor cannot use, a TLS
/// handshake that failed (a certificate not trusted, no protocol in common).
pub fn is_permanent(e: &(dyn std::error::Error + 'static)) -> bool {
    chain(e).any(|s| {
        let tls = s
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            .is_some_and(|inner| inner.is::<rustls::Error>());
        tls || matches!(
            s.downcast_ref::<super::connect::ProxyError>(),
            Some(super::connect::ProxyError::Unsupported(_))
        )
    })
}

/// An error and its sources, outermost first.
fn chain<'a>(
    e: &'a (dyn std::error::Error + 'static),
) -> impl Iterator<Item = &'a (dyn std::error::Error + 'static)> {
    std::iter::successors(Some(e), |s| s.source())
}

//! The one outbound HTTP client: webhooks (Slack, Teams, any JSON receiver: POST) and the
//! Prometheus Pushgateway (PUT, POST) go through it. Built once per run: TLS with the
//! platform's roots plus `--webhook-ca` ([`tls`]), the proxies of the environment
//! ([`connect`]), a time limit per attempt (`tower::timeout`) and retries on 429, 5xx and
//! failed connections honouring `Retry-After` ([`retry`], a `tower::retry` policy).
//! Credentials in a URL become an `Authorization: Basic` header ([`credentials`]). Errors
//! name the URL's host only, never its path or query, which carry the webhook's secret token,
//! nor its password; a receiver's answer is quoted redacted, without what the URL holds.

mod connect;
mod credentials;
mod error;
mod retry;
mod tls;

pub use error::{CaError, WebhookError};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::proxy::matcher::Matcher;
use hyper_util::rt::TokioExecutor;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;
use tower::ServiceExt as _;

type Transport = hyper_util::client::legacy::Client<
    hyper_rustls::HttpsConnector<connect::Connector>,
    Full<Bytes>,
>;

/// The client of a run: one connection pool, one TLS configuration, the environment's
/// proxies read once.
#[derive(Clone)]
pub struct Client {
    /// The transport with its time limit per attempt, or why TLS could not be set up.
    transport: Result<tower::timeout::Timeout<Transport>, String>,
    proxies: Arc<Matcher>,
    timeout: Duration,
}

impl Client {
    /// A client whose attempts each have `timeout`, trusting the system's roots and the
    /// certificates of the PEM bundle `extra_ca`; a bundle that cannot be used is an error.
    pub fn new(extra_ca: Option<&Path>, timeout: Duration) -> Result<Client, CaError> {
        let extra = match extra_ca {
            Some(path) => tls::load_ca(path)?,
            None => Vec::new(),
        };
        let proxies = Arc::new(Matcher::from_env());
        let transport = tls::config(extra)
            .map(|tls| {
                let connector = hyper_rustls::HttpsConnectorBuilder::new()
                    .with_tls_config(tls)
                    .https_or_http()
                    .enable_http1()
                    .wrap_connector(connect::Connector::new(proxies.clone()));
                let client = hyper_util::client::legacy::Client::builder(TokioExecutor::new())
                    .build(connector);
                tower::timeout::Timeout::new(client, timeout)
            })
            .map_err(|e| format!("TLS setup: {e}"));
        Ok(Client {
            transport,
            proxies,
            timeout,
        })
    }

    /// Sends `body` of `content_type` to `url` with `method` (a webhook's POST, a
    /// Pushgateway's PUT); returns the attempts it took. Only a 2xx answer is a delivery.
    pub async fn send(
        &self,
        method: http::Method,
        url: &str,
        content_type: &'static str,
        body: Bytes,
    ) -> Result<u32, WebhookError> {
        let target = credentials::split(url).ok_or_else(|| WebhookError::BadUrl(host_of(url)))?;
        let host = target.uri.host().unwrap_or_default().to_string();
        let failed = |attempts: u32, detail: String| WebhookError::Failed {
            host: host.clone(),
            attempts,
            detail,
        };
        let transport = self.transport.clone().map_err(|e| failed(0, e))?;
        let mut request = http::Request::builder()
            .method(method)
            .uri(target.uri.clone())
            .header(http::header::CONTENT_TYPE, content_type)
            .header(
                http::header::USER_AGENT,
                concat!("kubedoctor/", env!("CARGO_PKG_VERSION")),
            )
            .body(Full::new(body))
            .map_err(|e| failed(0, e.to_string()))?;
        let headers = request.headers_mut();
        if let Some(auth) = target.authorization {
            headers.insert(http::header::AUTHORIZATION, auth);
        }
        if let Some(auth) = connect::forwarded_auth(&self.proxies, &target.uri) {
            headers.insert(http::header::PROXY_AUTHORIZATION, auth);
        }
        let attempts = Arc::new(AtomicU32::new(0));
        let result = tower::retry::Retry::new(retry::Policy::new(attempts.clone()), transport)
            .oneshot(request)
            .await;
        let attempts = attempts.load(Ordering::Relaxed);
        let response = result.map_err(|e| failed(attempts, error::describe(e.as_ref())))?;
        let status = response.status();
        if status.is_success() {
            return Ok(attempts);
        }
        // The receiver's explanation, briefly (Slack answers `invalid_payload`).
        let text = tokio::time::timeout(self.timeout, response.into_body().collect())
            .await
            .ok()
            .and_then(Result::ok)
            .map(|b| String::from_utf8_lossy(&b.to_bytes()).into_owned())
            .unwrap_or_default();
        let detail = match text.trim() {
            "" => format!("HTTP {status}"),
            said => format!(
                "HTTP {status}: {}",
                crate::words::excerpt(&answer(said, &target.uri, &target.secrets), 120)
            ),
        };
        Err(failed(attempts, detail))
    }
}

/// Checks a CA bundle as `--webhook-ca` would read it (for `config check`).
pub fn check_ca(path: &Path) -> Result<(), CaError> {
    tls::load_ca(path).map(drop)
}

/// The host of a URL, for messages (`hooks.slack.com`).
pub fn host_of(url: &str) -> String {
    url.parse::<http::Uri>()
        .ok()
        .and_then(|u| u.host().map(str::to_string))
        .unwrap_or_else(|| "(unparsable URL)".to_string())
}

/// A receiver's answer as an error quotes it: what the URL holds (its path and query carry
/// the webhook's token; a receiver may echo them) and anything shaped like a secret becomes
/// `[REDACTED]`, and so does a password the URL held (`credentials`).
fn answer(text: &str, uri: &http::Uri, credentials: &[String]) -> String {
    let path_parts = uri.path().split('/');
    let query_parts = uri
        .query()
        .into_iter()
        .flat_map(|q| q.split('&'))
        .flat_map(|pair| pair.split('='));
    let mut secrets: Vec<&str> = path_parts
        .chain(query_parts)
        .chain(uri.path_and_query().map(|p| p.as_str()))
        .chain(uri.query())
        // Words of the path (`services`, `hooks`) are not secrets and stay readable.
        .filter(|p| {
            p.len() >= 4 && (p.starts_with('/') || !p.chars().all(|c| c.is_ascii_lowercase()))
        })
        .chain(credentials.iter().map(String::as_str))
        .collect();
    // The longest first, so a whole path goes before its segments.
    secrets.sort_by_key(|p| std::cmp::Reverse(p.len()));
    let mut out = text.to_string();
    for s in secrets {
        out = out.replace(s, crate::redact::REDACTED);
    }
    crate::redact::text(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::{answer, host_of};

    #[test]
    fn an_answer_never_quotes_the_url_or_a_secret() {
        let uri: http::Uri =
            "https://hooks.example.test/services/T0001/B0002/XyZsecretPart9?key=k3yv4lue"
                .parse()
                .unwrap();
        let said = answer(
            "no such hook: /services/T0001/B0002/XyZsecretPart9 (key k3yv4lue); Authorization: Bearer 0a1b2c3d4e5f6a7b",
            &uri,
            &[],
        );
        for s in ["XyZsecretPart9", "k3yv4lue", "0a1b2c3d4e5f6a7b", "T0001"] {
            assert!(!said.contains(s), "{said}");
        }
        assert!(said.starts_with("no such hook: "), "{said}");
        assert!(
            answer("unknown services path", &uri, &[]).contains("services"),
            "words of the path stay"
        );
        let said = answer("denied for ops:pw (pw)", &uri, &["pw".to_string()]);
        assert_eq!(
            said, "denied for ops:[REDACTED] ([REDACTED])",
            "a URL's password"
        );
    }

    #[test]
    fn only_the_host_is_named() {
        assert_eq!(
            host_of("https://hooks.slack.com/services/T000/B000/XXXXSECRET"),
            "hooks.slack.com"
        );
        assert_eq!(
            host_of("http://user:pw@127.0.0.1:8080/x?token=y"),
            "127.0.0.1"
        );
    }
}

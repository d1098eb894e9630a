//! One API call with a timeout, bounded retries on 429 and 5xx, and errors classified so a
//! caller can turn them into notes naming what failed and what permission is missing.

use std::future::Future;
use std::time::Duration;

/// Retries after a 429 or 5xx (and their waits): 0.2 s, 0.4 s, 0.8 s.
const RETRIES: u32 = 3;

/// A failed call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallError {
    /// 401: the credentials were rejected.
    Unauthorized(String),
    /// 403: a permission is missing.
    Forbidden(String),
    /// 404.
    NotFound(String),
    /// No answer within the request timeout.
    Timeout,
    /// The server could not be reached at all.
    Unreachable(String),
    /// Anything else, including 429/5xx after the retries.
    Other(String),
}

impl std::fmt::Display for CallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CallError::Unauthorized(m) => write!(f, "401 unauthorized: {m}"),
            CallError::Forbidden(m) => write!(f, "403 forbidden: {m}"),
            CallError::NotFound(m) => write!(f, "404 not found: {m}"),
            CallError::Timeout => write!(f, "no answer within the request timeout"),
            CallError::Unreachable(m) => write!(f, "unreachable: {m}"),
            CallError::Other(m) => write!(f, "{m}"),
        }
    }
}

fn classify(e: &kube::Error) -> (CallError, bool) {
    match e {
        kube::Error::Api(status) => {
            let msg = status.message.clone();
            match status.code {
                401 => (CallError::Unauthorized(msg), false),
                403 => (CallError::Forbidden(msg), false),
                404 => (CallError::NotFound(msg), false),
                429 | 500..=599 => (CallError::Other(format!("{} {msg}", status.code)), true),
                c => (CallError::Other(format!("{c} {msg}")), false),
            }
        }
        kube::Error::HyperError(_) | kube::Error::Service(_) => {
            // The cause is at the end of the source chain (`connection refused`, `timed out`).
            let mut chain = vec![e.to_string()];
            let mut source = std::error::Error::source(e);
            while let Some(s) = source {
                chain.push(s.to_string());
                source = s.source();
            }
            let text = chain.join(": ");
            if text.contains("timed out") || text.contains("deadline") || text.contains("elapsed") {
                (CallError::Timeout, false)
            } else {
                (
                    CallError::Unreachable(chain.last().cloned().unwrap_or(text)),
                    false,
                )
            }
        }
        other => (CallError::Other(other.to_string()), false),
    }
}

/// Runs `make()` with a timeout, retrying 429/5xx answers with backoff.
pub async fn call<T, F, Fut>(timeout: Duration, mut make: F) -> Result<T, CallError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, kube::Error>>,
{
    let mut attempt = 0;
    loop {
        // A zero timeout is no limit (`--request-timeout 0`, as in kubectl).
        let result = if timeout.is_zero() {
            make().await
        } else {
            match tokio::time::timeout(timeout, make()).await {
                Err(_) => return Err(CallError::Timeout),
                Ok(r) => r,
            }
        };
        match result {
            Ok(v) => return Ok(v),
            Err(e) => {
                let (err, retry) = classify(&e);
                if !retry || attempt >= RETRIES {
                    return Err(err);
                }
                tokio::time::sleep(Duration::from_millis(200 << attempt)).await;
                attempt += 1;
            }
        }
    }
}

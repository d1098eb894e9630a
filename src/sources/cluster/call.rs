//! One API call with a timeout, bounded retries on 429 and 5xx, and errors classified so a
//! caller can turn them into notes naming what failed and what permission is missing.

use std::future::Future;
use std::time::Duration;

/// Retries after a 429 or 5xx (and their waits): 0.2 s, 0.4 s, 0.8 s.
const RETRIES: u32 = 3;

/// A failed call.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CallError {
    /// The server answered with an error status (401, 403, 404, 429, 5xx, ...).
    #[error("{code} {}: {message}", reason(*code))]
    Status { code: u16, message: String },
    /// No answer within the request timeout.
    #[error("no answer within the request timeout")]
    Timeout,
    /// The server could not be reached at all.
    #[error("unreachable: {0}")]
    Unreachable(String),
    /// An answer that could not be read (not JSON, not UTF-8).
    #[error("{0}")]
    Invalid(String),
}

impl CallError {
    /// The HTTP status of an error answer.
    pub fn status(&self) -> Option<u16> {
        match self {
            CallError::Status { code, .. } => Some(*code),
            _ => None,
        }
    }

    /// A 429 or 5xx: worth another try.
    fn retryable(&self) -> bool {
        self.status()
            .is_some_and(|c| c == 429 || (500..600).contains(&c))
    }
}

/// `forbidden` for 403: the status's reason phrase, lower case.
fn reason(code: u16) -> String {
    http::StatusCode::from_u16(code)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("error")
        .to_lowercase()
}

/// Whether an error chain comes from a timeout (hyper's, an I/O timeout, tokio's), by type.
fn is_timeout(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut cur = Some(e);
    while let Some(err) = cur {
        if err
            .downcast_ref::<hyper::Error>()
            .is_some_and(hyper::Error::is_timeout)
            || err
                .downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::TimedOut)
            || err.is::<tokio::time::error::Elapsed>()
        {
            return true;
        }
        cur = err.source();
    }
    false
}

fn classify(e: &kube::Error) -> CallError {
    match e {
        kube::Error::Api(status) => CallError::Status {
            code: status.code,
            message: status.message.clone(),
        },
        kube::Error::HyperError(_) | kube::Error::Service(_) => {
            if is_timeout(e) {
                return CallError::Timeout;
            }
            // The cause is at the end of the source chain (`connection refused`).
            let mut last = e.to_string();
            let mut source = std::error::Error::source(e);
            while let Some(s) = source {
                last = s.to_string();
                source = s.source();
            }
            CallError::Unreachable(last)
        }
        other => CallError::Invalid(other.to_string()),
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
                let err = classify(&e);
                if !err.retryable() || attempt >= RETRIES {
                    return Err(err);
                }
                tokio::time::sleep(Duration::from_millis(200 << attempt)).await;
                attempt += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A call answered after `ms` milliseconds.
    async fn answer_after(timeout: Duration, ms: u64) -> Result<u8, CallError> {
        call(timeout, || async move {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            Ok(7)
        })
        .await
    }

    #[tokio::test]
    async fn an_answer_within_the_timeout_is_awaited() {
        assert_eq!(answer_after(Duration::from_secs(20), 20).await, Ok(7));
    }

    /// A zero timeout would give up at once if it were a limit.
    #[tokio::test]
    async fn a_zero_timeout_is_no_limit() {
        assert_eq!(answer_after(Duration::ZERO, 20).await, Ok(7));
    }

    /// An answer that never comes: the call gives up (were it awaited, the test would hang).
    #[tokio::test]
    async fn an_answer_slower_than_the_timeout_is_a_timeout() {
        let never = call(Duration::from_millis(10), || {
            std::future::pending::<Result<u8, kube::Error>>()
        });
        assert_eq!(never.await, Err(CallError::Timeout));
    }
}

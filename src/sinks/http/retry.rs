//! When to try a request again (a [`tower::retry::Policy`]): on 429, on 5xx, on a failed
//! connection and on no answer within the time limit, at most [`RETRIES`] times after the
//! first attempt. The wait is the answer's `Retry-After` (seconds or an HTTP date, at most
//! [`MAX_WAIT`]), else 0.5 s, 1 s, 2 s.

use bytes::Bytes;
use http_body_util::Full;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, SystemTime};

/// Attempts after the first.
pub const RETRIES: u32 = 3;
/// The longest `Retry-After` honoured.
pub const MAX_WAIT: Duration = Duration::from_secs(30);

type Request = http::Request<Full<Bytes>>;

/// The test suite's cap on every wait (`KUBEDOCTOR_TEST_MAX_RETRY_WAIT_MS`, not a user
/// setting), so a test of retries does not sleep seconds; unset, no cap. The waits
/// themselves are checked by the unit tests of [`wait`].
fn test_max_wait() -> Duration {
    std::env::var("KUBEDOCTOR_TEST_MAX_RETRY_WAIT_MS")
        .ok()
        .and_then(|ms| ms.parse().ok())
        .map_or(Duration::MAX, Duration::from_millis)
}

/// The retry policy of one message; `attempts` counts the attempts made, for the caller.
#[derive(Clone)]
pub struct Policy {
    attempts: Arc<AtomicU32>,
}

impl Policy {
    pub fn new(attempts: Arc<AtomicU32>) -> Policy {
        Policy { attempts }
    }
}

impl<B> tower::retry::Policy<Request, http::Response<B>, tower::BoxError> for Policy {
    type Future = tokio::time::Sleep;

    fn retry(
        &mut self,
        _request: &mut Request,
        result: &mut Result<http::Response<B>, tower::BoxError>,
    ) -> Option<Self::Future> {
        let attempt = self.attempts.fetch_add(1, Ordering::Relaxed) + 1;
        let wait = wait(result, attempt, SystemTime::now())?.min(test_max_wait());
        (attempt <= RETRIES).then(|| tokio::time::sleep(wait))
    }

    fn clone_request(&mut self, request: &Request) -> Option<Request> {
        let mut copy = http::Request::new(request.body().clone());
        *copy.method_mut() = request.method().clone();
        *copy.uri_mut() = request.uri().clone();
        *copy.version_mut() = request.version();
        *copy.headers_mut() = request.headers().clone();
        Some(copy)
    }
}

/// How long to wait before the next attempt after `attempt` (1 for the first) ended with
/// `result`, or `None` when it is not worth another.
fn wait<B>(
    result: &Result<http::Response<B>, tower::BoxError>,
    attempt: u32,
    now: SystemTime,
) -> Option<Duration> {
    let backoff = Duration::from_millis(500 << (attempt.clamp(1, 8) - 1));
    match result {
        Ok(response) => {
            let status = response.status();
            if !(status == http::StatusCode::TOO_MANY_REQUESTS || status.is_server_error()) {
                return None;
            }
            Some(retry_after(response.headers(), now).unwrap_or(backoff))
        }
        Err(e) if super::error::is_permanent(e.as_ref()) => None,
        Err(e)
            if e.is::<tower::timeout::error::Elapsed>() || super::error::is_connect(e.as_ref()) =>
        {
            Some(backoff)
        }
        Err(_) => None,
    }
}

/// The wait a `Retry-After` header asks for: seconds, or an HTTP date (none when it has
/// passed), at most [`MAX_WAIT`].
fn retry_after(headers: &http::HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    let wait = match value.parse::<u64>() {
        Ok(seconds) => Duration::from_secs(seconds),
        Err(_) => httpdate::parse_http_date(value)
            .ok()?
            .duration_since(now)
            .unwrap_or_default(),
    };
    Some(wait.min(MAX_WAIT))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(
        status: u16,
        retry_after: Option<&str>,
    ) -> Result<http::Response<()>, tower::BoxError> {
        let mut b = http::Response::builder().status(status);
        if let Some(r) = retry_after {
            b = b.header("retry-after", r);
        }
        Ok(b.body(()).unwrap())
    }

    #[test]
    fn refusals_and_server_errors_are_retried_others_are_not() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(
            wait(&answer(429, Some("7")), 1, now),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            wait(&answer(503, Some("3600")), 1, now),
            Some(MAX_WAIT),
            "capped"
        );
        let later = httpdate::fmt_http_date(now + Duration::from_secs(12));
        assert_eq!(
            wait(&answer(429, Some(&later)), 1, now),
            Some(Duration::from_secs(12)),
            "an HTTP date"
        );
        assert_eq!(
            wait(&answer(500, None), 3, now),
            Some(Duration::from_secs(2)),
            "backoff doubles"
        );
        assert_eq!(wait(&answer(400, None), 1, now), None);
        assert_eq!(wait(&answer(200, None), 1, now), None);
        let elapsed: tower::BoxError = Box::new(tower::timeout::error::Elapsed::new());
        assert_eq!(
            wait::<()>(&Err(elapsed), 1, now),
            Some(Duration::from_millis(500))
        );
        let other: tower::BoxError = "a broken answer".into();
        assert_eq!(wait::<()>(&Err(other), 1, now), None);
    }
}

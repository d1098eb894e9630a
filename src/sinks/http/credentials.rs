//! Credentials written into a URL (`https://user:password@host/path`): sent as an
//! `Authorization: Basic` header, taken out of the URL the request is made to, and never
//! printed (the header is marked sensitive; a receiver's answer that echoes the password
//! has it redacted).

use base64::Engine as _;
use percent_encoding::percent_decode_str;

/// Where a message goes: the URL without its credentials, and the header they become.
pub struct Target {
    pub uri: http::Uri,
    pub authorization: Option<http::HeaderValue>,
    /// The password as written and decoded, for redacting an answer that echoes it.
    pub secrets: Vec<String>,
}

/// An http(s) URL with a host, its credentials taken out; `None` for anything else.
pub fn split(url: &str) -> Option<Target> {
    let uri: http::Uri = url.parse().ok()?;
    if !matches!(uri.scheme_str(), Some("http" | "https")) || uri.host().is_none_or(str::is_empty) {
        return None;
    }
    let authority = uri.authority()?.as_str().to_string();
    let Some((userinfo, host)) = authority.rsplit_once('@') else {
        return Some(Target {
            uri,
            authorization: None,
            secrets: Vec::new(),
        });
    };
    let (user, password) = userinfo.split_once(':').unwrap_or((userinfo, ""));
    let decoded = |s: &str| percent_decode_str(s).decode_utf8_lossy().into_owned();
    let token = base64::engine::general_purpose::STANDARD.encode(format!(
        "{}:{}",
        decoded(user),
        decoded(password)
    ));
    let mut authorization = http::HeaderValue::from_str(&format!("Basic {token}")).ok()?;
    authorization.set_sensitive(true);
    let host: http::uri::Authority = host.parse().ok()?;
    let mut parts = uri.into_parts();
    parts.authority = Some(host);
    let secrets = [password.to_string(), decoded(password), token]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    Some(Target {
        uri: http::Uri::from_parts(parts).ok()?,
        authorization: Some(authorization),
        secrets,
    })
}

#[cfg(test)]
mod tests {
    use super::split;

    #[test]
    fn credentials_become_a_header_and_leave_the_url() {
        let t = split("https://push%40er:s3cr%3Ait@pgw.example.test:9091/metrics?x=1").unwrap();
        assert_eq!(
            t.uri.to_string(),
            "https://pgw.example.test:9091/metrics?x=1"
        );
        let header = t.authorization.unwrap();
        assert!(header.is_sensitive());
        // base64("push@er:s3cr:it")
        assert_eq!(header, "Basic cHVzaEBlcjpzM2NyOml0");
        assert!(t.secrets.iter().any(|s| s == "s3cr:it"));
        let plain = split("http://127.0.0.1:8080/hook").unwrap();
        assert!(plain.authorization.is_none());
        assert_eq!(plain.uri.to_string(), "http://127.0.0.1:8080/hook");
        assert!(split("ftp://host/x").is_none());
        assert!(split("hooks.example.test/services/x").is_none());
    }
}

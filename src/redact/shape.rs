//! What a secret looks like: the shape of a value after a credential word (length, alphabet,
//! JWT/base64/hex), and the names of fields that hold credentials whatever their value
//! looks like. Ordinary words after `token:` in prose (containerd's `failed to fetch anonymous
//! token: unexpected status`) are not secrets.

/// Words ending a field name that holds a credential (compared lowercased, without `-`, `_`
/// and `.`): `DB_PASSWORD`, `client-key-data`, `accessToken`, `api_key`; not `secretName` or
/// `tokenExpirationSeconds`, which name where a secret is, not the secret.
const CREDENTIAL_ENDINGS: [&str; 11] = [
    "password",
    "passwd",
    "pwd",
    "token",
    "secret",
    "apikey",
    "accesskey",
    "secretkey",
    "privatekey",
    "keydata",
    "credential",
];

/// Endings that say the value is a password: any value after them is one, even a word.
const PASSWORD_ENDINGS: [&str; 3] = ["password", "passwd", "pwd"];

fn normalized(key: &str) -> String {
    key.chars()
        .filter(|c| !matches!(c, '-' | '_' | '.'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// A field whose value is a credential (`password`, `client-key-data`, `GITHUB_TOKEN`).
pub fn credential_field(key: &str) -> bool {
    let k = normalized(key);
    CREDENTIAL_ENDINGS.iter().any(|e| k.ends_with(e))
}

/// A field whose value is a password.
pub fn password_field(key: &str) -> bool {
    let k = normalized(key);
    PASSWORD_ENDINGS.iter().any(|e| k.ends_with(e))
}

/// A value shaped like a secret rather than a word: a JWT, eight or more characters mixing
/// letters and digits, or sixteen or more of the base64/hex alphabet mixing cases.
pub fn looks_secret(value: &str) -> bool {
    let v = value.trim_end_matches(['.', ')', ']', '}', ':']);
    if v.starts_with("eyJ") && v.len() >= 12 {
        return true;
    }
    let len = v.chars().count();
    let digit = v.chars().any(|c| c.is_ascii_digit());
    let alpha = v.chars().any(|c| c.is_ascii_alphabetic());
    if len >= 8 && digit && alpha {
        return true;
    }
    let alphabet = v
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=' | '_' | '-' | '~'));
    let upper_inside = v.chars().skip(1).any(|c| c.is_ascii_uppercase());
    let lower = v.chars().any(|c| c.is_ascii_lowercase());
    len >= 16 && alphabet && upper_inside && lower
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_that_hold_credentials_and_fields_that_name_them() {
        for k in [
            "password",
            "DB_PASSWORD",
            "client-key-data",
            "accessToken",
            "api_key",
            "token",
            "clientSecret",
        ] {
            assert!(credential_field(k), "{k}");
        }
        for k in [
            "secretName",
            "tokenExpirationSeconds",
            "secretKeyRef",
            "name",
            "path",
        ] {
            assert!(!credential_field(k), "{k}");
        }
    }

    #[test]
    fn secrets_have_a_shape_that_words_have_not() {
        for v in [
            "s3cr3tP4ss",
            "0123456789abcdef",
            "eyJhbGciOiJIUzI1NiJ9.x.y",
            "dXNlcjpwYXNzd29yZA==",
            "hunter22",
        ] {
            assert!(looks_secret(v), "{v}");
        }
        for v in [
            "unexpected",
            "Unauthorized",
            "failed",
            "expired",
            "401",
            "ImagePull",
        ] {
            assert!(!looks_secret(v), "{v}");
        }
    }
}

//! kubectl's connection flags (`--kubeconfig`, `--context`, `--cluster`, `--user`, `-s`,
//! `--token`, the TLS files, `--as`...), grouped under their own heading in `--help`.
//! Parsing only: `sources::cluster::connect` gives them kubectl's meaning and precedence.

use clap::Args;
use std::path::PathBuf;

/// The `--help` heading of the connection flags.
pub const HEADING: &str = "Connection (as kubectl)";

/// Where a live cluster is and who to be there (ignored with `--from`).
#[derive(Debug, Args, Clone, Default)]
#[command(next_help_heading = HEADING)]
pub struct ConnectionArgs {
    /// Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config).
    #[arg(long, value_name = "FILE")]
    pub kubeconfig: Option<PathBuf>,

    /// The kubeconfig context to use.
    #[arg(long, value_name = "NAME")]
    pub context: Option<String>,

    /// The kubeconfig cluster to use (instead of the context's).
    #[arg(long, value_name = "NAME")]
    pub cluster: Option<String>,

    /// The kubeconfig user to use (instead of the context's).
    #[arg(long, value_name = "NAME")]
    pub user: Option<String>,

    /// The address and port of the API server (works without a kubeconfig).
    #[arg(short = 's', long, value_name = "URL")]
    pub server: Option<String>,

    /// Bearer token for the API server (replaces the user's other credentials).
    #[arg(long, value_name = "TOKEN")]
    pub token: Option<Token>,

    /// Path to a cert file for the certificate authority.
    #[arg(long, value_name = "FILE", conflicts_with = "insecure_skip_tls_verify")]
    pub certificate_authority: Option<PathBuf>,

    /// Path to a client certificate file for TLS.
    #[arg(long, value_name = "FILE")]
    pub client_certificate: Option<PathBuf>,

    /// Path to a client key file for TLS.
    #[arg(long, value_name = "FILE")]
    pub client_key: Option<PathBuf>,

    /// Do not check the server's certificate (insecure).
    #[arg(long)]
    pub insecure_skip_tls_verify: bool,

    /// Server name to check the server's certificate against (default: the server's host).
    #[arg(long, value_name = "NAME")]
    pub tls_server_name: Option<String>,

    /// User to impersonate (a user, or a service account: system:serviceaccount:NS:NAME).
    #[arg(long = "as", value_name = "USER")]
    pub as_user: Option<String>,

    /// Group to impersonate (repeatable).
    #[arg(long = "as-group", value_name = "GROUP")]
    pub as_group: Vec<String>,

    /// UID to impersonate.
    #[arg(long = "as-uid", value_name = "UID")]
    pub as_uid: Option<String>,
}

impl ConnectionArgs {
    /// Whether any flag names something live (a run with one is a live run).
    pub fn given(&self) -> bool {
        let ConnectionArgs {
            kubeconfig,
            context,
            cluster,
            user,
            server,
            token,
            certificate_authority,
            client_certificate,
            client_key,
            insecure_skip_tls_verify,
            tls_server_name,
            as_user,
            as_group,
            as_uid,
        } = self;
        kubeconfig.is_some()
            || context.is_some()
            || cluster.is_some()
            || user.is_some()
            || server.is_some()
            || token.is_some()
            || certificate_authority.is_some()
            || client_certificate.is_some()
            || client_key.is_some()
            || *insecure_skip_tls_verify
            || tls_server_name.is_some()
            || as_user.is_some()
            || !as_group.is_empty()
            || as_uid.is_some()
    }
}

/// A bearer token: never shown by `Debug`.
#[derive(Clone, Default)]
pub struct Token(pub String);

impl From<String> for Token {
    fn from(s: String) -> Token {
        Token(s)
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_never_in_debug_output() {
        let args = ConnectionArgs {
            token: Some(Token("s3cretT0kenValue".into())),
            ..Default::default()
        };
        assert!(!format!("{args:?}").contains("s3cretT0kenValue"));
        assert!(args.given());
        assert!(!ConnectionArgs::default().given());
    }
}

//! kubectl's connection flags over a kubeconfig, with kubectl's precedence: `--context` picks
//! the context (else `current-context`), `--cluster` and `--user` pick another named entry
//! than the context's (a name the kubeconfig lacks is an error, as in kubectl), then `--server`,
//! `--certificate-authority`, `--insecure-skip-tls-verify` and `--tls-server-name` replace
//! the cluster's fields and `--token`, `--client-certificate`, `--client-key`, `--as`,
//! `--as-group` and `--as-uid` the user's. `--token` replaces the user's other credentials
//! (token file, basic auth, auth provider, exec plugin); `--server` without
//! `--tls-server-name` drops the kubeconfig's server name; a CA file or the insecure flag
//! replaces the cluster's CA and insecure setting together.
//!
//! The result is a kubeconfig of one context (the cluster and user merged), which kube turns
//! into its `Config` as it would any kubeconfig.

use kube::config::{
    AuthInfo, Cluster, Context, Kubeconfig, NamedAuthInfo, NamedCluster, NamedContext,
};
use secrecy::SecretString;
use std::path::PathBuf;

/// kubectl's flags over the kubeconfig (all unset: the kubeconfig as it is).
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub cluster: Option<String>,
    pub user: Option<String>,
    pub server: Option<String>,
    pub token: Option<SecretString>,
    pub certificate_authority: Option<PathBuf>,
    pub client_certificate: Option<PathBuf>,
    pub client_key: Option<PathBuf>,
    pub insecure_skip_tls_verify: bool,
    pub tls_server_name: Option<String>,
    pub impersonate: Option<String>,
    pub impersonate_groups: Vec<String>,
    pub impersonate_uid: Option<String>,
}

/// The context a connection uses when none is named and only `--server` says where.
pub const NO_CONTEXT: &str = "none";

/// Why the flags and the kubeconfig give no connection (said with the kubeconfig's name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unusable {
    pub detail: String,
    pub hint: &'static str,
}

impl Overrides {
    /// Whether a flag names a cluster, a context or a user (what the in-cluster
    /// configuration cannot give).
    pub fn names_a_cluster(&self) -> bool {
        self.server.is_some() || self.cluster.is_some() || self.user.is_some()
    }

    /// The files the flags name that cannot be read: `(flag, file, why)`.
    pub fn unreadable_files(&self) -> Option<(&'static str, PathBuf, String)> {
        [
            ("--certificate-authority", &self.certificate_authority),
            ("--client-certificate", &self.client_certificate),
            ("--client-key", &self.client_key),
        ]
        .into_iter()
        .find_map(|(flag, file)| {
            let file = file.as_ref()?;
            match std::fs::File::open(file) {
                Ok(_) if file.is_dir() => Some((flag, file.clone(), "a directory".to_string())),
                Ok(_) => None,
                Err(e) => Some((flag, file.clone(), e.kind().to_string())),
            }
        })
    }

    /// The bearer token, to keep it out of any message.
    pub fn token(&self) -> Option<&str> {
        use secrecy::ExposeSecret;
        self.token.as_ref().map(|t| t.expose_secret())
    }
}

/// The kubeconfig of one context that `kc`, `--context` and the flags select, and the name of
/// that context ([`NO_CONTEXT`] when only `--server` says where).
pub fn select(
    kc: Kubeconfig,
    context: Option<&str>,
    o: &Overrides,
) -> Result<(Kubeconfig, String), Unusable> {
    check_header_values(o)?;
    let named_context = context
        .map(str::to_string)
        .or_else(|| kc.current_context.clone().filter(|c| !c.is_empty()));
    let ctx = match &named_context {
        Some(name) => match find(&kc.contexts, name, |c| &c.name, |c| c.context.clone()) {
            Some(ctx) => ctx,
            // kubectl: a current-context that is missing is no context, which the flags
            // may fill; a missing `--context` is an error.
            None if context.is_none() && (o.server.is_some() || o.cluster.is_some()) => {
                Context::default()
            }
            None => {
                return Err(Unusable {
                    detail: format!(
                        "context `{name}`{} is not in it{}",
                        if context.is_some() {
                            ""
                        } else {
                            " (its current-context)"
                        },
                        known(kc.contexts.iter().map(|c| &c.name))
                    ),
                    hint: "the context's name (`kubectl config get-contexts`)",
                });
            }
        },
        None if o.server.is_some() || o.cluster.is_some() => Context::default(),
        None => {
            return Err(Unusable {
                detail: format!(
                    "it sets no current-context{}",
                    known(kc.contexts.iter().map(|c| &c.name))
                ),
                hint: "pass --context NAME (`kubectl config get-contexts`), or --server URL",
            });
        }
    };
    let cluster_name = o.cluster.clone().unwrap_or_else(|| ctx.cluster.clone());
    let mut cluster = match find(
        &kc.clusters,
        &cluster_name,
        |c| &c.name,
        |c| c.cluster.clone(),
    ) {
        Some(c) => c,
        None if o.cluster.is_some() => {
            return Err(Unusable {
                detail: format!(
                    "cluster `{cluster_name}` is not in it{}",
                    known(kc.clusters.iter().map(|c| &c.name))
                ),
                hint: "the cluster's name (`kubectl config get-clusters`)",
            });
        }
        None if o.server.is_some() => Cluster::default(),
        None => {
            return Err(Unusable {
                detail: format!(
                    "the cluster `{cluster_name}` of context `{}` is not in it{}",
                    named_context.as_deref().unwrap_or_default(),
                    known(kc.clusters.iter().map(|c| &c.name))
                ),
                hint: "the kubeconfig (`kubectl config view`), or pass --cluster NAME or --server URL",
            });
        }
    };
    let user_name = o.user.clone().or_else(|| ctx.user.clone());
    let mut user = match &user_name {
        Some(name) => match find(&kc.auth_infos, name, |u| &u.name, |u| u.auth_info.clone()) {
            Some(u) => u,
            // kubectl (and kube) connect without credentials when the context's user is
            // missing; a `--user` that is missing is an error.
            None if o.user.is_none() => AuthInfo::default(),
            None => {
                return Err(Unusable {
                    detail: format!(
                        "user `{name}` is not in it{}",
                        known(kc.auth_infos.iter().map(|u| &u.name))
                    ),
                    hint: "the user's name (`kubectl config get-users`)",
                });
            }
        },
        None => AuthInfo::default(),
    };
    apply_to_cluster(&mut cluster, o);
    apply_to_user(&mut user, o);
    if user.impersonate.is_none()
        && (user.impersonate_uid.is_some()
            || user
                .impersonate_groups
                .as_ref()
                .is_some_and(|g| !g.is_empty()))
    {
        return Err(Unusable {
            detail: "a group or uid to impersonate, but no user".into(),
            hint: "--as USER with --as-group and --as-uid, as kubectl requires",
        });
    }
    let cert = user.client_certificate.is_some() || user.client_certificate_data.is_some();
    let key = user.client_key.is_some() || user.client_key_data.is_some();
    if cert != key {
        return Err(Unusable {
            detail: format!(
                "a client {} without a client {}",
                if cert { "certificate" } else { "key" },
                if cert { "key" } else { "certificate" }
            ),
            hint: "--client-certificate FILE with --client-key FILE (or both in the kubeconfig's user)",
        });
    }
    let name = named_context.unwrap_or_else(|| NO_CONTEXT.to_string());
    let one = Kubeconfig {
        clusters: vec![NamedCluster {
            name: name.clone(),
            cluster: Some(cluster),
            ..Default::default()
        }],
        auth_infos: vec![NamedAuthInfo {
            name: name.clone(),
            auth_info: Some(user),
            ..Default::default()
        }],
        contexts: vec![NamedContext {
            name: name.clone(),
            context: Some(Context {
                cluster: name.clone(),
                user: Some(name.clone()),
                namespace: ctx.namespace,
                ..Default::default()
            }),
            ..Default::default()
        }],
        current_context: Some(name.clone()),
        ..Default::default()
    };
    Ok((one, name))
}

/// The values sent as HTTP headers must be ones (no line breaks, no control characters); the
/// error names the flag, never the token.
fn check_header_values(o: &Overrides) -> Result<(), Unusable> {
    let values = [
        ("--token", o.token()),
        ("--as", o.impersonate.as_deref()),
        ("--as-uid", o.impersonate_uid.as_deref()),
    ]
    .into_iter()
    .chain(
        o.impersonate_groups
            .iter()
            .map(|g| ("--as-group", Some(g.as_str()))),
    );
    for (flag, value) in values {
        if value.is_some_and(|v| http::HeaderValue::from_str(v).is_err()) {
            return Err(Unusable {
                detail: format!("the value of {flag} holds a line break or a control character"),
                hint: "the value as kubectl takes it, on one line",
            });
        }
    }
    Ok(())
}

/// The entry of `items` named `name` (kubectl takes the first of a name).
fn find<T, V>(
    items: &[T],
    name: &str,
    name_of: impl Fn(&T) -> &String,
    value: impl Fn(&T) -> Option<V>,
) -> Option<V>
where
    V: Default,
{
    items
        .iter()
        .find(|i| name_of(i) == name)
        .map(|i| value(i).unwrap_or_default())
}

/// `; it has: a, b` (or `; it has none`).
fn known<'a>(names: impl Iterator<Item = &'a String>) -> String {
    let names: Vec<String> = names.map(|n| format!("`{n}`")).collect();
    if names.is_empty() {
        "; it has none".into()
    } else {
        format!("; it has {}", names.join(", "))
    }
}

/// `--server`, the CA file, the insecure flag and the TLS server name over the cluster's.
fn apply_to_cluster(cluster: &mut Cluster, o: &Overrides) {
    if let Some(server) = &o.server {
        cluster.server = Some(with_scheme(server));
        // kubectl: a new server keeps no server name of the kubeconfig's.
        cluster.tls_server_name = None;
    }
    if let Some(name) = &o.tls_server_name {
        cluster.tls_server_name = Some(name.clone());
    }
    if o.insecure_skip_tls_verify || o.certificate_authority.is_some() {
        cluster.insecure_skip_tls_verify = Some(o.insecure_skip_tls_verify);
        cluster.certificate_authority = o
            .certificate_authority
            .as_ref()
            .map(|p| p.to_string_lossy().into_owned());
        cluster.certificate_authority_data = None;
    }
}

/// A server without a scheme is HTTPS, as kubectl takes it (`10.0.0.1:6443`).
fn with_scheme(server: &str) -> String {
    if server.contains("://") {
        server.to_string()
    } else {
        format!("https://{server}")
    }
}

/// `--token`, the client certificate and key, and impersonation over the user's.
fn apply_to_user(user: &mut AuthInfo, o: &Overrides) {
    if let Some(token) = &o.token {
        user.token = Some(token.clone());
        user.token_file = None;
        user.username = None;
        user.password = None;
        user.auth_provider = None;
        user.exec = None;
    }
    if let Some(cert) = &o.client_certificate {
        user.client_certificate = Some(cert.to_string_lossy().into_owned());
        user.client_certificate_data = None;
    }
    if let Some(key) = &o.client_key {
        user.client_key = Some(key.to_string_lossy().into_owned());
        user.client_key_data = None;
    }
    if let Some(name) = &o.impersonate {
        user.impersonate = Some(name.clone());
    }
    if !o.impersonate_groups.is_empty() {
        user.impersonate_groups = Some(o.impersonate_groups.clone());
    }
    if let Some(uid) = &o.impersonate_uid {
        user.impersonate_uid = Some(uid.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A kubeconfig of two clusters, two users and two contexts, `a` current.
    fn two() -> Kubeconfig {
        Kubeconfig::from_yaml(
            "apiVersion: v1\nkind: Config\ncurrent-context: a\n\
             clusters:\n\
             - name: ca\n  cluster:\n    server: https://a.example:6443\n    tls-server-name: a-name\n    certificate-authority-data: QUJD\n\
             - name: cb\n  cluster:\n    server: https://b.example:6443\n\
             users:\n\
             - name: ua\n  user:\n    token: token-of-a\n    exec:\n      command: get-token\n      apiVersion: client.authentication.k8s.io/v1\n    as: kube-as\n\
             - name: ub\n  user:\n    client-certificate-data: Q0VSVA==\n    client-key-data: S0VZ\n\
             contexts:\n\
             - name: a\n  context:\n    cluster: ca\n    user: ua\n    namespace: shop\n\
             - name: b\n  context:\n    cluster: cb\n    user: ub\n",
        )
        .unwrap()
    }

    fn only(kc: &Kubeconfig) -> (Cluster, AuthInfo, Context) {
        (
            kc.clusters[0].cluster.clone().unwrap(),
            kc.auth_infos[0].auth_info.clone().unwrap(),
            kc.contexts[0].context.clone().unwrap(),
        )
    }

    #[test]
    fn without_flags_the_current_context_is_taken_as_it_is() {
        let (kc, name) = select(two(), None, &Overrides::default()).unwrap();
        assert_eq!(name, "a");
        let (cluster, user, ctx) = only(&kc);
        assert_eq!(cluster.server.as_deref(), Some("https://a.example:6443"));
        assert_eq!(cluster.tls_server_name.as_deref(), Some("a-name"));
        assert!(user.exec.is_some());
        assert_eq!(ctx.namespace.as_deref(), Some("shop"));
    }

    #[test]
    fn context_cluster_and_user_pick_named_entries() {
        let (kc, name) = select(two(), Some("b"), &Overrides::default()).unwrap();
        assert_eq!(name, "b");
        assert_eq!(
            only(&kc).0.server.as_deref(),
            Some("https://b.example:6443")
        );
        let o = Overrides {
            cluster: Some("cb".into()),
            user: Some("ub".into()),
            ..Default::default()
        };
        let (kc, name) = select(two(), None, &o).unwrap();
        assert_eq!(
            name, "a",
            "the context stays; its cluster and user are replaced"
        );
        let (cluster, user, ctx) = only(&kc);
        assert_eq!(cluster.server.as_deref(), Some("https://b.example:6443"));
        assert!(user.client_key_data.is_some());
        assert!(user.token.is_none());
        assert_eq!(ctx.namespace.as_deref(), Some("shop"));
    }

    #[test]
    fn unknown_names_are_errors_listing_the_known_ones() {
        let e = select(two(), Some("nope"), &Overrides::default()).unwrap_err();
        assert!(
            e.detail
                .contains("context `nope` is not in it; it has `a`, `b`"),
            "{e:?}"
        );
        let e = select(
            two(),
            None,
            &Overrides {
                user: Some("nope".into()),
                ..Default::default()
            },
        )
        .unwrap_err();
        assert!(
            e.detail.contains("user `nope`") && e.detail.contains("`ua`, `ub`"),
            "{e:?}"
        );
        let e = select(
            two(),
            None,
            &Overrides {
                cluster: Some("nope".into()),
                ..Default::default()
            },
        )
        .unwrap_err();
        assert!(
            e.detail.contains("cluster `nope`") && e.detail.contains("`ca`, `cb`"),
            "{e:?}"
        );
        let mut no_current = two();
        no_current.current_context = None;
        let e = select(no_current, None, &Overrides::default()).unwrap_err();
        assert!(e.detail.contains("no current-context"), "{e:?}");
        let mut gone = two();
        gone.current_context = Some("gone".into());
        let e = select(gone.clone(), None, &Overrides::default()).unwrap_err();
        assert!(
            e.detail.contains("context `gone` (its current-context)"),
            "{e:?}"
        );
        let o = Overrides {
            cluster: Some("cb".into()),
            ..Default::default()
        };
        let (kc, _) = select(gone, None, &o).unwrap();
        assert_eq!(
            only(&kc).0.server.as_deref(),
            Some("https://b.example:6443")
        );
    }

    #[test]
    fn the_server_flag_needs_no_kubeconfig_and_drops_the_server_name() {
        let o = Overrides {
            server: Some("10.0.0.1:6443".into()),
            ..Default::default()
        };
        let (kc, name) = select(Kubeconfig::default(), None, &o).unwrap();
        assert_eq!(name, NO_CONTEXT);
        assert_eq!(only(&kc).0.server.as_deref(), Some("https://10.0.0.1:6443"));
        let (kc, _) = select(two(), None, &o).unwrap();
        let (cluster, user, _) = only(&kc);
        assert_eq!(cluster.server.as_deref(), Some("https://10.0.0.1:6443"));
        assert_eq!(
            cluster.tls_server_name, None,
            "kubectl drops it with --server"
        );
        assert!(user.token.is_some(), "the user stays");
        let o = Overrides {
            server: Some("http://127.0.0.1:1".into()),
            tls_server_name: Some("flag-name".into()),
            ..Default::default()
        };
        let (kc, _) = select(two(), None, &o).unwrap();
        assert_eq!(only(&kc).0.tls_server_name.as_deref(), Some("flag-name"));
        assert_eq!(only(&kc).0.server.as_deref(), Some("http://127.0.0.1:1"));
    }

    #[test]
    fn a_token_replaces_the_other_credentials() {
        let o = Overrides {
            token: Some("flag-token".to_string().into()),
            ..Default::default()
        };
        let (kc, _) = select(two(), None, &o).unwrap();
        let user = only(&kc).1;
        use secrecy::ExposeSecret;
        assert_eq!(
            user.token.as_ref().map(|t| t.expose_secret()),
            Some("flag-token")
        );
        assert!(user.exec.is_none() && user.auth_provider.is_none() && user.token_file.is_none());
        assert_eq!(
            user.impersonate.as_deref(),
            Some("kube-as"),
            "not credentials"
        );
    }

    #[test]
    fn tls_and_impersonation_flags_replace_the_kubeconfig_fields() {
        let o = Overrides {
            insecure_skip_tls_verify: true,
            client_certificate: Some("/c.crt".into()),
            client_key: Some("/c.key".into()),
            impersonate: Some("alice".into()),
            impersonate_groups: vec!["dev".into(), "ops".into()],
            impersonate_uid: Some("42".into()),
            ..Default::default()
        };
        let (kc, _) = select(two(), Some("b"), &o).unwrap();
        let (cluster, user, _) = only(&kc);
        assert_eq!(cluster.insecure_skip_tls_verify, Some(true));
        assert_eq!(cluster.certificate_authority_data, None);
        assert_eq!(user.client_certificate.as_deref(), Some("/c.crt"));
        assert_eq!(user.client_certificate_data, None);
        assert_eq!(user.client_key.as_deref(), Some("/c.key"));
        assert!(user.client_key_data.is_none());
        assert_eq!(user.impersonate.as_deref(), Some("alice"));
        assert_eq!(
            user.impersonate_groups,
            Some(vec!["dev".into(), "ops".into()])
        );
        assert_eq!(user.impersonate_uid.as_deref(), Some("42"));
        let (kc, _) = select(
            two(),
            None,
            &Overrides {
                certificate_authority: Some("/ca.crt".into()),
                ..Default::default()
            },
        )
        .unwrap();
        let cluster = only(&kc).0;
        assert_eq!(cluster.certificate_authority.as_deref(), Some("/ca.crt"));
        assert_eq!(
            cluster.certificate_authority_data, None,
            "the flag's file wins"
        );
        assert_eq!(cluster.insecure_skip_tls_verify, Some(false));
    }

    #[test]
    fn groups_without_a_user_a_lone_certificate_and_broken_header_values_are_refused() {
        let o = Overrides {
            impersonate_groups: vec!["dev".into()],
            ..Default::default()
        };
        assert!(
            select(two(), Some("b"), &o)
                .unwrap_err()
                .detail
                .contains("no user")
        );
        let o = Overrides {
            client_certificate: Some("/c.crt".into()),
            ..Default::default()
        };
        let e = select(two(), None, &o).unwrap_err();
        assert!(
            e.detail
                .contains("a client certificate without a client key"),
            "{e:?}"
        );
        assert!(
            select(two(), Some("b"), &o).is_ok(),
            "the user's key goes with it"
        );
        let o = Overrides {
            token: Some("line\nbreak-T0ken".to_string().into()),
            ..Default::default()
        };
        let e = select(two(), None, &o).unwrap_err();
        assert!(
            e.detail.contains("--token") && !e.detail.contains("T0ken"),
            "{e:?}"
        );
    }
}

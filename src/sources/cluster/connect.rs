//! Connecting the kubectl way: `--kubeconfig`, `KUBECONFIG` (a list: files that do not exist
//! are skipped), `~/.kube/config`, `--context`, the context's namespace, kubectl's connection
//! flags over the kubeconfig ([`overrides`]: `--cluster`, `--user`, `--server`, `--token`, the
//! TLS files, `--as`...), in-cluster service-account config inside a pod, and
//! `--request-timeout`. Errors name a kubeconfig's file, line and key, never its text
//! ([`config_error`]), and never the `--token`.
//!
//! A kubeconfig that cannot be read, or names no such context, cluster or user, and no cluster
//! configured at all are [`ClusterError::Config`] (exit 2); only a client that cannot be built
//! or a cluster that does not answer is [`ClusterError::Unreachable`] (exit 3).

use super::ClusterError;
use super::config_error;
use super::overrides::{self, Overrides};
use kube::config::{
    AuthInfo, Cluster, Context, KubeConfigOptions, Kubeconfig, NamedAuthInfo, NamedCluster,
    NamedContext,
};
use kube::{Client, Config};
use std::path::PathBuf;
use std::time::Duration;

/// How to connect.
#[derive(Debug, Clone, Default)]
pub struct ConnectOptions {
    pub kubeconfig: Option<PathBuf>,
    pub context: Option<String>,
    pub request_timeout: Option<Duration>,
    /// kubectl's connection flags over the kubeconfig.
    pub overrides: Overrides,
}

/// A connected client, with what a message needs to say where it went.
#[derive(Clone)]
pub struct Connection {
    pub client: Client,
    pub server: String,
    pub context: String,
    pub default_namespace: String,
    pub timeout: Duration,
}

/// The name of the in-cluster configuration, as a context.
const IN_CLUSTER: &str = "in-cluster";

/// Connects (no request is made yet).
pub async fn connect(opts: &ConnectOptions) -> Result<Connection, ClusterError> {
    let (config, context) = configure(opts).await?;
    finish(config, context, opts)
}

/// The kube configuration the options select, and the name of its context.
async fn configure(opts: &ConnectOptions) -> Result<(Config, String), ClusterError> {
    let o = &opts.overrides;
    if let Some((flag, file, why)) = o.unreadable_files() {
        return Err(ClusterError::Config {
            tried: format!("{flag} {}", file.display()),
            detail: format!("cannot read the file: {why}"),
            hint: "the file exists and is readable",
        });
    }
    let (kc, tried) = match load(opts)? {
        Loaded::Found(kc, tried) => (*kc, tried),
        Loaded::Nothing(tried) => fallback(opts, tried)?,
    };
    let (kc, context) =
        overrides::select(kc, opts.context.as_deref(), o).map_err(|u| ClusterError::Config {
            tried: tried.clone(),
            detail: scrub(u.detail, o),
            hint: u.hint,
        })?;
    let config = Config::from_custom_kubeconfig(kc, &KubeConfigOptions::default())
        .await
        .map_err(|e| ClusterError::Config {
            tried: format!("{tried}, context `{context}`"),
            detail: scrub(config_error::detail(&e, &[]), o),
            hint: "the cluster's server URL and certificate files (`kubectl config view`)",
        })?;
    Ok((config, context))
}

/// What the kubeconfig files hold: a kubeconfig (and where it was read), or nothing (and
/// what was looked for).
enum Loaded {
    Found(Box<Kubeconfig>, String),
    Nothing(String),
}

/// `--kubeconfig`, else the files of `KUBECONFIG` that exist, merged in order as kubectl
/// merges them, else `~/.kube/config`. A file that does not parse is an error naming it; a
/// kubeconfig without clusters, contexts and current context is nothing, as in kubectl.
fn load(opts: &ConnectOptions) -> Result<Loaded, ClusterError> {
    if let Some(path) = &opts.kubeconfig {
        let tried = format!("--kubeconfig {}", path.display());
        let kc = Kubeconfig::read_from(path).map_err(|e| ClusterError::Config {
            tried: tried.clone(),
            detail: config_error::detail(&e, &config_error::candidates(Some(path))),
            hint: "the file exists and is a kubeconfig (`kubectl config view --kubeconfig FILE`)",
        })?;
        return Ok(Loaded::Found(Box::new(kc), tried));
    }
    let list = std::env::var_os("KUBECONFIG").filter(|v| !v.is_empty());
    let (paths, tried) = match &list {
        Some(list) => (
            std::env::split_paths(list)
                .filter(|p| !p.as_os_str().is_empty())
                .collect::<Vec<PathBuf>>(),
            format!("KUBECONFIG {}", list.to_string_lossy()),
        ),
        None => (config_error::candidates(None), "~/.kube/config".to_string()),
    };
    let mut merged: Option<Kubeconfig> = None;
    for path in paths.iter().filter(|p| p.is_file()) {
        let kc = Kubeconfig::read_from(path)
            .and_then(|kc| match merged.take() {
                None => Ok(kc),
                Some(m) => m.merge(kc),
            })
            .map_err(|e| ClusterError::Config {
                tried: tried.clone(),
                detail: config_error::detail(&e, &config_error::candidates(Some(path))),
                hint: "each kubeconfig file is a kubeconfig (`kubectl config view`)",
            })?;
        merged = Some(kc);
    }
    Ok(match merged {
        Some(kc)
            if !kc.clusters.is_empty()
                || !kc.contexts.is_empty()
                || kc.current_context.is_some() =>
        {
            Loaded::Found(Box::new(kc), tried)
        }
        Some(_) => Loaded::Nothing(format!("{tried}: empty")),
        None if list.is_some() => Loaded::Nothing(format!("{tried}: none of its files exists")),
        None => Loaded::Nothing(format!("{tried}: no such file")),
    })
}

/// Without a kubeconfig: the in-cluster service account inside a pod, unless a flag names a
/// context, cluster, user or server (then the flags alone, as kubectl); otherwise no cluster is
/// configured, and the error says how to diagnose without one.
fn fallback(opts: &ConnectOptions, tried: String) -> Result<(Kubeconfig, String), ClusterError> {
    let o = &opts.overrides;
    if opts.context.is_some() || o.names_a_cluster() {
        return Ok((Kubeconfig::default(), tried));
    }
    if std::env::var_os("KUBERNETES_SERVICE_HOST").is_some() {
        return in_cluster().map(|kc| (kc, "in-cluster service account".into()));
    }
    Err(ClusterError::Config {
        tried: format!("{tried}; not in a pod"),
        detail: "no cluster is configured".into(),
        hint: "`kubectl cluster-info` works, or pass --kubeconfig FILE, --context NAME or \
               --server URL; without a cluster, `--from DIR` reads a bundle (try `--from \
               samples/demo-cluster`) and `--from -` reads pasted text (`kubectl describe`, \
               logs, events)",
    })
}

/// The service account of the pod this runs in, as a kubeconfig (so the flags apply to it
/// as to any other).
fn in_cluster() -> Result<Kubeconfig, ClusterError> {
    let config = Config::incluster().map_err(|e| ClusterError::Config {
        tried: "in-cluster service account".into(),
        detail: config_error::detail(&e, &[]),
        hint: "the pod mounts its service account token (automountServiceAccountToken), or pass --kubeconfig FILE",
    })?;
    let name = IN_CLUSTER.to_string();
    Ok(Kubeconfig {
        clusters: vec![NamedCluster {
            name: name.clone(),
            cluster: Some(Cluster {
                server: Some(config.cluster_url.to_string()),
                certificate_authority: config
                    .root_cert_file
                    .map(|p| p.to_string_lossy().into_owned()),
                ..Default::default()
            }),
            ..Default::default()
        }],
        auth_infos: vec![NamedAuthInfo {
            name: name.clone(),
            auth_info: Some(AuthInfo {
                token_file: config.auth_info.token_file,
                ..Default::default()
            }),
            ..Default::default()
        }],
        contexts: vec![NamedContext {
            name: name.clone(),
            context: Some(Context {
                cluster: name.clone(),
                user: Some(name.clone()),
                namespace: Some(config.default_namespace),
                ..Default::default()
            }),
            ..Default::default()
        }],
        current_context: Some(name),
        ..Default::default()
    })
}

/// `text` without the `--token` (kube's messages do not quote it; this keeps it so).
fn scrub(text: String, o: &Overrides) -> String {
    match o.token() {
        Some(t) if t.len() >= 4 && text.contains(t) => text.replace(t, "<redacted>"),
        _ => text,
    }
}

/// The request timeout without `--request-timeout`.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// kube's own timeouts for a request timeout: the per-call timeout decides (it becomes a
/// note); kube's are a backstop above it. Zero is no limit at all.
fn set_timeouts(config: &mut Config, timeout: Duration) {
    let backstop = (!timeout.is_zero()).then(|| timeout.saturating_add(Duration::from_secs(5)));
    config.read_timeout = backstop;
    config.write_timeout = backstop;
    config.connect_timeout = (!timeout.is_zero()).then_some(timeout);
}

/// The client from a configuration: the request timeout applied.
fn finish(
    config: Config,
    context: String,
    opts: &ConnectOptions,
) -> Result<Connection, ClusterError> {
    let timeout = opts.request_timeout.unwrap_or(DEFAULT_TIMEOUT);
    let mut config = config;
    set_timeouts(&mut config, timeout);
    let server = config.cluster_url.to_string();
    let default_namespace = config.default_namespace.clone();
    let client = Client::try_from(config).map_err(|e| ClusterError::Unreachable {
        server: server.clone(),
        context: context.clone(),
        detail: scrub(
            crate::redact::text(&e.to_string()).into_owned(),
            &opts.overrides,
        ),
        hint: "the kubeconfig's certificates and credentials",
    })?;
    Ok(Connection {
        client,
        server,
        context,
        default_namespace,
        timeout,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The kube configuration of `kubeconfig` (a file) and the flags.
    fn configured(
        kubeconfig: &std::path::Path,
        o: Overrides,
    ) -> Result<(Config, String), ClusterError> {
        let opts = ConnectOptions {
            kubeconfig: Some(kubeconfig.to_path_buf()),
            overrides: o,
            ..Default::default()
        };
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(configure(&opts))
    }

    const KUBECONFIG: &str = "apiVersion: v1\nkind: Config\ncurrent-context: c\n\
        clusters:\n- name: k\n  cluster:\n    server: https://k.example:6443\n    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCmEyTmgKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=\n\
        users:\n- name: u\n  user:\n    token: kubeconfig-token\n\
        contexts:\n- name: c\n  context:\n    cluster: k\n    user: u\n";

    #[test]
    fn the_tls_flags_reach_the_kube_configuration() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("config");
        std::fs::write(&file, KUBECONFIG).unwrap();
        let (config, context) = configured(&file, Overrides::default()).unwrap();
        assert_eq!(context, "c");
        assert_eq!(
            config.root_cert,
            Some(vec![b"kca".to_vec()]),
            "the kubeconfig's CA"
        );
        assert!(!config.accept_invalid_certs);

        let (config, _) = configured(
            &file,
            Overrides {
                insecure_skip_tls_verify: true,
                tls_server_name: Some("api.internal".into()),
                ..Default::default()
            },
        )
        .unwrap();
        assert!(config.accept_invalid_certs);
        assert_eq!(config.root_cert, None, "the insecure flag drops the CA");
        assert_eq!(config.tls_server_name.as_deref(), Some("api.internal"));

        let ca = dir.path().join("ca.crt");
        std::fs::write(
            &ca,
            "-----BEGIN CERTIFICATE-----\nZmxhZ2Nh\n-----END CERTIFICATE-----\n",
        )
        .unwrap();
        let (config, _) = configured(
            &file,
            Overrides {
                certificate_authority: Some(ca),
                server: Some("https://127.0.0.1:6443".into()),
                impersonate: Some("alice".into()),
                impersonate_uid: Some("42".into()),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(
            config.root_cert,
            Some(vec![b"flagca".to_vec()]),
            "the flag's CA"
        );
        assert_eq!(config.cluster_url.to_string(), "https://127.0.0.1:6443/");
        assert_eq!(config.auth_info.impersonate.as_deref(), Some("alice"));
        assert_eq!(config.auth_info.impersonate_uid.as_deref(), Some("42"));
    }

    #[test]
    fn unreadable_flag_files_and_unknown_contexts_are_configuration_errors() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("config");
        std::fs::write(&file, KUBECONFIG).unwrap();
        let e = configured(
            &file,
            Overrides {
                client_key: Some(dir.path().join("missing.key")),
                ..Default::default()
            },
        )
        .unwrap_err();
        let said = e.to_string();
        assert!(matches!(e, ClusterError::Config { .. }), "{said}");
        assert!(
            said.contains("--client-key") && said.contains("missing.key"),
            "{said}"
        );
        let e = configured(
            &file,
            Overrides {
                user: Some("nope".into()),
                token: Some("T0kenNotToBeSaid".to_string().into()),
                ..Default::default()
            },
        )
        .unwrap_err();
        let said = e.to_string();
        assert!(matches!(e, ClusterError::Config { .. }), "{said}");
        assert!(
            said.contains("user `nope` is not in it; it has `u`"),
            "{said}"
        );
        assert!(!said.contains("T0kenNotToBeSaid"));
    }

    /// No timeout of kube's cuts an answer the request timeout waits for: none at all for
    /// `--request-timeout 0`, none below it otherwise (an 11 s answer with `20s`).
    #[test]
    fn kube_waits_at_least_as_long_as_the_request_timeout() {
        let mut config = Config::new("http://127.0.0.1:1".parse().unwrap());
        set_timeouts(&mut config, Duration::ZERO);
        assert_eq!(
            (
                config.read_timeout,
                config.write_timeout,
                config.connect_timeout
            ),
            (None, None, None)
        );
        for secs in [1, 20, DEFAULT_TIMEOUT.as_secs(), 3600] {
            let timeout = Duration::from_secs(secs);
            let mut config = Config::new("http://127.0.0.1:1".parse().unwrap());
            set_timeouts(&mut config, timeout);
            for (what, kube) in [
                ("read", config.read_timeout),
                ("write", config.write_timeout),
                ("connect", config.connect_timeout),
            ] {
                assert!(
                    kube.is_some_and(|k| k >= timeout),
                    "{what} {kube:?} < {secs}s"
                );
            }
        }
    }
}

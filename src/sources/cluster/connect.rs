//! Connecting the kubectl way: `--kubeconfig`, `KUBECONFIG`, `~/.kube/config`, `--context`,
//! the context's namespace, in-cluster service-account config inside a pod, and
//! `--request-timeout`. Errors name a kubeconfig's file, line and key, never its text
//! ([`config_error`]).

use super::ClusterError;
use super::config_error;
use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::{Client, Config};
use std::path::PathBuf;
use std::time::Duration;

/// How to connect.
#[derive(Debug, Clone, Default)]
pub struct ConnectOptions {
    pub kubeconfig: Option<PathBuf>,
    pub context: Option<String>,
    pub request_timeout: Option<Duration>,
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

/// Connects (no request is made yet).
pub async fn connect(opts: &ConnectOptions) -> Result<Connection, ClusterError> {
    let kc_opts = KubeConfigOptions {
        context: opts.context.clone(),
        ..Default::default()
    };
    // A `KUBECONFIG` list with files that do not exist: kubectl skips them, so does this.
    if opts.kubeconfig.is_none()
        && let Some(found) = kubeconfig_list()
    {
        let (kc, tried) = found?;
        let (config, context) = from_read(kc, &tried, opts, &kc_opts).await?;
        return finish(config, context, opts);
    }
    let (config, tried, context) = match &opts.kubeconfig {
        Some(path) => {
            let kc = Kubeconfig::read_from(path).map_err(|e| ClusterError::Config {
                tried: format!("--kubeconfig {}", path.display()),
                detail: config_error::detail(&e, &config_error::candidates(Some(path))),
                hint: "the file exists and is a kubeconfig (`kubectl config view --kubeconfig FILE`)",
            })?;
            let tried = format!("--kubeconfig {}", path.display());
            let (config, context) = from_read(kc, &tried, opts, &kc_opts).await?;
            (config, tried, context)
        }
        None if opts.context.is_some() => {
            let config =
                Config::from_kubeconfig(&kc_opts)
                    .await
                    .map_err(|e| ClusterError::Config {
                        tried: "KUBECONFIG or ~/.kube/config".into(),
                        detail: config_error::detail(&e, &config_error::candidates(None)),
                        hint: "the context exists (`kubectl config get-contexts`)",
                    })?;
            (
                config,
                "KUBECONFIG or ~/.kube/config".into(),
                opts.context.clone().unwrap_or_default(),
            )
        }
        None => {
            let config = Config::infer().await.map_err(|e| ClusterError::Config {
                tried: "KUBECONFIG, ~/.kube/config, in-cluster service account".into(),
                detail: config_error::detail(&e, &config_error::candidates(None)),
                hint: "`kubectl cluster-info` works, or pass --kubeconfig FILE; for samples use `--from samples/demo-cluster`",
            })?;
            let context = Kubeconfig::read()
                .ok()
                .and_then(|k| k.current_context)
                .unwrap_or_else(|| "in-cluster".into());
            (
                config,
                "KUBECONFIG, ~/.kube/config, in-cluster".into(),
                context,
            )
        }
    };
    let _ = tried;
    finish(config, context, opts)
}

/// The configuration of a kubeconfig already read (`tried` says from where), and the
/// context it uses: `--context`, else its current context.
async fn from_read(
    kc: Kubeconfig,
    tried: &str,
    opts: &ConnectOptions,
    kc_opts: &KubeConfigOptions,
) -> Result<(Config, String), ClusterError> {
    let context = opts
        .context
        .clone()
        .or(kc.current_context.clone())
        .unwrap_or_default();
    let config = Config::from_custom_kubeconfig(kc, kc_opts)
        .await
        .map_err(|e| ClusterError::Config {
            tried: tried.to_string(),
            detail: config_error::detail(&e, &[]),
            hint: "the context exists (`kubectl config get-contexts`)",
        })?;
    Ok((config, context))
}

/// The files of a `KUBECONFIG` list that exist, merged in order as kubectl merges them, when
/// the list names a file that does not exist (`None` otherwise: kube reads the list). A list
/// of which no file exists is an error naming the list.
fn kubeconfig_list() -> Option<Result<(Kubeconfig, String), ClusterError>> {
    let list = std::env::var_os("KUBECONFIG").filter(|v| !v.is_empty())?;
    let paths: Vec<PathBuf> = std::env::split_paths(&list)
        .filter(|p| !p.as_os_str().is_empty())
        .collect();
    if paths.iter().all(|p| p.is_file()) {
        return None;
    }
    let tried = format!("KUBECONFIG {}", list.to_string_lossy());
    let existing: Vec<&PathBuf> = paths.iter().filter(|p| p.is_file()).collect();
    let mut merged: Option<Kubeconfig> = None;
    for path in existing {
        let kc = match Kubeconfig::read_from(path) {
            Ok(kc) => kc,
            Err(e) => {
                return Some(Err(ClusterError::Config {
                    tried,
                    detail: config_error::detail(&e, &config_error::candidates(Some(path))),
                    hint: "each file of KUBECONFIG is a kubeconfig (`kubectl config view`)",
                }));
            }
        };
        merged = Some(match merged {
            None => kc,
            Some(m) => match m.merge(kc) {
                Ok(m) => m,
                Err(e) => {
                    return Some(Err(ClusterError::Config {
                        tried,
                        detail: config_error::detail(&e, &[]),
                        hint: "each file of KUBECONFIG is a kubeconfig (`kubectl config view`)",
                    }));
                }
            },
        });
    }
    Some(
        merged
            .map(|kc| (kc, tried.clone()))
            .ok_or(ClusterError::Config {
                tried,
                detail: "none of its files exists".into(),
                hint: "KUBECONFIG names existing kubeconfig files (`kubectl config view`), or pass --kubeconfig FILE; for samples use `--from samples/demo-cluster`",
            }),
    )
}

/// The client from a configuration: the request timeout applied.
fn finish(
    config: Config,
    context: String,
    opts: &ConnectOptions,
) -> Result<Connection, ClusterError> {
    let timeout = opts.request_timeout.unwrap_or(Duration::from_secs(30));
    let mut config = config;
    // The per-call timeout decides (it becomes a note); kube's own is a backstop. Zero is
    // no limit at all.
    let backstop = (!timeout.is_zero()).then(|| timeout.saturating_add(Duration::from_secs(5)));
    config.read_timeout = backstop;
    config.write_timeout = backstop;
    config.connect_timeout = (!timeout.is_zero()).then_some(timeout);
    let server = config.cluster_url.to_string();
    let default_namespace = config.default_namespace.clone();
    let client = Client::try_from(config).map_err(|e| ClusterError::Unreachable {
        server: server.clone(),
        context: context.clone(),
        detail: crate::redact::text(&e.to_string()).into_owned(),
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

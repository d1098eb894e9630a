//! The outbound HTTP client of `--webhook` and `--pushgateway`: the proxies the environment
//! names (`HTTP_PROXY` forwards, `HTTPS_PROXY` tunnels, `NO_PROXY` bypasses), credentials in
//! a URL sent as `Authorization: Basic` and never printed, `--webhook-ca` (and the
//! configuration's `webhook-ca`) trusting a private CA, a bad CA bundle refused before the
//! scan. Every server is on 127.0.0.1; the environment is set on the kubedoctor process
//! only (`support::kubedoctor` removes the developer's proxy variables). The certificates are ours (tests/tls/README.md).

mod support;

use axum::http::{HeaderMap, Uri};
use base64::Engine as _;
use predicates::prelude::*;
use std::sync::{Arc, Mutex};
use support::kubedoctor;

/// What a server received: the request target as written (a proxy gets the whole URL),
/// and the headers.
type Seen = Arc<Mutex<Vec<(String, HeaderMap)>>>;

/// An HTTP server on loopback recording each request; answers `status` with `body`.
fn recorder(status: u16, body: &'static str) -> (tokio::runtime::Runtime, u16, Seen) {
    let seen: Seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    let app = axum::Router::new().fallback(move |uri: Uri, headers: HeaderMap| {
        let record = record.clone();
        async move {
            record.lock().unwrap().push((uri.to_string(), headers));
            (axum::http::StatusCode::from_u16(status).unwrap(), body)
        }
    });
    let (runtime, port) = support::replay::serve_loopback(app, 1);
    (runtime, port, seen)
}

fn report_to(url: &str) -> assert_cmd::Command {
    let mut cmd = kubedoctor();
    cmd.args(["report", "--from", "samples/demo-cluster", "-o", "json"])
        .args(["--webhook", url]);
    cmd
}

fn basic(user_and_password: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(user_and_password)
    )
}

fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

#[test]
fn an_http_webhook_goes_through_http_proxy_unless_no_proxy_names_its_host() {
    let (_r, receiver_port, received) = recorder(200, "ok");
    let (_p, proxy_port, proxied) = recorder(200, "ok");
    let hook = format!("http://127.0.0.1:{receiver_port}/hook");
    let proxy = format!("http://proxyuser:Pr0xyPassw0rd@127.0.0.1:{proxy_port}");
    let out = report_to(&hook)
        .env("HTTP_PROXY", &proxy)
        .assert()
        .success()
        .get_output()
        .clone();
    assert!(received.lock().unwrap().is_empty(), "the proxy forwards it");
    {
        let proxied = proxied.lock().unwrap();
        assert_eq!(proxied.len(), 1);
        let (target, headers) = &proxied[0];
        assert_eq!(target, &hook, "a forwarded request names the whole URL");
        assert_eq!(
            header(headers, "proxy-authorization"),
            Some(basic("proxyuser:Pr0xyPassw0rd"))
        );
        assert!(
            header(headers, "user-agent")
                .unwrap()
                .starts_with("kubedoctor/")
        );
    }
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!printed.contains("Pr0xyPassw0rd"));
    // The lowercase form is read too.
    report_to(&hook)
        .env("http_proxy", &proxy)
        .assert()
        .success();
    assert_eq!(proxied.lock().unwrap().len(), 2);
    // NO_PROXY names the host: straight to the receiver.
    report_to(&hook)
        .env("HTTP_PROXY", &proxy)
        .env("NO_PROXY", "127.0.0.1")
        .assert()
        .success();
    assert_eq!(proxied.lock().unwrap().len(), 2);
    let received = received.lock().unwrap();
    assert_eq!(received.len(), 1);
    assert_eq!(
        received[0].0, "/hook",
        "a direct request names the path only"
    );
    assert!(header(&received[0].1, "proxy-authorization").is_none());
}

#[test]
fn credentials_in_a_url_are_a_basic_header_and_never_printed() {
    let password = "Hook5ecretPassw0rd";
    let (_r, port, seen) = recorder(200, "ok");
    let hook = format!("http://hookuser:{password}@127.0.0.1:{port}/hook");
    let out = report_to(&hook)
        .args([
            "--pushgateway",
            &format!("http://pgw:{password}@127.0.0.1:{port}"),
        ])
        .assert()
        .success()
        .get_output()
        .clone();
    {
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 2, "the webhook, then the Pushgateway");
        let (target, headers) = &seen[0];
        assert_eq!(target, "/hook");
        assert_eq!(
            header(headers, "authorization"),
            Some(basic(&format!("hookuser:{password}")))
        );
        let (target, headers) = &seen[1];
        assert_eq!(target, "/metrics/job/kubedoctor/scope/all-namespaces");
        assert_eq!(
            header(headers, "authorization"),
            Some(basic(&format!("pgw:{password}")))
        );
    }
    for text in [&out.stdout, &out.stderr] {
        assert!(!String::from_utf8_lossy(text).contains(password));
    }
    // A receiver that refuses them and echoes them: exit 4, the answer quoted redacted.
    let (_r, port, _) = recorder(401, "bad credentials hookuser:Hook5ecretPassw0rd");
    let out = report_to(&format!("http://hookuser:{password}@127.0.0.1:{port}/hook"))
        .assert()
        .code(4)
        .stderr(predicate::str::contains("HTTP 401"))
        .stderr(predicate::str::contains("127.0.0.1"))
        .get_output()
        .clone();
    for text in [&out.stdout, &out.stderr] {
        assert!(!String::from_utf8_lossy(text).contains(password));
    }
}

/// A TLS server on loopback with the test CA's certificate for `hooks.example.test` and
/// `127.0.0.1`: answers 200, recording each request's `Host` and path.
fn tls_receiver() -> (tokio::runtime::Runtime, u16, Arc<Mutex<Vec<String>>>) {
    use rustls::pki_types::pem::PemObject as _;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let certs = CertificateDer::pem_file_iter("tests/tls/server.pem")
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let key = PrivateKeyDer::from_pem_file("tests/tls/server.key").unwrap();
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(certs, key)
    .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    runtime.spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let (acceptor, record) = (acceptor.clone(), record.clone());
            tokio::spawn(async move {
                let Ok(tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let service = hyper::service::service_fn(move |req: hyper::Request<_>| {
                    let host = header(req.headers(), "host").unwrap_or_default();
                    record
                        .lock()
                        .unwrap()
                        .push(format!("{host}{}", req.uri().path()));
                    async {
                        Ok::<_, std::convert::Infallible>(hyper::Response::new(
                            http_body_util::Full::new(bytes::Bytes::from("ok")),
                        ))
                    }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(hyper_util::rt::TokioIo::new(tls), service)
                    .await;
            });
        }
    });
    (runtime, port, seen)
}

#[test]
fn a_webhook_ca_trusts_a_private_ca_from_the_flag_or_the_configuration() {
    let (_t, port, seen) = tls_receiver();
    let hook = format!("https://127.0.0.1:{port}/hook");
    report_to(&hook)
        .assert()
        .code(4)
        .stderr(predicate::str::contains(
            "webhook delivery to 127.0.0.1 failed",
        ))
        .stderr(predicate::str::contains("certificate"));
    assert!(seen.lock().unwrap().is_empty(), "not trusted, nothing sent");
    report_to(&hook)
        .args(["--webhook-ca", "tests/tls/ca.pem"])
        .assert()
        .success();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.yaml");
    std::fs::write(&config, "webhook-ca: tests/tls/ca.pem\n").unwrap();
    report_to(&hook)
        .arg("--config")
        .arg(&config)
        .assert()
        .success();
    assert_eq!(
        *seen.lock().unwrap(),
        vec![format!("127.0.0.1:{port}/hook"); 2]
    );
}

/// A proxy for `CONNECT` only, on plain threads: records the request line, opens the tunnel
/// to the TLS receiver (whatever host the line names: `hooks.example.test` resolves nowhere).
fn connect_proxy(to: u16) -> (u16, Arc<Mutex<Vec<String>>>) {
    use std::io::{Read as _, Write as _};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    std::thread::spawn(move || {
        for mut client in listener.incoming().flatten() {
            let record = record.clone();
            std::thread::spawn(move || {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    if client.read_exact(&mut byte).is_err() {
                        return;
                    }
                    head.push(byte[0]);
                }
                let head = String::from_utf8_lossy(&head).into_owned();
                record
                    .lock()
                    .unwrap()
                    .push(head.lines().next().unwrap_or_default().to_string());
                let Ok(mut server) = std::net::TcpStream::connect(("127.0.0.1", to)) else {
                    return;
                };
                let _ = client.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n");
                let (Ok(mut client_in), Ok(mut server_out)) =
                    (client.try_clone(), server.try_clone())
                else {
                    return;
                };
                std::thread::spawn(move || std::io::copy(&mut client_in, &mut server_out));
                let _ = std::io::copy(&mut server, &mut client);
                let _ = client.shutdown(std::net::Shutdown::Both);
            });
        }
    });
    (port, seen)
}

#[test]
fn an_https_webhook_goes_through_a_connect_tunnel_of_https_proxy() {
    let (_t, tls_port, received) = tls_receiver();
    let (proxy_port, tunnels) = connect_proxy(tls_port);
    report_to(&format!("https://hooks.example.test:{tls_port}/hook"))
        .args(["--webhook-ca", "tests/tls/ca.pem"])
        .env("HTTPS_PROXY", format!("http://127.0.0.1:{proxy_port}"))
        .env("HTTP_PROXY", "http://127.0.0.1:9")
        .assert()
        .success();
    assert_eq!(
        *tunnels.lock().unwrap(),
        vec![format!("CONNECT hooks.example.test:{tls_port} HTTP/1.1")]
    );
    assert_eq!(
        *received.lock().unwrap(),
        vec![format!("hooks.example.test:{tls_port}/hook")],
        "TLS end to end with the host's name"
    );
}

#[test]
fn a_webhook_ca_that_cannot_be_used_is_exit_2_before_the_scan() {
    let (_r, port, seen) = recorder(200, "ok");
    let hook = format!("http://127.0.0.1:{port}/hook");
    for (file, said) in [
        (
            "tests/tls/no-such-ca.pem",
            "cannot read the webhook CA bundle `tests/tls/no-such-ca.pem`",
        ),
        ("tests/tls/README.md", "holds no PEM certificate"),
    ] {
        let out = report_to(&hook)
            .args(["--webhook-ca", file])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(said))
            .get_output()
            .clone();
        assert!(out.stdout.is_empty(), "no scan, no report");
    }
    assert!(seen.lock().unwrap().is_empty());
    // `config check` reads the configuration's `webhook-ca` the same way.
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.yaml");
    std::fs::write(&config, "webhook-ca: tests/tls/no-such-ca.pem\n").unwrap();
    kubedoctor()
        .args(["config", "check"])
        .arg(&config)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cannot read the webhook CA bundle `tests/tls/no-such-ca.pem`",
        ));
}

//! The connection under the client: straight to the host, or through the proxy that
//! `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY` (or their lowercase forms) name, read by
//! hyper-util's [`Matcher`]. An `https://` URL goes through the proxy in a `CONNECT` tunnel
//! (TLS stays end to end); an `http://` one is forwarded (the request line carries the whole
//! URL, a proxy's credentials go in `Proxy-Authorization`). The proxy itself is reached
//! over plain HTTP.

use hyper::rt::{Read, Write};
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::legacy::connect::{Connected, Connection, HttpConnector};
use hyper_util::client::proxy::matcher::Matcher;
use hyper_util::rt::TokioIo;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use tokio::net::TcpStream;
use tower::{BoxError, Service, ServiceExt as _};

/// A proxy that could not be used; named by its host only (its URL may hold a password).
#[derive(Debug, thiserror::Error)]
pub enum ProxyError {
    #[error("the proxy {0} is not an http:// URL; kubedoctor reaches proxies over plain HTTP")]
    Unsupported(String),
    #[error("through the proxy {host}")]
    Via {
        host: String,
        #[source]
        source: BoxError,
    },
}

/// Connects to a request's host, or to the proxy the environment names for it.
#[derive(Clone)]
pub struct Connector {
    tcp: HttpConnector,
    proxies: Arc<Matcher>,
}

impl Connector {
    pub fn new(proxies: Arc<Matcher>) -> Connector {
        let mut tcp = HttpConnector::new();
        // TLS is the layer above: this one opens TCP connections for https:// URLs too.
        tcp.enforce_http(false);
        Connector { tcp, proxies }
    }
}

/// The `Proxy-Authorization` a request forwarded to a proxy carries (an `http://` URL whose
/// proxy has credentials); a tunnel sends it in its `CONNECT` instead.
pub fn forwarded_auth(proxies: &Matcher, dst: &http::Uri) -> Option<http::HeaderValue> {
    if dst.scheme_str() != Some("http") {
        return None;
    }
    proxies.intercept(dst)?.basic_auth().cloned()
}

/// A TCP connection, to the host or to a proxy that forwards requests (then hyper writes the
/// whole URL in the request line).
pub struct Conn {
    io: TokioIo<TcpStream>,
    forwarded: bool,
}

impl Service<http::Uri> for Connector {
    type Response = Conn;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<Conn, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.tcp.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, dst: http::Uri) -> Self::Future {
        let Some(proxy) = self.proxies.intercept(&dst) else {
            let connecting = self.tcp.call(dst);
            return Box::pin(async move {
                let io = connecting.await?;
                Ok(Conn {
                    io,
                    forwarded: false,
                })
            });
        };
        let host = proxy.uri().host().unwrap_or_default().to_string();
        if proxy.uri().scheme_str() != Some("http") {
            let unsupported: BoxError = Box::new(ProxyError::Unsupported(host));
            return Box::pin(std::future::ready(Err(unsupported)));
        }
        let via =
            move |source: BoxError| -> BoxError { Box::new(ProxyError::Via { host, source }) };
        if dst.scheme_str() == Some("https") {
            let mut tunnel = Tunnel::new(proxy.uri().clone(), self.tcp.clone());
            if let Some(auth) = proxy.basic_auth() {
                tunnel = tunnel.with_auth(auth.clone());
            }
            Box::pin(async move {
                let io = tunnel.oneshot(dst).await.map_err(|e| via(e.into()))?;
                Ok(Conn {
                    io,
                    forwarded: false,
                })
            })
        } else {
            let connecting = self.tcp.call(proxy.uri().clone());
            Box::pin(async move {
                let io = connecting.await.map_err(|e| via(e.into()))?;
                Ok(Conn {
                    io,
                    forwarded: true,
                })
            })
        }
    }
}

impl Connection for Conn {
    fn connected(&self) -> Connected {
        self.io.connected().proxy(self.forwarded)
    }
}

impl Read for Conn {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: hyper::rt::ReadBufCursor<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_read(cx, buf)
    }
}

impl Write for Conn {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write_vectored(cx, bufs)
    }
}

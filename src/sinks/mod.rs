//! Where finished output goes: files written atomically, and the one outbound HTTP client
//! (webhooks, the Pushgateway).

pub mod file;
pub mod http;

//! Where a finished report goes besides standard output and files: webhooks.

pub mod webhook;

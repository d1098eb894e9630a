//! Where finished output goes: files written atomically, webhooks.

pub mod file;
pub mod webhook;

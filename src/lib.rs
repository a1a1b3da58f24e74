//! plimsoll: a fast static linter for Helm charts and Kubernetes manifests.
//!
//! Data flows one way: [`discover`] → [`load`] (read, [`yaml`] parse, [`model`] objects) →
//! (render: later) → [`check`] (the engine running [`rules`]) → [`report`].

pub mod app;
pub mod baseline;
pub mod charts;
pub mod check;
pub mod cli;
pub mod config;
pub mod discover;
pub mod finding;
pub mod fsread;
pub mod guard;
pub mod ignore;
pub mod load;
pub mod model;
pub mod render;
pub mod report;
pub mod rules;
pub mod source;
pub mod yaml;

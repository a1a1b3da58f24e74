//! Native Helm rendering: chart loading, the Go text/template engine, Sprig and Helm
//! functions, and `helm template`-compatible output. (Work in progress: not wired into the CLI.)

pub mod chart;
pub mod funcs;
pub mod helm;
pub mod limits;
pub mod output;
pub mod template;
pub mod value;

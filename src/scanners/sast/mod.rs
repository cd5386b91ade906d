//! The SAST scanner's room (issue 10, in progress): Semgrep-format rules read unchanged. It holds the rule
//! model and loader ([`rule`]), the pattern compiler ([`pattern`]); the matcher on our trees and the built-in
//! pack come next, and only then does the scanner register in [`crate::scanners::REGISTRY`].

pub mod matcher;
pub mod pattern;
pub mod rule;

//! The SAST scanner's room (issue 10, in progress): Semgrep-format rules read unchanged. Today it holds the
//! rule model and loader ([`rule`]); the pattern compiler, the matcher on tree-sitter trees and the built-in
//! pack come next, and only then does the scanner register in [`crate::scanners::REGISTRY`].

pub mod rule;

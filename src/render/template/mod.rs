//! Go's text/template, reimplemented: lexer, parser (trees with byte positions) and executor.

pub mod exec;
pub mod lex;
pub mod parse;
pub mod trace;

//! Generators that render a plain-text report in the other forms reviewers receive.
#![allow(dead_code)]

pub mod docx_gen;
pub mod html_gen;
pub mod pdf_gen;

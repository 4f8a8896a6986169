//! Errors that point into a file: the rule pack's TOML, with a line, a column and a caret.

use std::fmt;

/// One problem in a file the user wrote, with where it is and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: String,
    /// 1-based line and column (in characters); 0 when the problem has no single place.
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// The offending line as written, for the caret display.
    pub source_line: Option<String>,
    pub help: Option<String>,
}

impl Diagnostic {
    /// A diagnostic at a byte offset of `source`.
    pub fn at(file: &str, source: &str, offset: usize, message: impl Into<String>) -> Diagnostic {
        // Never slice inside a character, whatever offset a caller passes.
        let mut offset = offset.min(source.len());
        while !source.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &source[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = source[line_start..offset].chars().count() + 1;
        let source_line = source[line_start..]
            .lines()
            .next()
            .unwrap_or("")
            .to_string();
        Diagnostic {
            file: file.to_string(),
            line,
            column,
            message: message.into(),
            source_line: Some(source_line),
            help: None,
        }
    }

    /// A diagnostic about the file as a whole.
    pub fn whole(file: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            file: file.to_string(),
            line: 0,
            column: 0,
            message: message.into(),
            source_line: None,
            help: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }
}

/// Terminal columns a character takes: East Asian wide characters take two.
fn display_width(c: char) -> usize {
    let u = c as u32;
    let wide = matches!(u,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF |
        0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 |
        0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD);
    if wide { 2 } else { 1 }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            writeln!(f, "error: {}: {}", self.file, self.message)?;
        } else {
            writeln!(
                f,
                "error: {}:{}:{}: {}",
                self.file, self.line, self.column, self.message
            )?;
        }
        if let Some(src) = &self.source_line {
            let gutter = self.line.to_string();
            let pad = " ".repeat(gutter.len());
            let indent: usize = src
                .chars()
                .take(self.column.saturating_sub(1))
                .map(display_width)
                .sum();
            writeln!(f, "{pad} |")?;
            writeln!(f, "{gutter} | {src}")?;
            writeln!(f, "{pad} | {}^", " ".repeat(indent))?;
        }
        if let Some(help) = &self.help {
            writeln!(f, "  = help: {help}")?;
        }
        Ok(())
    }
}

/// All the problems found in one rule pack.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct PackError {
    pub diagnostics: Vec<Diagnostic>,
}

impl fmt::Display for PackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.diagnostics {
            write!(f, "{d}")?;
        }
        let n = self.diagnostics.len();
        write!(
            f,
            "the rule pack has {n} error{}; fix {} and run again",
            if n == 1 { "" } else { "s" },
            if n == 1 { "it" } else { "them" }
        )
    }
}

impl From<Diagnostic> for PackError {
    fn from(d: Diagnostic) -> PackError {
        PackError {
            diagnostics: vec![d],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_at_line_and_column_under_wide_characters() {
        let src = "a = 1\nany = [\"主动公开(政府\"]\n";
        let off = src.find('(').unwrap();
        let d = Diagnostic::at("p.toml", src, off, "unclosed group");
        assert_eq!((d.line, d.column), (2, 13));
        let shown = d.to_string();
        assert!(shown.contains("p.toml:2:13: unclosed group"), "{shown}");
        // 8 ASCII columns plus four wide characters before the caret.
        assert!(
            shown.contains(&format!("  | {}^", " ".repeat(8 + 8))),
            "{shown}"
        );
    }
}

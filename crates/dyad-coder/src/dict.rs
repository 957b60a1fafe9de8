//! Reading the tab-separated dictionary files under `data/`.
//!
//! Every dictionary is a plain text file, one entry per line, columns separated by tabs, `#` starting a
//! comment line. Loaders collect *every* bad line with its path and line number instead of stopping at the
//! first, so a user fixing a dictionary sees the whole list at once.

use std::fmt;

/// One bad dictionary line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub path: String,
    pub line: usize,
    pub reason: String,
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.path, self.line, self.reason)
    }
}

/// All the bad lines of one or more dictionary files.
#[derive(Debug, Clone, PartialEq, Eq, Default, thiserror::Error)]
pub struct DictErrors(pub Vec<LineError>);

impl fmt::Display for DictErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} bad dictionary line(s)", self.0.len())?;
        for e in &self.0 {
            write!(f, "\n  {e}")?;
        }
        Ok(())
    }
}

/// One data line: its number (1-based) and its fields.
pub struct Row<'a> {
    pub line: usize,
    pub fields: Vec<&'a str>,
}

/// Iterates over the data lines of a dictionary, checking the number of fields.
///
/// Lines with the wrong number of fields are recorded in `errors` and skipped.
pub fn rows<'a>(
    path: &'a str,
    text: &'a str,
    columns: std::ops::RangeInclusive<usize>,
    errors: &'a mut Vec<LineError>,
) -> impl Iterator<Item = Row<'a>> + 'a {
    text.lines().enumerate().filter_map(move |(i, line)| {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() || line.starts_with('#') {
            return None;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        if !columns.contains(&fields.len()) {
            errors.push(LineError {
                path: path.to_string(),
                line: i + 1,
                reason: format!(
                    "expected {} tab-separated fields, found {}",
                    describe(&columns),
                    fields.len()
                ),
            });
            return None;
        }
        if let Some(f) = fields.iter().find(|f| f.trim() != **f || f.is_empty()) {
            errors.push(LineError {
                path: path.to_string(),
                line: i + 1,
                reason: format!("empty field or field with surrounding spaces: {f:?}"),
            });
            return None;
        }
        Some(Row {
            line: i + 1,
            fields,
        })
    })
}

fn describe(r: &std::ops::RangeInclusive<usize>) -> String {
    if r.start() == r.end() {
        r.start().to_string()
    } else {
        format!("{} to {}", r.start(), r.end())
    }
}

/// `-` stands for "no value" in dictionary columns.
pub fn opt(field: &str) -> Option<&str> {
    (field != "-").then_some(field)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_every_bad_line_with_its_number() {
        let text = "# comment\na\tb\nonly-one\n\nx\t y\nc\td\te\n";
        let mut errors = Vec::new();
        let got: Vec<usize> = rows("t.tsv", text, 2..=2, &mut errors)
            .map(|r| r.line)
            .collect();
        assert_eq!(got, vec![2]);
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![3, 5, 6]);
        assert!(errors[0].to_string().starts_with("t.tsv:3: expected 2"));
    }
}

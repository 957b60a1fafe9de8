//! The CAMEO code table (names and Goldstein values) and the quad-class schemes.
//!
//! Quad class is not one function of the root: GDELT, Phoenix and the gold-scoring rules disagree. So the
//! mapping is an explicit, named [`QuadScheme`], GDELT's by default, as `event.schema.json` specifies.

use crate::dict::{self, DictErrors, LineError};
use crate::types::CameoCode;
use std::collections::HashMap;

/// The table built into the binary: `data/cameo.tsv`.
pub const BUILTIN: &str = include_str!("../../../data/cameo.tsv");

/// A named mapping from CAMEO root to quad class (1 verbal cooperation, 2 material cooperation, 3 verbal
/// conflict, 4 material conflict).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum QuadScheme {
    /// GDELT 2.0: roots 01–05 → 1, 06–09 → 2, 10–14 → 3, 15–20 → 4.
    #[default]
    Gdelt,
    /// The scheme of `gold.md` and many libraries: 01–05 → 1, 06–08 → 2, 09–13 → 3, 14–20 → 4.
    Gold,
}

impl QuadScheme {
    pub fn parse(s: &str) -> Option<QuadScheme> {
        match s {
            "gdelt" => Some(QuadScheme::Gdelt),
            "gold" => Some(QuadScheme::Gold),
            _ => None,
        }
    }

    pub fn quad(self, root: u8) -> u8 {
        match self {
            QuadScheme::Gdelt => match root {
                1..=5 => 1,
                6..=9 => 2,
                10..=14 => 3,
                _ => 4,
            },
            QuadScheme::Gold => match root {
                1..=5 => 1,
                6..=8 => 2,
                9..=13 => 3,
                _ => 4,
            },
        }
    }
}

/// One row of the code table.
#[derive(Debug, Clone, PartialEq)]
pub struct CodeInfo {
    pub goldstein: f64,
    pub name: String,
}

/// CAMEO codes with their names and Goldstein values (GDELT 2.0's table).
#[derive(Debug, Clone)]
pub struct CameoTable {
    codes: HashMap<CameoCode, CodeInfo>,
}

impl CameoTable {
    /// The table built into the binary.
    pub fn builtin() -> Result<CameoTable, DictErrors> {
        CameoTable::parse("data/cameo.tsv", BUILTIN)
    }

    pub fn parse(path: &str, text: &str) -> Result<CameoTable, DictErrors> {
        let mut errors = Vec::new();
        let mut codes = HashMap::new();
        let mut bad = Vec::new();
        for row in dict::rows(path, text, 3..=3, &mut errors) {
            let err = |reason: String| LineError {
                path: path.to_string(),
                line: row.line,
                reason,
            };
            let Some(code) = CameoCode::parse(row.fields[0]) else {
                bad.push(err(format!("not a CAMEO code: {:?}", row.fields[0])));
                continue;
            };
            let goldstein: f64 = match row.fields[1].parse() {
                Ok(g) if (-10.0..=10.0).contains(&g) => g,
                _ => {
                    bad.push(err(format!(
                        "Goldstein value must be a number in [-10, 10]: {:?}",
                        row.fields[1]
                    )));
                    continue;
                }
            };
            let info = CodeInfo {
                goldstein,
                name: row.fields[2].to_string(),
            };
            if codes.insert(code, info).is_some() {
                bad.push(err(format!("code {code} listed twice")));
            }
        }
        errors.extend(bad);
        if errors.is_empty() {
            Ok(CameoTable { codes })
        } else {
            Err(DictErrors(errors))
        }
    }

    pub fn get(&self, code: CameoCode) -> Option<&CodeInfo> {
        self.codes.get(&code)
    }

    pub fn contains(&self, code: CameoCode) -> bool {
        self.codes.contains_key(&code)
    }

    pub fn len(&self) -> usize {
        self.codes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_table_loads_and_has_every_root() {
        let t = CameoTable::builtin().unwrap();
        for root in 1..=20u8 {
            let c = CameoCode::parse(&format!("{root:02}0")).unwrap();
            assert!(t.contains(c), "missing {c}");
        }
        let visit = t.get(CameoCode::parse("042").unwrap()).unwrap();
        assert_eq!(visit.goldstein, 1.9);
        let sanction = t.get(CameoCode::parse("163").unwrap()).unwrap();
        assert_eq!(sanction.goldstein, -8.0);
    }

    #[test]
    fn quad_schemes_differ_where_they_should() {
        assert_eq!(QuadScheme::Gdelt.quad(9), 2);
        assert_eq!(QuadScheme::Gold.quad(9), 3);
        assert_eq!(QuadScheme::Gdelt.quad(14), 3);
        assert_eq!(QuadScheme::Gold.quad(14), 4);
        assert_eq!(QuadScheme::Gdelt.quad(4), 1);
        assert_eq!(QuadScheme::Gdelt.quad(20), 4);
    }

    #[test]
    fn bad_lines_are_all_reported() {
        let text = "042\t1.9\tMake a visit\n999\t1\tx\n043\tlots\tHost\n042\t1.9\tdup\n";
        let errs = CameoTable::parse("c.tsv", text).unwrap_err();
        let lines: Vec<usize> = errs.0.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![2, 3, 4]);
    }
}

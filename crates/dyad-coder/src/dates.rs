//! Date expressions in a sentence: full dates, months, years, decades, ranges, and dates relative to the
//! publication date ("last week", "on Tuesday").
//!
//! Existing date parsers fail on what news and analysis writing uses most ("in 2007", "in the 1990s",
//! "since 2010"), so the grammar is ours: a small token-level recogniser. Which expression an event takes,
//! and when a date carries over from an earlier sentence, is decided by the coder.

use crate::types::{Date, Precision, Token, TokenKind};

/// A date expression found in a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateExpr {
    /// Token range `[start, end)` within the sentence's tokens.
    pub start: usize,
    pub end: usize,
    /// ISO 8601 prefix: YYYY, YYYY-MM or YYYY-MM-DD (a decade: its first year).
    pub value: String,
    pub precision: Precision,
    /// Resolved against the publication date ("yesterday", "last year", "on Monday").
    pub relative: bool,
    /// Speaks of the present ("now", "today", "currently"): ends a carried-over episode.
    pub present: bool,
    /// Lies after the publication date, or is introduced by "next"/"tomorrow".
    pub future: bool,
}

const MONTHS: &[(&str, u8)] = &[
    ("January", 1),
    ("February", 2),
    ("March", 3),
    ("April", 4),
    ("May", 5),
    ("June", 6),
    ("July", 7),
    ("August", 8),
    ("September", 9),
    ("October", 10),
    ("November", 11),
    ("December", 12),
    ("Jan", 1),
    ("Feb", 2),
    ("Mar", 3),
    ("Apr", 4),
    ("Jun", 6),
    ("Jul", 7),
    ("Aug", 8),
    ("Sep", 9),
    ("Sept", 9),
    ("Oct", 10),
    ("Nov", 11),
    ("Dec", 12),
];

const WEEKDAYS: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// Words after which a bare four-digit number is a year.
const YEAR_BEFORE: &[&str] = &[
    "in",
    "since",
    "by",
    "until",
    "till",
    "from",
    "during",
    "of",
    "early",
    "late",
    "mid",
    "before",
    "after",
    "between",
    "and",
    "to",
    "through",
    "the",
    "around",
    "circa",
    "spring",
    "summer",
    "autumn",
    "fall",
    "winter",
    "year",
    "end",
    "start",
    "beginning",
    "-",
    "–",
    "—",
    "(",
    ",",
];

fn month(word: &str) -> Option<u8> {
    MONTHS.iter().find(|(m, _)| *m == word).map(|&(_, n)| n)
}

fn year_of(word: &str) -> Option<i16> {
    if word.len() == 4 && word.bytes().all(|b| b.is_ascii_digit()) {
        let y: i16 = word.parse().ok()?;
        (1900..=2099).contains(&y).then_some(y)
    } else {
        None
    }
}

fn day_of(word: &str) -> Option<i8> {
    let digits = word.trim_end_matches(['s', 't', 'n', 'd', 'r', 'h']);
    if digits.is_empty() || digits.len() > 2 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let d: i8 = digits.parse().ok()?;
    (1..=31).contains(&d).then_some(d)
}

fn ymd(y: i16, m: i8, d: i8) -> Option<Date> {
    Date::new(y, m, d).ok()
}

fn add_days(d: Date, n: i64) -> Option<Date> {
    d.checked_add(jiff::Span::new().days(n)).ok()
}

fn add_months(d: Date, n: i64) -> Option<Date> {
    d.checked_add(jiff::Span::new().months(n)).ok()
}

fn day_value(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

fn month_value(y: i16, m: i8) -> String {
    format!("{y:04}-{m:02}")
}

/// Finds the date expressions among a sentence's tokens. `doc` is the document text the token spans point
/// into; `publication` anchors relative dates (without it they are not resolved).
pub fn find(doc: &str, tokens: &[Token], publication: Option<Date>, out: &mut Vec<DateExpr>) {
    out.clear();
    let word = |i: usize| -> &str { tokens.get(i).map_or("", |t| t.span.text(doc)) };
    let lower = |i: usize| -> String { word(i).to_ascii_lowercase() };
    let mut i = 0;
    while i < tokens.len() {
        let w = word(i);
        let mut push =
            |start: usize, end: usize, value: String, precision: Precision, relative: bool| {
                out.push(DateExpr {
                    start,
                    end,
                    value,
                    precision,
                    relative,
                    present: false,
                    future: false,
                });
            };
        // ISO date: 2019-03-05.
        if let Some(y) = year_of(w) {
            if matches!(word(i + 1), "-") && word(i + 2).len() == 2 && word(i + 3) == "-" {
                if let (Ok(m), Some(d)) = (word(i + 2).parse::<i8>(), day_of(word(i + 4))) {
                    if let Some(date) = ymd(y, m, d) {
                        push(i, i + 5, day_value(date), Precision::Day, false);
                        i += 5;
                        continue;
                    }
                }
            }
            // Range: 1996-1998 or 1996–98: the start year.
            if matches!(word(i + 1), "-" | "–" | "to")
                && (year_of(word(i + 2)).is_some()
                    || (word(i + 2).len() == 2 && word(i + 2).bytes().all(|b| b.is_ascii_digit())))
            {
                push(i, i + 3, format!("{y:04}"), Precision::Year, false);
                i += 3;
                continue;
            }
            let prev = if i == 0 { "" } else { word(i - 1) };
            let prev_l = prev.to_ascii_lowercase();
            let next = tokens.get(i + 1);
            let next_ok = next.is_none_or(|t| t.kind == TokenKind::Punct)
                || matches!(
                    lower(i + 1).as_str(),
                    "and"
                        | "to"
                        | "when"
                        | "as"
                        | "after"
                        | "before"
                        | "that"
                        | "the"
                        | "in"
                        | "on"
                        | "was"
                );
            if YEAR_BEFORE.contains(&prev_l.as_str()) || i == 0 || next_ok {
                push(i, i + 1, format!("{y:04}"), Precision::Year, false);
            }
            i += 1;
            continue;
        }
        // Decades: 1990s, the early 2010s.
        if tokens[i].kind == TokenKind::Number && w.len() == 5 && w.ends_with("0s") {
            if let Some(y) = w.get(..4).and_then(year_of) {
                let start = if i > 0 && matches!(lower(i - 1).as_str(), "early" | "mid" | "late") {
                    i - 1
                } else {
                    i
                };
                push(start, i + 1, format!("{y:04}"), Precision::Decade, false);
                i += 1;
                continue;
            }
        }
        // Month-based dates.
        if let Some(m) = month(w) {
            // "May" is also a modal verb: only a date next to a number or after "in"/"of"/"since".
            let prev_l = if i == 0 { String::new() } else { lower(i - 1) };
            let mut j = i + 1;
            if word(j) == "." {
                j += 1;
            }
            let day_after = day_of(word(j));
            let day_before = if i > 0 { day_of(word(i - 1)) } else { None };
            let year_after = |k: usize| -> Option<(i16, usize)> {
                let k = if word(k) == "," { k + 1 } else { k };
                year_of(word(k)).map(|y| (y, k + 1))
            };
            if w == "May"
                && day_after.is_none()
                && day_before.is_none()
                && year_after(j).is_none()
                && !matches!(
                    prev_l.as_str(),
                    "in" | "of" | "since" | "early" | "late" | "mid"
                )
            {
                i += 1;
                continue;
            }
            let m = m as i8;
            if let Some(d) = day_after {
                if let Some((y, end)) = year_after(j + 1) {
                    if let Some(date) = ymd(y, m, d) {
                        push(i, end, day_value(date), Precision::Day, false);
                        i = end;
                        continue;
                    }
                }
                if let Some(date) = publication.and_then(|p| month_day_near(p, m, d)) {
                    push(i, j + 1, day_value(date), Precision::Day, true);
                    i = j + 1;
                    continue;
                }
            }
            if let Some(d) = day_before {
                let start = i - 1;
                if let Some((y, end)) = year_after(i + 1) {
                    if let Some(date) = ymd(y, m, d) {
                        push(start, end, day_value(date), Precision::Day, false);
                        i = end;
                        continue;
                    }
                }
                if let Some(date) = publication.and_then(|p| month_day_near(p, m, d)) {
                    push(start, i + 1, day_value(date), Precision::Day, true);
                    i += 1;
                    continue;
                }
            }
            if let Some((y, end)) = year_after(i + 1) {
                push(i, end, month_value(y, m), Precision::Month, false);
                i = end;
                continue;
            }
            if let Some(p) = publication {
                let y = if m > p.month() {
                    p.year() - 1
                } else {
                    p.year()
                };
                push(i, i + 1, month_value(y, m), Precision::Month, true);
            }
            i += 1;
            continue;
        }
        // Relative dates.
        let l = w.to_ascii_lowercase();
        let next_l = lower(i + 1);
        // (length in tokens, resolved value, speaks of the present, lies in the future)
        type Relative = (usize, Option<(String, Precision)>, bool, bool);
        let rel: Option<Relative> = match l.as_str() {
            "yesterday" => Some((
                1,
                publication
                    .and_then(|p| add_days(p, -1))
                    .map(|d| (day_value(d), Precision::Day)),
                false,
                false,
            )),
            "today" | "tonight" => Some((
                1,
                publication.map(|p| (day_value(p), Precision::Day)),
                true,
                false,
            )),
            "now" | "currently" | "nowadays" => Some((
                1,
                publication.map(|p| (day_value(p), Precision::Day)),
                true,
                false,
            )),
            "tomorrow" => Some((
                1,
                publication
                    .and_then(|p| add_days(p, 1))
                    .map(|d| (day_value(d), Precision::Day)),
                false,
                true,
            )),
            "last" | "past" | "this" | "next" | "previous" => {
                let dir: i64 = match l.as_str() {
                    "last" | "past" | "previous" => -1,
                    "next" => 1,
                    _ => 0,
                };
                let v =
                    match next_l.as_str() {
                        "week" => Some(
                            publication
                                .and_then(|p| add_days(p, 7 * dir))
                                .map(|d| (month_value(d.year(), d.month()), Precision::Month)),
                        ),
                        "month" => Some(
                            publication
                                .and_then(|p| add_months(p, dir))
                                .map(|d| (month_value(d.year(), d.month()), Precision::Month)),
                        ),
                        "year" => Some(publication.map(|p| {
                            (format!("{:04}", i64::from(p.year()) + dir), Precision::Year)
                        })),
                        _ => None,
                    };
                v.map(|v| (2, v, dir == 0, dir > 0))
            }
            _ => None,
        };
        if let Some((len, value, present, future)) = rel {
            if let Some((value, precision)) = value {
                out.push(DateExpr {
                    start: i,
                    end: i + len,
                    value,
                    precision,
                    relative: true,
                    present,
                    future,
                });
            } else if present {
                // No publication date: the present is still a break in the narrative.
                out.push(DateExpr {
                    start: i,
                    end: i + len,
                    value: String::new(),
                    precision: Precision::Unknown,
                    relative: true,
                    present,
                    future,
                });
            }
            i += len;
            continue;
        }
        if let Some(wd) = WEEKDAYS.iter().position(|d| *d == w) {
            if let Some(p) = publication {
                let next = i > 0 && lower(i - 1) == "next";
                let today = p.weekday().to_monday_zero_offset() as i64;
                let back = (today - wd as i64).rem_euclid(7);
                let date = if next {
                    add_days(p, (wd as i64 - today).rem_euclid(7).max(1))
                } else {
                    add_days(p, -back)
                };
                if let Some(d) = date {
                    out.push(DateExpr {
                        start: i,
                        end: i + 1,
                        value: day_value(d),
                        precision: Precision::Day,
                        relative: true,
                        present: false,
                        future: next,
                    });
                }
            }
        }
        // "N years ago".
        if tokens[i].kind == TokenKind::Number && lower(i + 2) == "ago" {
            if let (Ok(n), Some(p)) = (w.parse::<i64>(), publication) {
                let v = match next_l.trim_end_matches('s') {
                    "year" => Some((format!("{:04}", i64::from(p.year()) - n), Precision::Year)),
                    "month" => add_months(p, -n)
                        .map(|d| (month_value(d.year(), d.month()), Precision::Month)),
                    "day" => add_days(p, -n).map(|d| (day_value(d), Precision::Day)),
                    _ => None,
                };
                if let Some((value, precision)) = v {
                    out.push(DateExpr {
                        start: i,
                        end: i + 3,
                        value,
                        precision,
                        relative: true,
                        present: false,
                        future: false,
                    });
                    i += 3;
                    continue;
                }
            }
        }
        i += 1;
    }
    if let Some(p) = publication {
        let pv = day_value(p);
        for d in out.iter_mut() {
            if !d.value.is_empty() && d.precision == Precision::Day && d.value > pv {
                d.future = true;
            }
        }
    }
}

/// A month and day without a year: the nearest such date not long after publication (news reports the
/// recent past; a date up to a week ahead is an announced plan).
fn month_day_near(p: Date, m: i8, d: i8) -> Option<Date> {
    let this = ymd(p.year(), m, d)?;
    if this <= add_days(p, 7)? {
        Some(this)
    } else {
        ymd(p.year() - 1, m, d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::tokenize;

    fn dates(text: &str, publication: Option<&str>) -> Vec<(String, Precision, bool)> {
        let mut toks = Vec::new();
        tokenize(text, 0, &mut toks);
        let mut out = Vec::new();
        let p = publication.map(|p| p.parse::<Date>().unwrap());
        find(text, &toks, p, &mut out);
        out.into_iter()
            .map(|d| (d.value, d.precision, d.relative))
            .collect()
    }

    #[test]
    fn absolute_forms() {
        use Precision::*;
        let t = |s| dates(s, None);
        assert_eq!(
            t("In 2007, Putin went."),
            vec![("2007".into(), Year, false)]
        );
        assert_eq!(t("in the 1990s"), vec![("1990".into(), Decade, false)]);
        assert_eq!(
            t("in the early 2010s"),
            vec![("2010".into(), Decade, false)]
        );
        assert_eq!(
            t("the 1996-1998 treaties"),
            vec![("1996".into(), Year, false)]
        );
        assert_eq!(t("since 2010 things"), vec![("2010".into(), Year, false)]);
        assert_eq!(
            t("on March 5, 2019, he"),
            vec![("2019-03-05".into(), Day, false)]
        );
        assert_eq!(
            t("on 5 March 2019 he"),
            vec![("2019-03-05".into(), Day, false)]
        );
        assert_eq!(t("in March 2019"), vec![("2019-03".into(), Month, false)]);
        assert_eq!(t("on 2019-03-05"), vec![("2019-03-05".into(), Day, false)]);
        assert!(t("sent 2000 troops").is_empty());
        assert!(t("They may go.").is_empty());
    }

    #[test]
    fn relative_forms_resolve_against_publication() {
        use Precision::*;
        let t = |s| dates(s, Some("2019-01-09")); // a Wednesday
        assert_eq!(t("on Tuesday"), vec![("2019-01-08".into(), Day, true)]);
        assert_eq!(t("yesterday"), vec![("2019-01-08".into(), Day, true)]);
        assert_eq!(t("last year"), vec![("2018".into(), Year, true)]);
        assert_eq!(t("last week"), vec![("2019-01".into(), Month, true)]);
        assert_eq!(t("last month"), vec![("2018-12".into(), Month, true)]);
        assert_eq!(t("in March"), vec![("2018-03".into(), Month, true)]);
        assert_eq!(t("on January 3"), vec![("2019-01-03".into(), Day, true)]);
        assert_eq!(t("three years ago"), vec![]);
        assert_eq!(t("3 years ago"), vec![("2016".into(), Year, true)]);
        // Without a publication date, relative dates are not resolved.
        assert!(dates("on Tuesday", None).is_empty());
    }
}

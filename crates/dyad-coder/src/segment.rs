//! Paragraphs, sentences and tokens, all as byte spans into the original text.
//!
//! Why our own splitter: news is full of periods that do not end sentences ("U.S.", "Mr.", "St. Petersburg",
//! "Jan. 5", "George W. Bush", "3.5"), and general-purpose splitters either cut there or need a model. The
//! rules here are few and explicit, run at hundreds of MB/s, and guarantee what later stages rely on: spans
//! in bounds, in order, never overlapping, and every non-space byte inside exactly one sentence.
//!
//! Paragraphs: when a text has blank lines, blank lines separate paragraphs and a single newline is a space
//! (except after a heading: a short line with no final punctuation). Without blank lines, every line is a
//! paragraph, as in files that put one paragraph per line.

use crate::types::{Sentence, Span, Token, TokenKind};

/// Abbreviations that precede a name or number and so never end a sentence.
const NEVER_FINAL: &[&str] = &[
    "Adm", "Apr", "Aug", "Capt", "Col", "Cpl", "Dec", "Dr", "Feb", "Fig", "Ft", "Gen", "Gov",
    "Hon", "Jan", "Jul", "Jun", "Lt", "Maj", "Mar", "Messrs", "Mr", "Mrs", "Ms", "Mt", "No", "Nos",
    "Nov", "Oct", "Pres", "Prof", "Rep", "Rev", "Sen", "Sep", "Sept", "Sgt", "St", "Supt", "vs",
    "Ste", "approx", "cf", "e.g", "i.e",
];

/// Abbreviations that may end a sentence: they do when a typical sentence opener follows.
const MAYBE_FINAL: &[&str] = &[
    "Co", "Corp", "Inc", "Jr", "Ltd", "Sr", "Bros", "Dept", "Univ", "etc", "a.m", "p.m",
];

/// Words that typically open a sentence; after an ambiguous abbreviation ("the U.S. The next day") they
/// signal a boundary.
const OPENERS: &[&str] = &[
    "A",
    "According",
    "After",
    "Also",
    "An",
    "And",
    "As",
    "At",
    "Before",
    "But",
    "During",
    "Earlier",
    "For",
    "He",
    "Her",
    "His",
    "However",
    "I",
    "If",
    "In",
    "It",
    "Its",
    "Last",
    "Later",
    "Many",
    "Meanwhile",
    "Most",
    "On",
    "One",
    "Our",
    "She",
    "Since",
    "Some",
    "That",
    "The",
    "Their",
    "There",
    "These",
    "They",
    "This",
    "Those",
    "Thus",
    "Today",
    "Under",
    "We",
    "What",
    "When",
    "While",
    "Yet",
];

/// Sentences longer than this many bytes are cut at a space: no news sentence is this long, and the
/// coder's work per sentence must stay bounded whatever the input (a 50 MB line without a period).
pub const MAX_SENTENCE_BYTES: usize = 4096;

/// Splits a text into sentences, each tagged with its paragraph number.
pub fn sentences(text: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    for (paragraph, para) in paragraphs(text).into_iter().enumerate() {
        split_paragraph(text, para, paragraph, &mut out);
    }
    if out.iter().any(|s| s.span.len() > MAX_SENTENCE_BYTES) {
        out = out.into_iter().flat_map(|s| cut_long(text, s)).collect();
    }
    out
}

fn cut_long(text: &str, s: Sentence) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut start = s.span.start;
    while s.span.end - start > MAX_SENTENCE_BYTES {
        let mut limit = start + MAX_SENTENCE_BYTES;
        while !text.is_char_boundary(limit) {
            limit -= 1;
        }
        let piece = &text[start..limit];
        let cut = match piece.rfind(char::is_whitespace) {
            Some(k) if k > 0 => start + k,
            _ => limit,
        };
        let end = start + text[start..cut].trim_end().len();
        if end > start {
            out.push(Sentence {
                span: Span::new(start, end),
                ..s
            });
        }
        start = cut + text[cut..].len() - text[cut..].trim_start().len();
        if start >= s.span.end {
            return out;
        }
    }
    out.push(Sentence {
        span: Span::new(start, s.span.end),
        ..s
    });
    out
}

/// Paragraph spans, trimmed of surrounding white space.
pub fn paragraphs(text: &str) -> Vec<Span> {
    let blank_line_mode = has_blank_line(text);
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut last_end = 0;
    let mut pos = 0;
    let lines: Vec<(usize, &str)> = text
        .split_inclusive('\n')
        .map(|l| {
            let at = pos;
            pos += l.len();
            (at, l)
        })
        .collect();
    for (k, &(line_start, line)) in lines.iter().enumerate() {
        let content = line.trim_end_matches(['\n', '\r']);
        let trimmed = content.trim();
        if trimmed.is_empty() {
            if let Some(s) = start.take() {
                out.push(Span::new(s, last_end));
            }
            continue;
        }
        let lead = content.len() - content.trim_start().len();
        let s = line_start + lead;
        let e = line_start + content.trim_end().len();
        if !blank_line_mode {
            out.push(Span::new(s, e));
            continue;
        }
        if start.is_none() {
            start = Some(s);
        }
        last_end = e;
        // A heading inside a block: the next line starts a new sentence with a capital.
        let next_capital = lines
            .get(k + 1)
            .and_then(|(_, l)| l.trim_start().chars().next())
            .is_some_and(char::is_uppercase);
        if is_heading(trimmed) && next_capital {
            if let Some(s) = start.take() {
                out.push(Span::new(s, last_end));
            }
        }
    }
    if let Some(s) = start {
        out.push(Span::new(s, last_end));
    }
    out
}

fn has_blank_line(text: &str) -> bool {
    let mut prev_blank = false;
    let mut seen_content = false;
    for line in text.lines() {
        let blank = line.trim().is_empty();
        if blank && seen_content {
            prev_blank = true;
        } else if !blank {
            if prev_blank {
                return true;
            }
            seen_content = true;
        }
    }
    false
}

/// A heading: a short line that does not end like a sentence.
pub fn is_heading(line: &str) -> bool {
    let line = line.trim();
    let last = line.chars().last();
    line.len() < 100
        && !matches!(
            last,
            Some('.' | '!' | '?' | ':' | ';' | ',' | '"' | '\'' | '”' | '’' | ')' | '…')
        )
}

fn split_paragraph(text: &str, para: Span, paragraph: usize, out: &mut Vec<Sentence>) {
    let p = para.text(text);
    let bytes = p.as_bytes();
    let mut start = 0usize;
    // Lines inside a paragraph (blank-line mode) that are headings end a sentence too.
    let mut i = 0usize;
    while i < bytes.len() {
        let b = bytes[i];
        let is_end_punct = matches!(b, b'.' | b'!' | b'?')
            || (b == 0xE2 && p.is_char_boundary(i) && p[i..].starts_with('…'));
        if b == b'\n' {
            let line = &p[start..i];
            let next_capital = p[i + 1..]
                .trim_start()
                .chars()
                .next()
                .is_some_and(char::is_uppercase);
            if next_capital
                && !line.trim().is_empty()
                && is_heading(line.lines().last().unwrap_or(""))
            {
                push(text, para.start, p, start, i, paragraph, out);
                start = i + 1;
            }
            i += 1;
            continue;
        }
        if !is_end_punct {
            i += 1;
            continue;
        }
        // Extend over runs of final punctuation and closing quotes or brackets.
        let mut j = i + p[i..].chars().next().map_or(1, char::len_utf8);
        while j < bytes.len() {
            let c = p[j..].chars().next().unwrap_or(' ');
            if matches!(
                c,
                '.' | '!' | '?' | '"' | '\'' | '”' | '’' | ')' | ']' | '…' | '»'
            ) {
                j += c.len_utf8();
            } else {
                break;
            }
        }
        if j < bytes.len() && !p[j..].starts_with(char::is_whitespace) {
            i = j;
            continue;
        }
        let next = p[j..].trim_start();
        let next_start = p.len() - next.len();
        if next.is_empty() {
            i = j;
            continue;
        }
        if b == b'.' && !period_ends_sentence(&p[start..i], next) {
            i = j;
            continue;
        }
        let c = next.chars().next().unwrap_or(' ');
        if c.is_lowercase() {
            i = j;
            continue;
        }
        push(text, para.start, p, start, j, paragraph, out);
        start = next_start;
        i = next_start;
    }
    push(text, para.start, p, start, p.len(), paragraph, out);
}

fn push(
    text: &str,
    base: usize,
    p: &str,
    start: usize,
    end: usize,
    paragraph: usize,
    out: &mut Vec<Sentence>,
) {
    let piece = &p[start..end];
    let lead = piece.len() - piece.trim_start().len();
    let trimmed = piece.trim();
    if trimmed.is_empty() {
        return;
    }
    let span = Span::new(base + start + lead, base + start + lead + trimmed.len());
    debug_assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
    out.push(Sentence {
        span,
        paragraph,
        heading: is_heading(trimmed) && !trimmed.contains('\n') && trimmed.split(' ').count() < 12,
    });
}

/// Decides whether the period after `before` ends a sentence, given the text that follows.
fn period_ends_sentence(before: &str, next: &str) -> bool {
    let word_start = before
        .rfind(|c: char| c.is_whitespace() || matches!(c, '(' | '"' | '“' | '\'' | '‘' | '['))
        .map_or(0, |k| {
            k + before[k..].chars().next().map_or(1, char::len_utf8)
        });
    let word = &before[word_start..];
    if word.is_empty() {
        return true;
    }
    let next_word: &str = next
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    let opener = OPENERS.contains(&next_word);
    if NEVER_FINAL.contains(&word) {
        return false;
    }
    if MAYBE_FINAL.contains(&word) {
        return opener;
    }
    let mut chars = word.chars();
    // A single capital: an initial ("George W. Bush").
    if let (Some(c), None) = (chars.next(), chars.next()) {
        if c.is_uppercase() {
            return false;
        }
    }
    // Dotted acronyms: U.S, U.N, a.m (the final period is the one being judged).
    if word.len() >= 3
        && word.contains('.')
        && word.split('.').all(|part| part.chars().count() == 1)
    {
        return opener;
    }
    true
}

/// Splits a sentence into tokens. `base` is the sentence's offset in the document.
///
/// Words keep internal periods of acronyms ("U.S."), internal apostrophes ("doesn't"), and digit groups
/// ("1,000", "3.5"); a possessive `'s` is its own token, hyphens and dashes are their own tokens.
pub fn tokenize(sentence: &str, base: usize, out: &mut Vec<Token>) {
    out.clear();
    let b = sentence.as_bytes();
    let mut it = sentence.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if c.is_whitespace() {
            continue;
        }
        if !c.is_alphanumeric() {
            // A possessive: 's or ’s followed by a non-word character.
            if matches!(c, '\'' | '’') {
                let after = i + c.len_utf8();
                if after < b.len()
                    && b[after] == b's'
                    && (after + 1 == b.len() || !is_word_byte(sentence, after + 1))
                    && i > 0
                {
                    it.next();
                    out.push(Token {
                        span: Span::new(base + i, base + after + 1),
                        kind: TokenKind::Punct,
                    });
                    continue;
                }
            }
            out.push(Token {
                span: Span::new(base + i, base + i + c.len_utf8()),
                kind: TokenKind::Punct,
            });
            continue;
        }
        let numeric = c.is_ascii_digit();
        let mut end = i + c.len_utf8();
        let mut letters_and_dots = true;
        while let Some(&(j, d)) = it.peek() {
            if d.is_alphanumeric() {
                if !d.is_alphabetic() {
                    letters_and_dots = false;
                }
                end = j + d.len_utf8();
                it.next();
                continue;
            }
            let joins = match d {
                '.' => next_is_alnum(sentence, j + 1),
                ',' => numeric && next_is_digit(sentence, j + 1),
                '\'' | '’' => {
                    next_is_alnum(sentence, j + d.len_utf8())
                        && !is_possessive(sentence, j + d.len_utf8())
                }
                '&' => next_is_alnum(sentence, j + 1),
                _ => false,
            };
            if !joins {
                break;
            }
            if d != '.' {
                letters_and_dots = false;
            }
            end = j + d.len_utf8();
            it.next();
        }
        // "U.S." keeps its final period when it is an acronym of single letters.
        let word = &sentence[i..end];
        if letters_and_dots
            && word.contains('.')
            && word.split('.').all(|p| p.chars().count() == 1)
            && sentence[end..].starts_with('.')
        {
            end += 1;
            it.next();
        }
        out.push(Token {
            span: Span::new(base + i, base + end),
            kind: if numeric {
                TokenKind::Number
            } else {
                TokenKind::Word
            },
        });
    }
}

fn is_word_byte(s: &str, at: usize) -> bool {
    s[at..].chars().next().is_some_and(char::is_alphanumeric)
}

fn next_is_alnum(s: &str, at: usize) -> bool {
    s.get(at..)
        .and_then(|r| r.chars().next())
        .is_some_and(char::is_alphanumeric)
}

fn next_is_digit(s: &str, at: usize) -> bool {
    s.as_bytes().get(at).is_some_and(u8::is_ascii_digit)
}

fn is_possessive(s: &str, at: usize) -> bool {
    let b = s.as_bytes();
    b.get(at) == Some(&b's')
        && !s
            .get(at + 1..)
            .and_then(|r| r.chars().next())
            .is_some_and(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        sentences(text).iter().map(|s| s.span.text(text)).collect()
    }

    #[test]
    fn abbreviations_do_not_split() {
        let t =
            "Mr. Smith met U.S. President George W. Bush in St. Petersburg on Jan. 5. It rained.";
        assert_eq!(
            split(t),
            vec![
                "Mr. Smith met U.S. President George W. Bush in St. Petersburg on Jan. 5.",
                "It rained."
            ]
        );
    }

    #[test]
    fn acronym_at_sentence_end_splits_before_an_opener() {
        let t = "He flew to the U.S. The next day he left. Trade with the U.S. Navy grew.";
        assert_eq!(
            split(t),
            vec![
                "He flew to the U.S.",
                "The next day he left.",
                "Trade with the U.S. Navy grew."
            ]
        );
    }

    #[test]
    fn decimals_quotes_and_questions() {
        let t = "Growth was 3.5 percent. \"We will win,\" he said. \"Will we?\" She asked. Fine!";
        assert_eq!(
            split(t),
            vec![
                "Growth was 3.5 percent.",
                "\"We will win,\" he said.",
                "\"Will we?\"",
                "She asked.",
                "Fine!"
            ]
        );
    }

    #[test]
    fn headings_and_paragraphs() {
        let t = "In the same trench\nIran began to help. Russia agreed.\nThe future\nIt is unclear";
        let s = sentences(t);
        let texts: Vec<&str> = s.iter().map(|s| s.span.text(t)).collect();
        assert_eq!(
            texts,
            vec![
                "In the same trench",
                "Iran began to help.",
                "Russia agreed.",
                "The future",
                "It is unclear"
            ]
        );
        assert!(s[0].heading);
        assert!(!s[1].heading);
        assert_eq!(s[1].paragraph, s[2].paragraph);
        assert_ne!(s[2].paragraph, s[3].paragraph);
    }

    #[test]
    fn blank_line_mode_joins_wrapped_lines() {
        let t =
            "Russia and Iran signed\nan agreement on Monday.\n\nTitle here\nThe next paragraph.";
        let s = sentences(t);
        let texts: Vec<&str> = s.iter().map(|s| s.span.text(t)).collect();
        assert_eq!(
            texts,
            vec![
                "Russia and Iran signed\nan agreement on Monday.",
                "Title here",
                "The next paragraph."
            ]
        );
        assert_eq!(s[0].paragraph, 0);
        assert_eq!(s[1].paragraph, 1);
        assert_eq!(s[2].paragraph, 2);
    }

    #[test]
    fn overlong_sentences_are_cut_at_spaces() {
        let t = "word ".repeat(3000);
        let s = sentences(&t);
        assert!(s.len() >= 3);
        for x in &s {
            assert!(x.span.len() <= MAX_SENTENCE_BYTES);
            assert!(!x.span.text(&t).starts_with(' ') && !x.span.text(&t).ends_with(' '));
        }
        let joined: String = s
            .iter()
            .map(|x| x.span.text(&t))
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(joined, t.trim());
    }

    #[test]
    fn tokens_keep_acronyms_possessives_and_numbers() {
        let t = "Putin's U.S. visit cost $1,000.5 in 1996-1998; it doesn't matter.";
        let mut toks = Vec::new();
        tokenize(t, 0, &mut toks);
        let words: Vec<&str> = toks.iter().map(|k| k.span.text(t)).collect();
        assert_eq!(
            words,
            vec![
                "Putin", "'s", "U.S.", "visit", "cost", "$", "1,000.5", "in", "1996", "-", "1998",
                ";", "it", "doesn't", "matter", "."
            ]
        );
    }
}

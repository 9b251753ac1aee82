//! Tokenisation of a sentence into words, numbers, punctuation and symbols.
//!
//! Offsets are byte ranges into the document text. Kept whole: dotted acronyms and
//! listed abbreviations with their dot ("U.S.", "Gen."), initials ("F."), numbers with
//! separators and decimals ("200,000", "2.5"), hyphenated words ("ex-Soviet") and inner
//! apostrophes ("don't"). Split off: the possessive "'s" ("Ukraine" + "'s"), because the
//! entity is the word before it.

use crate::rules::SegmentationRules;
use annals_doc::{Span, Token, TokenKind};

/// Splits one sentence span of a text into tokens.
pub trait Tokenizer: Send + Sync {
    /// Append the tokens of `text[span]` to `out`, in order.
    fn tokenize(&self, text: &str, span: Span, out: &mut Vec<Token>);
}

/// The rule-based tokenizer.
#[derive(Debug, Clone, Copy)]
pub struct RuleTokenizer {
    rules: &'static SegmentationRules,
}

impl Default for RuleTokenizer {
    fn default() -> Self {
        RuleTokenizer {
            rules: SegmentationRules::builtin(),
        }
    }
}

impl RuleTokenizer {
    /// A tokenizer using `rules` for abbreviations.
    pub fn new(rules: &'static SegmentationRules) -> Self {
        RuleTokenizer { rules }
    }
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

impl Tokenizer for RuleTokenizer {
    fn tokenize(&self, text: &str, span: Span, out: &mut Vec<Token>) {
        let s = &text[span.start..span.end];
        let chars: Vec<(usize, char)> = s.char_indices().collect();
        let at = |k: usize| chars.get(k).map(|&(_, c)| c);
        let off = |k: usize| chars.get(k).map(|&(o, _)| o).unwrap_or(s.len());
        let mut k = 0;
        while k < chars.len() {
            let c = chars[k].1;
            if c.is_whitespace() {
                k += 1;
                continue;
            }
            let begin = k;
            let kind;
            if c.is_alphanumeric() {
                let numeric = c.is_ascii_digit();
                k += 1;
                // Inner joiners must sit between two alphanumerics.
                loop {
                    match at(k) {
                        Some(d) if d.is_alphanumeric() => k += 1,
                        Some(d)
                            if (d == '-'
                                || is_apostrophe(d)
                                || d == '.'
                                || (d == ',' && numeric))
                                && at(k + 1).is_some_and(|e| e.is_alphanumeric())
                                && (d != ',' || at(k + 1).is_some_and(|e| e.is_ascii_digit())) =>
                        {
                            // Possessive "'s" at the end of a word is its own token.
                            if is_apostrophe(d)
                                && matches!(at(k + 1), Some('s') | Some('S'))
                                && !at(k + 2).is_some_and(|e| e.is_alphanumeric())
                            {
                                break;
                            }
                            k += 2
                        }
                        _ => break,
                    }
                }
                let word = &s[off(begin)..off(k)];
                kind = if numeric
                    && word
                        .chars()
                        .all(|d| d.is_ascii_digit() || d == ',' || d == '.')
                {
                    TokenKind::Number
                } else {
                    TokenKind::Word
                };
                // A trailing dot belongs to abbreviations, acronyms and initials.
                if at(k) == Some('.') && kind == TokenKind::Word {
                    let with_dot = &s[off(begin)..off(k + 1)];
                    let single_upper =
                        word.chars().count() == 1 && word.chars().all(char::is_uppercase);
                    if single_upper
                        || word.contains('.')
                        || self.rules.abbreviation(with_dot).is_some()
                    {
                        k += 1;
                    }
                }
            } else if is_apostrophe(c)
                && matches!(at(k + 1), Some('s') | Some('S'))
                && !at(k + 2).is_some_and(|e| e.is_alphanumeric())
                && begin > 0
                && chars[begin - 1].1.is_alphanumeric()
            {
                k += 2;
                kind = TokenKind::Word;
            } else if c == '.' && at(k + 1) == Some('.') {
                while at(k) == Some('.') {
                    k += 1;
                }
                kind = TokenKind::Punct;
            } else if c == '-' && at(k + 1) == Some('-') {
                while at(k) == Some('-') {
                    k += 1;
                }
                kind = TokenKind::Punct;
            } else {
                k += 1;
                kind = if is_punct(c) {
                    TokenKind::Punct
                } else {
                    TokenKind::Symbol
                };
            }
            out.push(Token {
                span: Span::new(span.start + off(begin), span.start + off(k)),
                kind,
            });
        }
    }
}

fn is_punct(c: char) -> bool {
    c.is_ascii_punctuation()
        && !matches!(
            c,
            '$' | '%' | '+' | '<' | '=' | '>' | '^' | '`' | '|' | '~' | '#' | '&' | '*' | '@'
        )
        || matches!(
            c,
            '“' | '”'
                | '‘'
                | '’'
                | '«'
                | '»'
                | '—'
                | '–'
                | '…'
                | '‹'
                | '›'
                | '¿'
                | '¡'
                | '·'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<&str> {
        let mut out = Vec::new();
        RuleTokenizer::default().tokenize(s, Span::new(0, s.len()), &mut out);
        out.iter().map(|t| t.span.slice(s)).collect()
    }

    #[test]
    fn tokens_keep_abbreviations_acronyms_and_initials_whole() {
        assert_eq!(
            toks("Gen. John F. Kerrigan of the U.S. left."),
            vec!["Gen.", "John", "F.", "Kerrigan", "of", "the", "U.S.", "left", "."]
        );
    }

    #[test]
    fn tokens_keep_numbers_whole_and_split_possessives() {
        assert_eq!(
            toks("Ukraine's 200,000 troops, 2.5% (ex-Soviet) don't..."),
            vec![
                "Ukraine",
                "'s",
                "200,000",
                "troops",
                ",",
                "2.5",
                "%",
                "(",
                "ex-Soviet",
                ")",
                "don't",
                "..."
            ]
        );
    }

    #[test]
    fn token_offsets_slice_multibyte_text() {
        let s = "“Élysée’s aide” — said €5";
        assert_eq!(
            toks(s),
            vec!["“", "Élysée", "’s", "aide", "”", "—", "said", "€", "5"]
        );
    }

    #[test]
    fn token_kinds_are_assigned() {
        let s = "Putin 42 , €";
        let mut out = Vec::new();
        RuleTokenizer::default().tokenize(s, Span::new(0, s.len()), &mut out);
        let kinds: Vec<TokenKind> = out.iter().map(|t| t.kind).collect();
        assert_eq!(
            kinds,
            vec![
                TokenKind::Word,
                TokenKind::Number,
                TokenKind::Punct,
                TokenKind::Symbol
            ]
        );
    }
}

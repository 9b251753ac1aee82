//! Phrase lists the tagger consults as features: place names, country names and
//! demonyms, known people and organisations. They come from the knowledge base and
//! the place table (the caller builds the list), so a name the annotated training
//! data never showed is still recognisable — and a user's own list helps too.
//!
//! A match only adds evidence ("these tokens are a city name"); the weights decide.

use rustc_hash::FxHashMap as HashMap;

/// Longest phrase, in tokens, that is looked up.
const MAX_TOKENS: usize = 6;

/// Phrase → the categories it is listed under.
#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    phrases: HashMap<String, u32>,
    /// First words of phrases, each with the length in tokens of its longest phrase:
    /// most tokens start none and are skipped at once, and the others are looked up
    /// only at the lengths a phrase of theirs can have.
    first_words: HashMap<String, usize>,
    categories: Vec<String>,
}

/// Where a token sits in a matched phrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Position {
    /// First of several.
    Begin,
    /// Inside.
    Inside,
    /// Last of several.
    Last,
    /// The whole phrase.
    Unit,
}

impl Gazetteer {
    /// An empty gazetteer.
    pub fn new() -> Self {
        Gazetteer::default()
    }

    /// List `phrase` (tokens separated by single spaces, as written) under `category`.
    /// At most 32 categories.
    pub fn add(&mut self, category: &str, phrase: &str) {
        let cat = match self.categories.iter().position(|c| c == category) {
            Some(k) => k,
            None if self.categories.len() < 32 => {
                self.categories.push(category.to_string());
                self.categories.len() - 1
            }
            None => return,
        };
        // Most phrases are already single-spaced; only rebuild the others.
        let tidy = !phrase.is_empty()
            && !phrase.starts_with(' ')
            && !phrase.ends_with(' ')
            && !phrase.contains("  ")
            && !phrase.contains(['\t', '\n']);
        let key = if tidy {
            phrase.to_string()
        } else {
            phrase.split_whitespace().collect::<Vec<_>>().join(" ")
        };
        let n = key.split(' ').count();
        if key.is_empty() || n > MAX_TOKENS {
            return;
        }
        if let Some(first) = key.split(' ').next() {
            match self.first_words.get_mut(first) {
                Some(longest) => *longest = (*longest).max(n),
                None => {
                    self.first_words.insert(first.to_string(), n);
                }
            }
        }
        match self.phrases.get_mut(key.as_str()) {
            Some(bits) => *bits |= 1 << cat,
            None => {
                self.phrases.insert(key, 1 << cat);
            }
        }
    }

    /// Register categories up front, fixing their order (and so the feature ids)
    /// whatever order phrases are added in.
    pub fn with_categories(categories: &[&str]) -> Self {
        let mut g = Gazetteer::new();
        for c in categories.iter().take(32) {
            g.categories.push(c.to_string());
        }
        g
    }

    /// Number of phrases.
    pub fn len(&self) -> usize {
        self.phrases.len()
    }

    /// Whether it lists nothing.
    pub fn is_empty(&self) -> bool {
        self.phrases.is_empty()
    }

    /// The category names, in bit order.
    pub fn categories(&self) -> &[String] {
        &self.categories
    }

    fn lookup(&self, words: &[&str], key: &mut String) -> u32 {
        key.clear();
        for (k, w) in words.iter().enumerate() {
            if k > 0 {
                key.push(' ');
            }
            key.push_str(w);
        }
        if let Some(&m) = self.phrases.get(key.as_str()) {
            return m;
        }
        // Headlines write names in capitals: "PANAMA CITY" → "Panama City".
        if words.iter().all(|w| w.chars().all(|c| !c.is_lowercase())) {
            key.clear();
            for (k, w) in words.iter().enumerate() {
                if k > 0 {
                    key.push(' ');
                }
                let mut cs = w.chars();
                if let Some(first) = cs.next() {
                    key.push(first);
                    key.extend(cs.flat_map(char::to_lowercase));
                }
            }
            if let Some(&m) = self.phrases.get(key.as_str()) {
                return m;
            }
        }
        0
    }

    /// For each word, the (category, position) pairs of the phrases covering it.
    /// Phrases may overlap; at each start the longest match per category wins.
    pub fn matches(&self, words: &[&str]) -> Vec<Vec<(u8, Position)>> {
        let mut out = vec![Vec::new(); words.len()];
        if self.phrases.is_empty() {
            return out;
        }
        let mut key = String::new();
        for i in 0..words.len() {
            // Names start with a capital letter or a digit-free symbol-free word.
            if !words[i].chars().next().is_some_and(char::is_uppercase) {
                continue;
            }
            let shouting = !words[i].chars().any(char::is_lowercase);
            let as_written = self.first_words.get(words[i]).copied().unwrap_or(0);
            let as_title = if shouting {
                self.first_words
                    .get(&title_case(words[i]))
                    .copied()
                    .unwrap_or(0)
            } else {
                0
            };
            let longest = as_written.max(as_title).min(words.len() - i);
            if longest == 0 {
                continue;
            }
            let mut claimed = 0u32;
            for len in (1..=longest).rev() {
                let m = self.lookup(&words[i..i + len], &mut key) & !claimed;
                if m == 0 {
                    continue;
                }
                claimed |= m;
                for cat in 0..32u8 {
                    if m & (1 << cat) == 0 {
                        continue;
                    }
                    for (k, slot) in out[i..i + len].iter_mut().enumerate() {
                        let pos = match (k, len) {
                            (_, 1) => Position::Unit,
                            (0, _) => Position::Begin,
                            (k, l) if k + 1 == l => Position::Last,
                            _ => Position::Inside,
                        };
                        slot.push((cat, pos));
                    }
                }
            }
        }
        out
    }
}

/// "PANAMA" → "Panama".
fn title_case(w: &str) -> String {
    let mut cs = w.chars();
    match cs.next() {
        Some(first) => first.to_string() + &cs.flat_map(char::to_lowercase).collect::<String>(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_match_per_category_with_positions() {
        let mut g = Gazetteer::new();
        g.add("city", "Panama City");
        g.add("country", "Panama");
        g.add("city", "Panama");
        let m = g.matches(&["in", "PANAMA", "CITY", "today"]);
        assert!(m[0].is_empty());
        // "PANAMA CITY" is the city (longest), "PANAMA" alone the country.
        assert!(m[1].contains(&(0, Position::Begin)));
        assert!(m[2].contains(&(0, Position::Last)));
        assert!(m[1].contains(&(1, Position::Unit)));
        assert!(!m[1].contains(&(0, Position::Unit)));
    }

    #[test]
    fn each_first_word_is_tried_up_to_its_longest_phrase() {
        let mut g = Gazetteer::new();
        g.add("city", "Port Vela");
        g.add("city", "Port Vela Harbour Town");
        g.add("city", "Orsk");
        // "Orsk" starts only a one-word phrase: the capitalised words after it are
        // not looked up with it, and it still matches alone.
        let m = g.matches(&["Orsk", "Harbour", "Town"]);
        assert_eq!(m[0], vec![(0, Position::Unit)]);
        assert!(m[1].is_empty() && m[2].is_empty());
        // "Port" starts a four-word phrase, written in capitals too.
        let m = g.matches(&["PORT", "VELA", "HARBOUR", "TOWN", "today"]);
        assert_eq!(m[0], vec![(0, Position::Begin)]);
        assert_eq!(m[3], vec![(0, Position::Last)]);
        let m = g.matches(&["Port", "Vela", "said"]);
        assert_eq!(m[1], vec![(0, Position::Last)]);
    }
}

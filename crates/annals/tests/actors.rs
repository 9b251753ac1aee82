//! `--actors FILE`: a PETRARCH/Phoenix dictionary adds people with dated codes.
//! Reads the Phoenix country dictionary from `../shared` (never copied into the
//! project); skips when it is absent.

mod util;

use util::{records, run, Scratch};

const PHOENIX: &str =
    "../../../shared/data/events/petrarch2/dictionaries/Phoenix.Countries.actors.txt";

fn code_of(rec: &serde_json::Value, text: &str) -> Option<String> {
    rec["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["text"] == text)
        .and_then(|e| e["actor"]["code"].as_str().map(str::to_string))
}

#[test]
fn phoenix_dictionary_codes_people_by_date() {
    let dict = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(PHOENIX);
    if !dict.exists() {
        eprintln!(
            "skipping: {} not found (shared data absent)",
            dict.display()
        );
        return;
    }
    let dict = dict.display().to_string();
    let s = Scratch::new("actors");
    let doc = s.write(
        "fujimori.txt",
        b"Alberto Fujimori spoke to reporters in Lima on Monday about the new budget.\n",
    );
    let analyse = |date: &str| {
        let out = run(&["analyze", "--date", date, "--actors", &dict, &doc]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        records(&out.stdout).remove(0)
    };
    // In office (1990–2000): government; afterwards the dictionary's fallback (elite).
    assert_eq!(
        code_of(&analyse("1995-06-01"), "Alberto Fujimori").as_deref(),
        Some("PERGOV")
    );
    assert_eq!(
        code_of(&analyse("2005-06-01"), "Alberto Fujimori").as_deref(),
        Some("PERELI")
    );
}

#[test]
fn unreadable_actor_file_is_a_usage_error() {
    let s = Scratch::new("actors-missing");
    let doc = s.write("a.txt", b"Talks resumed.\n");
    let out = run(&["analyze", "--actors", &s.path("nope.txt"), &doc]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("nope.txt"), "{}", out.stderr);
}

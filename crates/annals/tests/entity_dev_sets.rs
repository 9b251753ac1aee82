//! Regression guards on the shared dev sets, computed as `evaluate.py` does (it is
//! the reference; these keep a change from silently losing ground): mention F1 on
//! CoNLL++ dev and Acc@161 on GeoWebNews. Skip when `../shared/data` is absent.

mod util;

use serde_json::{json, Value};
use std::collections::HashSet;
use util::{records, run, Scratch};

fn shared(rel: &str) -> Option<String> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(rel);
    if p.exists() {
        Some(p.display().to_string())
    } else {
        eprintln!("skipping: {} not found (shared data absent)", p.display());
        None
    }
}

/// CoNLL documents: sentences of (word, tag).
fn conll(path: &str) -> Vec<Vec<Vec<(String, String)>>> {
    let (mut docs, mut sents, mut cur) = (Vec::new(), Vec::new(), Vec::new());
    for line in std::fs::read_to_string(path).unwrap().lines() {
        if line.starts_with("-DOCSTART-") {
            if !cur.is_empty() {
                sents.push(std::mem::take(&mut cur));
            }
            if !sents.is_empty() {
                docs.push(std::mem::take(&mut sents));
            }
            continue;
        }
        let parts: Vec<&str> = line.split_whitespace().collect();
        if parts.is_empty() {
            if !cur.is_empty() {
                sents.push(std::mem::take(&mut cur));
            }
            continue;
        }
        cur.push((parts[0].to_string(), parts[parts.len() - 1].to_string()));
    }
    if !cur.is_empty() {
        sents.push(cur);
    }
    if !sents.is_empty() {
        docs.push(sents);
    }
    docs
}

fn analyse_jsonl(s: &Scratch, docs: &[Value]) -> Vec<Value> {
    let lines: Vec<String> = docs.iter().map(|d| d.to_string()).collect();
    let input = s.write("in.jsonl", (lines.join("\n") + "\n").as_bytes());
    let out = run(&["analyze", "--raw", "--format", "jsonl", &input]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    records(&out.stdout)
}

#[test]
fn conll_dev_mention_f1_holds() {
    let Some(path) = shared("ner/conllpp_dev.txt") else {
        return;
    };
    let docs = conll(&path);
    let mut inputs = Vec::new();
    let mut gold: Vec<HashSet<(usize, usize, String)>> = Vec::new();
    for (i, sents) in docs.iter().enumerate() {
        let mut text = String::new();
        let mut g = HashSet::new();
        for s in sents {
            let mut open: Option<(usize, String)> = None;
            let mut last_end = 0;
            for (j, (w, t)) in s.iter().enumerate() {
                if j > 0 {
                    text.push(' ');
                }
                let start = text.chars().count();
                text.push_str(w);
                let end = text.chars().count();
                let typ = t.get(2..).unwrap_or("").to_string();
                let begins = t.starts_with("B-")
                    || (t.starts_with("I-") && open.as_ref().is_none_or(|o| o.1 != typ));
                if let Some((a, ty)) = open.take() {
                    if t == "O" || begins {
                        g.insert((a, last_end, ty));
                    } else {
                        open = Some((a, ty));
                    }
                }
                if t != "O" && open.is_none() {
                    open = Some((start, typ));
                }
                last_end = end;
            }
            if let Some((a, ty)) = open {
                g.insert((a, last_end, ty));
            }
            text.push('\n');
        }
        inputs.push(json!({"id": format!("doc{i}"), "text": text}));
        gold.push(g);
    }
    let s = Scratch::new("conll-dev");
    let recs = analyse_jsonl(&s, &inputs);
    let map = |t: &str| match t {
        "PERSON" => Some("PER"),
        "ORG" => Some("ORG"),
        "GPE" | "LOC" | "FAC" => Some("LOC"),
        "NORP" | "MISC" => Some("MISC"),
        _ => None,
    };
    let (mut tp, mut np, mut ng) = (0, 0, 0);
    for (r, g) in recs.iter().zip(&gold) {
        let p: HashSet<(usize, usize, String)> = r["entities"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|e| {
                Some((
                    e["start"].as_u64()? as usize,
                    e["end"].as_u64()? as usize,
                    map(e["type"].as_str()?)?.to_string(),
                ))
            })
            .collect();
        np += p.len();
        ng += g.len();
        tp += p.intersection(g).count();
    }
    let (pr, rc) = (tp as f64 / np as f64, tp as f64 / ng as f64);
    let f1 = 2.0 * pr * rc / (pr + rc);
    eprintln!("CoNLL++ dev: P={pr:.4} R={rc:.4} F1={f1:.4}");
    assert!(f1 >= 0.90, "mention F1 {f1:.4} < 0.90");
}

#[test]
fn geowebnews_places_land_within_161_km() {
    let Some(path) = shared("geo/geowebnews.jsonl") else {
        return;
    };
    let gold: Vec<Value> = std::fs::read_to_string(&path)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let inputs: Vec<Value> = gold
        .iter()
        .map(|d| json!({"id": format!("{}/{}", d["corpus"].as_str().unwrap(), d["doc"].as_str().unwrap()), "text": d["text"]}))
        .collect();
    let s = Scratch::new("geo-dev");
    let recs = analyse_jsonl(&s, &inputs);
    let km = |a: (f64, f64), b: (f64, f64)| {
        let (la1, lo1, la2, lo2) = (
            a.0.to_radians(),
            a.1.to_radians(),
            b.0.to_radians(),
            b.1.to_radians(),
        );
        let h = ((la2 - la1) / 2.0).sin().powi(2)
            + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
        2.0 * 6371.0 * h.sqrt().min(1.0).asin()
    };
    let (mut located, mut near) = (0, 0);
    for (d, r) in gold.iter().zip(&recs) {
        let g: Vec<&Value> = d["toponyms"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t["nonLocational"] != "Yes")
            .collect();
        let mut used = HashSet::new();
        for p in r["places"].as_array().unwrap() {
            let (ps, pe) = (p["start"].as_i64().unwrap(), p["end"].as_i64().unwrap());
            for (i, t) in g.iter().enumerate() {
                // A few gold offsets are negative (marked offset_ok: false); they
                // overlap nothing, as in evaluate.py.
                let (Some(gs), Some(ge)) = (t["start"].as_i64(), t["end"].as_i64()) else {
                    panic!("gold toponym without offsets: {t}");
                };
                if used.contains(&i) || ps >= ge || gs >= pe {
                    continue;
                }
                used.insert(i);
                if let (Some(a), Some(b), Some(c), Some(e)) = (
                    t["lat"].as_f64(),
                    t["lon"].as_f64(),
                    p["lat"].as_f64(),
                    p["lon"].as_f64(),
                ) {
                    located += 1;
                    near += usize::from(km((a, b), (c, e)) <= 161.0);
                }
                break;
            }
        }
    }
    let acc = near as f64 / located as f64;
    eprintln!("GeoWebNews: Acc@161 {acc:.4} over {located} located toponyms");
    assert!(acc >= 0.90, "Acc@161 {acc:.4} < 0.90");
}

//! The house drawn from its imports (issue 19): `src/service/` and `src/http/` are one-way
//! graphs (no module imports one that imports it back, directly or around a loop), and the
//! edge does not import the pages. Read from the source text, so a new circle fails here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type Graph = BTreeMap<String, BTreeSet<String>>;

/// The Rust files under `dir`, with the unit each belongs to: a file's stem at the top
/// (`mod` for mod.rs), or its folder's name below.
fn units(dir: &Path) -> Vec<(String, String, bool)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            let unit = path.file_name().unwrap().to_string_lossy().into_owned();
            for inner in std::fs::read_dir(&path).unwrap() {
                let inner = inner.unwrap().path();
                if inner.extension().is_some_and(|e| e == "rs") {
                    out.push((unit.clone(), std::fs::read_to_string(&inner).unwrap(), true));
                }
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            let unit = path.file_stem().unwrap().to_string_lossy().into_owned();
            out.push((unit, std::fs::read_to_string(&path).unwrap(), false));
        }
    }
    out
}

/// The names that follow `prefix` in the code (comments left out) of `text`.
fn names_after<'a>(text: &'a str, prefix: &'a str) -> impl Iterator<Item = String> + 'a {
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .flat_map(move |l| {
            l.match_indices(prefix)
                .map(move |(i, _)| &l[i + prefix.len()..])
        })
        .map(|rest| {
            rest.chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect()
        })
}

/// Edges between the units of `crate::<layer>`: `super::x` from a top file, `super::super::x`
/// from a folder's file, `crate::<layer>::x` from anywhere; `super::{`/`super::Type` from a
/// top file is the root (`mod`), and the root's `use x::` is an edge from it.
fn graph(layer: &str) -> Graph {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src")
        .join(layer);
    let files = units(&dir);
    let known: BTreeSet<String> = files.iter().map(|(u, _, _)| u.clone()).collect();
    let mut graph = Graph::new();
    for (unit, text, nested) in &files {
        let mut targets: Vec<String> = names_after(text, &format!("crate::{layer}::")).collect();
        let sibling = if *nested { "super::super::" } else { "super::" };
        for name in names_after(text, sibling) {
            let root = name.is_empty() || name.starts_with(|c: char| c.is_ascii_uppercase());
            targets.push(if root && !*nested { "mod".into() } else { name });
        }
        if unit == "mod" {
            targets.extend(names_after(text, "use ").chain(names_after(text, "pub use ")));
        }
        let edges = graph.entry(unit.clone()).or_default();
        for t in targets {
            if known.contains(&t) && &t != unit {
                edges.insert(t);
            }
        }
    }
    graph
}

/// A loop in `graph`, if there is one, as the path around it.
fn find_loop(graph: &Graph) -> Option<Vec<String>> {
    fn visit(
        graph: &Graph,
        node: &str,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|n| n == node) {
            let mut found = path[i..].to_vec();
            found.push(node.to_owned());
            return Some(found);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(found) = visit(graph, next, path, done) {
                return Some(found);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|n| visit(graph, n, &mut Vec::new(), &mut done))
}

#[test]
fn the_service_layer_is_a_one_way_graph() {
    let graph = graph("service");
    assert!(graph.len() > 10, "the service modules were read: {graph:?}");
    assert!(graph["mfa"].contains("proof"), "edges are seen: {graph:?}");
    if let Some(found) = find_loop(&graph) {
        panic!("service/ has a circle: {}", found.join(" -> "));
    }
}

#[test]
fn the_http_layer_has_no_circle_below_its_root_and_the_edge_imports_no_page() {
    let mut graph = graph("http");
    assert!(
        graph.contains_key("pages") && graph.contains_key("edge"),
        "{graph:?}"
    );
    assert!(
        !graph["edge"].contains("pages"),
        "the edge imports the pages: {:?}",
        graph["edge"]
    );
    // The root assembles the routers of every module: only what lies below it counts.
    graph.remove("mod");
    for edges in graph.values_mut() {
        edges.remove("mod");
    }
    if let Some(found) = find_loop(&graph) {
        panic!("http/ has a circle: {}", found.join(" -> "));
    }
}

#[test]
fn a_circle_is_found_when_there_is_one() {
    let mut graph = Graph::new();
    graph.entry("a".into()).or_default().insert("b".into());
    graph.entry("b".into()).or_default().insert("c".into());
    graph.entry("c".into()).or_default().insert("a".into());
    assert_eq!(find_loop(&graph).unwrap(), ["a", "b", "c", "a"]);
    graph.get_mut("c").unwrap().clear();
    assert_eq!(find_loop(&graph), None);
}

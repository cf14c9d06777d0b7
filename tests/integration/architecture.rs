//! The layout rule of `docs/architecture.md`, read from the sources: the flow
//! content → answers → engine → report/training/plan/diary → render → cli
//! runs one way. A plain text check of every `crate::` path in the code
//! (test modules excluded: a test may reach any layer it needs).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Each top-level module and its layer: a module may name only modules of
/// its own layer or below. Keep in step with `docs/architecture.md`.
const LAYERS: &[(&str, u8)] = &[
    ("model", 0),
    ("content", 0),
    ("files", 0),
    ("answers", 1),
    ("error", 2),
    ("engine", 3),
    ("report", 4),
    ("checks", 5),
    ("questionnaire", 5),
    ("training", 5),
    ("plan", 5),
    ("diary", 6),
    ("render", 7),
    ("cli", 8),
];

fn layer(module: &str) -> Option<u8> {
    LAYERS.iter().find(|(m, _)| *m == module).map(|(_, l)| *l)
}

/// Every `.rs` file under `src/`, with the top-level module it belongs to.
fn sources() -> Vec<(PathBuf, String)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("src is readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    walk(&src, &mut files);
    files
        .into_iter()
        .filter_map(|path| {
            let rel = path.strip_prefix(&src).expect("under src");
            let first = rel.components().next()?.as_os_str().to_str()?.to_owned();
            let module = first.trim_end_matches(".rs").to_owned();
            (module != "lib" && module != "main").then_some((path, module))
        })
        .collect()
}

/// The code of a file without its test modules: everything before the
/// first `#[cfg(test)]`, and nothing of a file that is itself a test module.
fn code_of(path: &Path) -> String {
    if path.file_name().is_some_and(|n| n == "tests.rs") {
        return String::new();
    }
    let text = std::fs::read_to_string(path).expect("source is readable");
    let end = text.find("#[cfg(test)]").unwrap_or(text.len());
    text[..end]
        .lines()
        .filter(|l| {
            let t = l.trim_start();
            !t.starts_with("//")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level modules a piece of code names as `crate::NAME`.
fn named_modules(code: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() {
            found.insert(name);
        }
    }
    found
}

#[test]
fn imports_follow_the_flow() {
    let mut wrong = Vec::new();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (path, module) in sources() {
        let Some(own) = layer(&module) else {
            wrong.push(format!(
                "{}: top-level module `{module}` has no layer in LAYERS (and docs/architecture.md)",
                path.display()
            ));
            continue;
        };
        for target in named_modules(&code_of(&path)) {
            if target == module {
                continue;
            }
            let Some(theirs) = layer(&target) else {
                continue;
            };
            edges
                .entry(module.clone())
                .or_default()
                .insert(target.clone());
            if theirs > own {
                wrong.push(format!(
                    "{}: `{module}` (layer {own}) imports `crate::{target}` (layer {theirs}), which is above it",
                    path.display()
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the flow:\n{}",
        wrong.join("\n")
    );

    // Modules of one layer may use each other, but never both ways round.
    for (from, tos) in &edges {
        for to in tos {
            assert!(
                !edges.get(to).is_some_and(|back| back.contains(from)),
                "an import cycle: `{from}` and `{to}` import each other"
            );
        }
    }
}

#[test]
fn only_cli_knows_cli_and_only_cli_and_render_know_render() {
    let mut wrong = Vec::new();
    for (path, module) in sources() {
        let named = named_modules(&code_of(&path));
        if module != "cli" && named.contains("cli") {
            wrong.push(format!("{}: imports crate::cli", path.display()));
        }
        if module != "cli" && module != "render" && named.contains("render") {
            wrong.push(format!(
                "{}: a domain module imports crate::render",
                path.display()
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_check_sees_an_upward_import() {
    // The reader itself: a domain module naming the renderer is caught.
    let named = named_modules("use crate::render::wrap;\nlet x = crate::engine::assess(p, a);");
    assert!(named.contains("render") && named.contains("engine"));
    assert!(layer("render") > layer("plan"));
    assert!(named_modules("// crate::cli in a comment\n").contains("cli"));
    let code = "fn f() {}\n// crate::cli::emit\n#[cfg(test)]\nmod tests { use crate::cli; }";
    let path = std::env::temp_dir().join(format!("kt-arch-{}.rs", std::process::id()));
    std::fs::write(&path, code).expect("temp file");
    let seen = named_modules(&code_of(&path));
    let _ = std::fs::remove_file(&path);
    assert!(
        seen.is_empty(),
        "comments and test modules are not code: {seen:?}"
    );
}

#[test]
fn no_source_file_has_more_than_800_lines_of_code() {
    let long: Vec<String> = sources()
        .into_iter()
        .filter_map(|(path, _)| {
            let text = std::fs::read_to_string(&path).expect("source is readable");
            let end = text.find("#[cfg(test)]").unwrap_or(text.len());
            let lines = text[..end].lines().count();
            (lines > 800).then(|| format!("{}: {lines} lines before its tests", path.display()))
        })
        .collect();
    assert!(
        long.is_empty(),
        "split these along their seams:\n{}",
        long.join("\n")
    );
}

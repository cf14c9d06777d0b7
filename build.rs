//! Compiles the embedded content pack at build time.
//!
//! The loader and validator (`src/content/`, `src/model.rs`) are compiled
//! into this script too, so the pack is checked by exactly the code the
//! binary uses; the validated pack is written to `$OUT_DIR/pack.postcard`
//! and decoded at start-up (`src/content/prebuilt.rs`), which costs a few
//! tens of microseconds instead of about a millisecond for the TOML. An
//! invalid pack writes an empty file: the binary then compiles the sources
//! at run time and reports every problem as `file:line:column`. The plan
//! part (`plan.toml`, `src/plan/pack.rs`) is prebuilt the same way, to
//! `$OUT_DIR/plan.postcard`, so `checkin` and `history` do not parse it.
//!
//! The modules included here may use only std, serde, toml, thiserror and
//! schemars and sha2 (the build dependencies); checks that need the engine live in
//! `src/checks/`, outside the loader.

use std::path::PathBuf;

#[allow(dead_code, unused_imports)]
#[path = "src/model.rs"]
mod model;

// `prebuilt_pack` is the cfg this script sets for the library, not for itself.
#[allow(dead_code, unused_imports, unexpected_cfgs)]
#[path = "src/content/mod.rs"]
mod content;

#[allow(dead_code, unused_imports)]
#[path = "src/plan/pack.rs"]
mod plan_pack;

fn main() {
    println!("cargo::rerun-if-changed=content");
    println!("cargo::rerun-if-changed=src/model.rs");
    println!("cargo::rerun-if-changed=src/content");
    println!("cargo::rerun-if-changed=src/plan/pack.rs");
    println!("cargo::rustc-check-cfg=cfg(prebuilt_pack)");
    println!("cargo::rustc-cfg=prebuilt_pack");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let sources = content::embedded_sources();
    let (bytes, plan) = match content::load(&sources) {
        Ok(mut pack) => {
            // An invalid plan leaves its file empty: the binary reports it.
            let plan = match plan_pack::load(&pack, &sources) {
                Ok(Some(plan)) => postcard::to_stdvec(&plan).expect("a plan serializes"),
                _ => Vec::new(),
            };
            pack.meta.hash = content::embedded_hash();
            (postcard::to_stdvec(&pack).expect("a pack serializes"), plan)
        }
        Err(e) => {
            let first = e.to_string();
            let first = first.lines().next().unwrap_or_default();
            println!(
                "cargo::warning=the embedded content pack is invalid ({first}); the binary will report it"
            );
            (Vec::new(), Vec::new())
        }
    };
    std::fs::write(out.join("pack.postcard"), bytes).expect("OUT_DIR is writable");
    std::fs::write(out.join("plan.postcard"), plan).expect("OUT_DIR is writable");
}

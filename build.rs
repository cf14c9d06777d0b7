//! Compiles the embedded content pack at build time.
//!
//! The loader and validator (`src/content/`, `src/model.rs`) are compiled
//! into this script too, so the pack is checked by exactly the code the
//! binary uses; the validated pack is written to `$OUT_DIR/pack.postcard`
//! and decoded at start-up (`src/content/prebuilt.rs`), which costs a few
//! tens of microseconds instead of about a millisecond for the TOML. An
//! invalid pack writes an empty file: the binary then compiles the sources
//! at run time and reports every problem as `file:line:column`.
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

fn main() {
    println!("cargo::rerun-if-changed=content");
    println!("cargo::rerun-if-changed=src/model.rs");
    println!("cargo::rerun-if-changed=src/content");
    println!("cargo::rustc-check-cfg=cfg(prebuilt_pack)");
    println!("cargo::rustc-cfg=prebuilt_pack");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let bytes = match content::load(&content::embedded_sources()) {
        Ok(mut pack) => {
            pack.meta.hash = content::embedded_hash();
            postcard::to_stdvec(&pack).expect("a pack serializes")
        }
        Err(e) => {
            let first = e.to_string();
            let first = first.lines().next().unwrap_or_default();
            println!(
                "cargo::warning=the embedded content pack is invalid ({first}); the binary will report it"
            );
            Vec::new()
        }
    };
    std::fs::write(out.join("pack.postcard"), bytes).expect("OUT_DIR is writable");
}

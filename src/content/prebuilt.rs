//! The embedded pack as `build.rs` compiled it: the validated [`Pack`],
//! serialized with postcard, so start-up decodes it instead of parsing and
//! checking the TOML on every run.

use crate::model::Pack;

/// Empty when the build found the pack invalid.
static PACK: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/pack.postcard"));

/// The prebuilt pack, or `None` when there is none (an invalid pack).
pub fn pack() -> Option<Pack> {
    decode(PACK)
}

/// A part of the pack `build.rs` wrote to `$OUT_DIR`: `None` when the file
/// is empty (the build found the part invalid, so the sources are compiled
/// at run time and their problems reported).
pub fn decode<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Option<T> {
    if bytes.is_empty() {
        return None;
    }
    postcard::from_bytes(bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The prebuilt pack is exactly what compiling the embedded sources gives.
    #[test]
    fn prebuilt_pack_equals_the_compiled_sources() {
        let prebuilt = pack().expect("the embedded pack is valid and prebuilt");
        let mut compiled = super::super::load(&super::super::embedded_sources()).expect("valid");
        compiled.meta.hash = super::super::embedded_hash();
        assert_eq!(prebuilt.meta.hash.len(), 64);
        assert_eq!(format!("{prebuilt:?}"), format!("{compiled:?}"));
    }
}

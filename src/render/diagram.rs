//! A small drawing of the knee, front and back, for the location question
//! and the human report. Plain box-drawing characters: the marked spot is a
//! `●` with its name in capitals, so it reads the same without colour.

/// The places the drawing can mark, by the contract's `location` values.
/// Value, name on the drawing, name in the legend.
const SPOTS: [(&str, &str, &str); 5] = [
    ("inner", "inner", "the inner side"),
    ("front", "kneecap", "around or behind the kneecap"),
    ("outer", "outer", "the outer side"),
    ("below-kneecap", "below kneecap", "just below the kneecap"),
    ("back", "back of knee", "the back of the knee"),
];

/// Columns the side-by-side drawing needs.
pub const WIDE: usize = 74;

/// The knee drawing with `location` marked (`diffuse` marks every spot).
/// Side by side when `width` allows, else the back view below the front.
pub fn knee(location: Option<&str>, width: usize, color: bool) -> String {
    let marked = |value: &str| location.is_some_and(|l| l == value || l == "diffuse");
    let label = |value: &str, slot: usize| -> String {
        let name = SPOTS
            .iter()
            .find(|(v, _, _)| *v == value)
            .map_or(value, |(_, n, _)| n);
        if marked(value) {
            let text = center(&format!("●{}", name.to_uppercase()), slot);
            if color {
                // Paint the words only, so the padding keeps its width.
                let trimmed = text.trim();
                text.replacen(trimmed, &format!("\x1b[1;31m{trimmed}\x1b[0m"), 1)
            } else {
                text
            }
        } else {
            center(name, slot)
        }
    };

    let front = [
        center("FRONT", 33),
        format!("{}│   thigh   │{}", " ".repeat(10), " ".repeat(11)),
        format!("╭{}┴───────────┴{}╮", "─".repeat(9), "─".repeat(9)),
        format!("│{}╭─────────╮{}│", " ".repeat(10), " ".repeat(10)),
        format!(
            "│ {}│{}│{} │",
            label("inner", 9),
            label("front", 9),
            label("outer", 9)
        ),
        format!("│{}╰─────────╯{}│", " ".repeat(10), " ".repeat(10)),
        format!("│{}│", label("below-kneecap", 31)),
        format!("╰{}┬───────────┬{}╯", "─".repeat(9), "─".repeat(9)),
        format!("{}│   shin    │{}", " ".repeat(10), " ".repeat(11)),
    ];
    let back = [
        center("BACK", 33),
        format!("{}│   thigh   │{}", " ".repeat(10), " ".repeat(11)),
        format!("╭{}┴───────────┴{}╮", "─".repeat(9), "─".repeat(9)),
        format!("│{}│", " ".repeat(31)),
        format!("│{}│", label("back", 31)),
        format!("│{}│", " ".repeat(31)),
        format!("│{}│", " ".repeat(31)),
        format!("╰{}┬───────────┬{}╯", "─".repeat(9), "─".repeat(9)),
        format!("{}│   shin    │{}", " ".repeat(10), " ".repeat(11)),
    ];

    let mut out = String::new();
    if width >= WIDE {
        for (f, b) in front.iter().zip(back.iter()) {
            out.push_str(format!("  {f}      {b}").trim_end());
            out.push('\n');
        }
    } else {
        for line in front
            .iter()
            .chain(std::iter::once(&String::new()))
            .chain(back.iter())
        {
            out.push_str(format!("  {line}").trim_end());
            out.push('\n');
        }
    }
    out.push_str(&legend(location));
    out
}

fn legend(location: Option<&str>) -> String {
    let mut out = String::from("  Inner is the side facing the other knee.\n");
    match location {
        Some("diffuse") => out.push_str("  ● Where it hurts: all over, hard to pin down.\n"),
        Some(l) => {
            if let Some((_, _, name)) = SPOTS.iter().find(|(v, _, _)| *v == l) {
                out.push_str(&format!("  ● Where it hurts: {name}.\n"));
            }
        }
        None => {}
    }
    out
}

/// `text` centred in `width` columns (counted in characters).
fn center(text: &str, width: usize) -> String {
    let len = text.chars().count();
    if len >= width {
        return text.to_owned();
    }
    let left = (width - len) / 2;
    format!(
        "{}{}{}",
        " ".repeat(left),
        text,
        " ".repeat(width - len - left)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fits_80_columns_and_marks_one_spot() {
        for loc in [
            "inner",
            "front",
            "below-kneecap",
            "outer",
            "back",
            "diffuse",
        ] {
            let d = knee(Some(loc), 80, false);
            for line in d.lines() {
                assert!(line.chars().count() <= 80, "{loc}: {line:?}");
            }
            let marks = d.matches('●').count();
            let expected = if loc == "diffuse" { 6 } else { 2 };
            assert_eq!(marks, expected, "{loc}:\n{d}");
        }
    }

    #[test]
    fn narrow_stacks_the_views() {
        let d = knee(Some("back"), 50, false);
        assert!(d.lines().all(|l| l.chars().count() <= 50), "{d}");
        assert!(d.contains("●BACK OF KNEE"));
    }

    #[test]
    fn colour_keeps_the_frame_aligned() {
        let plain = knee(Some("outer"), 80, false);
        let coloured = knee(Some("outer"), 80, true);
        let stripped = coloured.replace("\x1b[1;31m", "").replace("\x1b[0m", "");
        assert_eq!(plain, stripped);
    }
}

#[cfg(test)]
mod snapshots {
    use super::knee;

    #[test]
    fn every_location_at_80_columns() {
        let mut all = String::new();
        for loc in [
            None,
            Some("inner"),
            Some("front"),
            Some("below-kneecap"),
            Some("outer"),
            Some("back"),
            Some("diffuse"),
        ] {
            all.push_str(&format!("--- {loc:?}\n{}", knee(loc, 80, false)));
        }
        insta::assert_snapshot!(all);
    }

    #[test]
    fn stacked_when_narrow() {
        insta::assert_snapshot!(knee(Some("below-kneecap"), 60, false));
    }
}

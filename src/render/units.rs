//! The unit a person reads distances in. Everything inside the program is
//! kilometres (and JSON always is); only what a person reads is converted,
//! here, at the last step.

/// Kilometres in one international mile.
pub const KM_PER_MILE: f64 = 1.609_344;

/// `--units km|mi`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Units {
    #[default]
    Km,
    Mi,
}

impl Units {
    /// The names `--units`, `KNEE_TRIAGE_UNITS` and the config file take.
    pub const NAMES: [&'static str; 2] = ["km", "mi"];

    pub fn from_name(name: &str) -> Option<Units> {
        match name.trim().to_ascii_lowercase().as_str() {
            "km" | "kilometres" | "kilometers" => Some(Units::Km),
            "mi" | "mile" | "miles" => Some(Units::Mi),
            _ => None,
        }
    }

    /// The short label after a number: `km` or `mi`.
    pub fn label(self) -> &'static str {
        match self {
            Units::Km => "km",
            Units::Mi => "mi",
        }
    }

    /// A distance in kilometres, in this unit.
    pub fn from_km(self, km: f64) -> f64 {
        match self {
            Units::Km => km,
            Units::Mi => km / KM_PER_MILE,
        }
    }

    /// A distance for a person: one decimal and the unit ("5.0 km", "3.1 mi").
    pub fn distance(self, km: f64) -> String {
        format!("{:.1} {}", self.from_km(km), self.label())
    }
}

/// A distance in the unit as a bare number for a person: one decimal
/// under 100 and whole above, no trailing `.0` ("3.1", "497").
pub fn amount(km: f64, units: Units) -> String {
    let v = units.from_km(km);
    let v = if v.abs() >= 100.0 {
        v.round()
    } else {
        (v * 10.0).round() / 10.0
    };
    crate::answers::format_number(v)
}

/// Every distance a text gives in km ("54.1 km", "500 to 800 km",
/// "500-800 km") in the unit; the rest as it is. Pack texts, evidence and
/// reasons are written in km, so a runner who reads miles gets miles
/// everywhere without a second copy of the pack.
pub fn convert_text(text: &str, units: Units) -> String {
    if units == Units::Km || !text.contains("km") {
        return text.to_owned();
    }
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut from = 0;
    while let Some(off) = text[from..].find("km") {
        let k = from + off;
        from = k + 2;
        // "km" as a word: not "kms", "km/h", "bookmark".
        if b.get(k + 2)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'/' || *c == b'_')
            || (k > 0 && (b[k - 1].is_ascii_alphabetic() || b[k - 1] == b'_'))
        {
            continue;
        }
        let end = if k > 0 && b[k - 1] == b' ' { k - 1 } else { k };
        let Some((start, second)) = number_before(text, end) else {
            continue;
        };
        let mut range = None;
        for sep in [" to ", " - ", " \u{2013} ", "-", "\u{2013}"] {
            if let Some(head) = text[..start].strip_suffix(sep)
                && let Some((s, first)) = number_before(text, head.len())
            {
                range = Some((s, first, sep));
                break;
            }
        }
        let begin = range.map_or(start, |(s, _, _)| s);
        if begin < copied {
            continue;
        }
        out.push_str(&text[copied..begin]);
        if let Some((_, first, sep)) = range {
            out.push_str(&amount(first, units));
            out.push_str(sep);
        }
        out.push_str(&amount(second, units));
        out.push_str(&text[end..k]);
        out.push_str(units.label());
        copied = k + 2;
    }
    out.push_str(&text[copied..]);
    out
}

/// The number that ends at byte `end` ("54.1" in "ran 54.1") and where it
/// starts; `None` when there is none or it is part of a word ("v2").
fn number_before(text: &str, end: usize) -> Option<(usize, f64)> {
    let b = text.as_bytes();
    let mut s = end;
    while s > 0 && (b[s - 1].is_ascii_digit() || b[s - 1] == b'.') {
        s -= 1;
    }
    while s < end && b[s] == b'.' {
        s += 1;
    }
    if s == end || (s > 0 && (b[s - 1].is_ascii_alphabetic() || b[s - 1] == b'_')) {
        return None;
    }
    text[s..end].parse().ok().map(|n| (s, n))
}

/// The report as a person reads it in `units`: every text that gives a
/// distance in km gives it in the unit. The JSON report is never passed
/// through this; it stays in km.
pub fn report_in(report: &crate::report::Report, units: Units) -> crate::report::Report {
    let mut r = report.clone();
    if units == Units::Km {
        return r;
    }
    let c = |t: &mut String| *t = convert_text(t, units);
    r.triage.reasons.iter_mut().for_each(c);
    for (_, phrases) in &mut r.triage.reason_parts {
        phrases.iter_mut().for_each(c);
    }
    c(&mut r.next_steps.running_text);
    c(&mut r.next_steps.get_help);
    for o in &mut r.conditions_outside_knee {
        c(&mut o.because);
        c(&mut o.about);
    }
    for cause in &mut r.causes {
        cause.evidence.iter_mut().for_each(c);
        cause.against.iter_mut().for_each(c);
        c(&mut cause.about);
        for rule in &mut cause.rules {
            c(&mut rule.text);
        }
    }
    if let Some(note) = &mut r.no_clear_pattern {
        c(note);
    }
    for a in &mut r.advice {
        c(&mut a.title);
        c(&mut a.text);
    }
    for a in &mut r.answers_from {
        c(&mut a.phrase);
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_in_text_are_converted() {
        let mi = Units::Mi;
        let t = |s: &str| convert_text(s, mi);
        assert_eq!(
            t("54.1 km in the last 7 days"),
            "33.6 mi in the last 7 days"
        );
        assert_eq!(t("every 500-800 km;"), "every 311-497 mi;");
        assert_eq!(
            t("from 20 km to 30 km a week"),
            "from 12.4 mi to 18.6 mi a week"
        );
        assert_eq!(t("after 500 to 800 km, and"), "after 311 to 497 mi, and");
        assert_eq!(t("10km"), "6.2mi");
        assert_eq!(t("a pace of 12 km/h, 3 kms"), "a pace of 12 km/h, 3 kms");
        assert_eq!(t("km a week; weekly_km 30"), "km a week; weekly_km 30");
        assert_eq!(t("v2 km"), "v2 km");
        assert_eq!(convert_text("54.1 km", Units::Km), "54.1 km");
        assert_eq!(amount(KM_PER_MILE * 10.0, mi), "10");
    }

    #[test]
    fn miles_are_converted_only_for_people() {
        assert_eq!(Units::Km.distance(5.0), "5.0 km");
        assert_eq!(Units::Mi.distance(5.0), "3.1 mi");
        assert_eq!(Units::Mi.distance(KM_PER_MILE * 26.2), "26.2 mi");
        assert_eq!(Units::from_name("MI"), Some(Units::Mi));
        assert_eq!(Units::from_name("miles"), Some(Units::Mi));
        assert_eq!(Units::from_name("furlongs"), None);
        assert_eq!(Units::default(), Units::Km);
    }
}

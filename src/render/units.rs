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

#[cfg(test)]
mod tests {
    use super::*;

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

//! Where and when to be seen (contract v3): the care each level comes in.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Level;

/// Where and when to be seen (contract v3), ordered from the least to the
/// most urgent, so `max` picks the report's care. Each care belongs to one
/// level ([`Care::level`]).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
// `SelfCare` is the contract's `self-care`, as for `Level`.
#[allow(clippy::enum_variant_names)]
pub enum Care {
    SelfCare,
    Professional,
    DoctorSoon,
    SameDay,
    EmergencyDepartment,
    Ambulance,
}

impl Care {
    pub const ALL: [Care; 6] = [
        Care::SelfCare,
        Care::Professional,
        Care::DoctorSoon,
        Care::SameDay,
        Care::EmergencyDepartment,
        Care::Ambulance,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Care::SelfCare => "self-care",
            Care::Professional => "professional",
            Care::DoctorSoon => "doctor-soon",
            Care::SameDay => "same-day",
            Care::EmergencyDepartment => "emergency-department",
            Care::Ambulance => "ambulance",
        }
    }

    pub fn from_name(s: &str) -> Option<Care> {
        Care::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub fn index(self) -> usize {
        self as usize
    }

    /// The level this care belongs to (the contract's Levels table).
    pub fn level(self) -> Level {
        match self {
            Care::SelfCare => Level::SelfCare,
            Care::Professional => Level::SeeProfessional,
            Care::DoctorSoon | Care::SameDay => Level::Urgent,
            Care::EmergencyDepartment | Care::Ambulance => Level::Emergency,
        }
    }

    /// The care of a rule that names none: its level's least urgent one, so
    /// a pack written before v3 keeps its meaning.
    pub fn default_for(level: Level) -> Care {
        Care::ALL
            .into_iter()
            .find(|c| c.level() == level)
            .unwrap_or(Care::SelfCare)
    }

    /// The cares that belong to a level, least urgent first.
    pub fn of_level(level: Level) -> Vec<Care> {
        Care::ALL
            .into_iter()
            .filter(|c| c.level() == level)
            .collect()
    }
}

impl fmt::Display for Care {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

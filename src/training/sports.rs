//! One name for each sport, whatever the file calls it: Strava's activity
//! types (`Run`, `Ride`, `Swim`, `Walk`, `Hike`, `Workout`, ...), so the
//! same swim read from a FIT file and from Strava's GPX is one `Swim`
//! (and so counted once), and `other_activities` reads the same for every
//! source. A track that names no sport is judged by its average speed
//! ([`untyped`]).

use super::Sport;

/// The name for an activity with no sport whose speed is not a run's.
pub const UNTYPED: &str = "untyped";

/// An average speed in this range (km/h, inclusive) makes an untyped track
/// a run: brisk walking is below it, cycling and driving above it.
pub const RUN_SPEED_KMH: (f64, f64) = (5.0, 20.0);

/// A sport from a name (Strava's CSV type, a GPX `<type>`, a TCX `Sport`,
/// Garmin's type keys), as Strava's activity type.
pub fn from_name(name: &str) -> Sport {
    let trimmed = name.trim();
    if trimmed.is_empty() {
        return Sport::Other(UNTYPED.into());
    }
    // Strava's GPX writes its own type numbers.
    if let Ok(n) = trimmed.parse::<u32>() {
        return strava_number(n);
    }
    // One key for "Trail Run", "trail_running", "TrailRunning", "trail-run".
    let key: String = trimmed
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let name = match key.as_str() {
        "run" | "running" | "trailrun" | "trailrunning" | "virtualrun" | "treadmill"
        | "treadmillrunning" | "trackrunning" | "streetrunning" | "indoorrunning" | "ultrarun"
        | "obstaclerun" => return Sport::Run,
        "ride" | "cycling" | "biking" | "roadbiking" | "roadcycling" | "mountainbiking"
        | "mountainbikeride" | "gravelride" | "gravelcycling" | "cyclocross" | "trackcycling"
        | "recumbentcycling" | "downhillbiking" | "bmx" | "bike" | "indoorcycling" => "Ride",
        "virtualride" | "virtualcycling" => "VirtualRide",
        "ebikeride" | "ebiking" | "ebikemountainride" | "emountainbikeride" | "emountainbiking" => {
            "EBikeRide"
        }
        "swim" | "swimming" | "lapswimming" | "openwaterswimming" | "poolswimming" => "Swim",
        "walk" | "walking" | "casualwalking" | "speedwalking" | "indoorwalking" => "Walk",
        "hike" | "hiking" | "mountaineering" => "Hike",
        "workout" | "generic" | "other" | "training" | "fitnessequipment" | "indoorcardio"
        | "uncategorized" | "multisport" | "hiit" | "cardio" => "Workout",
        "weighttraining" | "strengthtraining" => "WeightTraining",
        "transition" => "Transition",
        "yoga" => "Yoga",
        "crossfit" => "Crossfit",
        "elliptical" => "Elliptical",
        "stairstepper" | "stairclimbing" => "StairStepper",
        "rowing" | "indoorrowing" => "Rowing",
        "nordicski" | "crosscountryskiing" | "backcountryskiing" | "backcountryski" => "NordicSki",
        "alpineski" | "alpineskiing" | "resortskiing" => "AlpineSki",
        "snowboard" | "snowboarding" => "Snowboard",
        "snowshoe" | "snowshoeing" => "Snowshoe",
        "iceskate" | "iceskating" => "IceSkate",
        "inlineskate" | "inlineskating" => "InlineSkate",
        "kayaking" => "Kayaking",
        "canoeing" | "paddling" => "Canoeing",
        "standuppaddling" | "standuppaddleboarding" => "StandUpPaddling",
        "surfing" => "Surfing",
        "windsurf" | "windsurfing" => "Windsurf",
        "kitesurf" | "kitesurfing" => "Kitesurf",
        "sail" | "sailing" => "Sail",
        "rockclimbing" | "rockclimb" | "bouldering" | "indoorclimbing" => "RockClimbing",
        "golf" => "Golf",
        "soccer" | "football" => "Soccer",
        "tennis" => "Tennis",
        "wheelchair" => "Wheelchair",
        "handcycle" => "Handcycle",
        "velomobile" => "Velomobile",
        "skateboard" | "skateboarding" => "Skateboard",
        "rollerski" | "rollerskiing" => "RollerSki",
        "driving" | "motorcycling" => "Drive",
        "untyped" => UNTYPED,
        _ => return Sport::Other(camel(trimmed)),
    };
    Sport::Other(name.into())
}

/// An unknown name in Strava's style: words capitalised and joined
/// ("pickle ball" → "PickleBall"), at most 40 characters.
fn camel(name: &str) -> String {
    let mut out = String::new();
    for word in name.split(|c: char| !c.is_alphanumeric()) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.extend(first.to_uppercase());
            out.push_str(chars.as_str());
        }
    }
    if out.is_empty() {
        return "Workout".into();
    }
    out.chars().take(40).collect()
}

/// Strava's activity type numbers, as its GPX exports write them in
/// `<type>`.
fn strava_number(n: u32) -> Sport {
    let name = match n {
        9 => return Sport::Run,
        1 => "Ride",
        2 => "AlpineSki",
        3 => "NordicSki",
        4 => "Hike",
        5 => "IceSkate",
        6 => "InlineSkate",
        7 => "NordicSki",
        8 => "RollerSki",
        10 => "Walk",
        11 => "Workout",
        12 => "Snowboard",
        13 => "Snowshoe",
        14 => "Kitesurf",
        15 => "Windsurf",
        16 => "Swim",
        17 => "VirtualRide",
        18 => "EBikeRide",
        _ => "Workout",
    };
    Sport::Other(name.into())
}

/// FIT's `sport` (and `sub_sport`) numbers from the FIT profile, as
/// Strava's activity types. `None`: the file names no sport.
pub fn from_fit(sport: u8, sub_sport: Option<u8>) -> Option<Sport> {
    let name = match (sport, sub_sport) {
        (0xFF, _) => return None,
        (1, _) => return Some(Sport::Run),
        (2, Some(58)) => "VirtualRide",
        (2, _) => "Ride",
        (3, _) => "Transition",
        (4, Some(15)) => "Elliptical",
        (4, Some(16)) => "StairStepper",
        (4, Some(14)) => "Rowing",
        (5, _) => "Swim",
        (7, _) => "Soccer",
        (8, _) => "Tennis",
        (10, Some(20)) => "WeightTraining",
        (10, Some(43)) => "Yoga",
        (11, _) => "Walk",
        (12, _) => "NordicSki",
        (13, _) => "AlpineSki",
        (14, _) => "Snowboard",
        (15, _) => "Rowing",
        (16 | 17, _) => "Hike",
        (19, _) => "Canoeing",
        (21, _) => "EBikeRide",
        (22 | 24, _) => "Drive",
        (25, _) => "Golf",
        (30, _) => "InlineSkate",
        (31, _) => "RockClimbing",
        (32, _) => "Sail",
        (33, _) => "IceSkate",
        (35, _) => "Snowshoe",
        (37, _) => "StandUpPaddling",
        (38, _) => "Surfing",
        (41, _) => "Kayaking",
        (43, _) => "Windsurf",
        (44, _) => "Kitesurf",
        (66, _) => "Wheelchair",
        // generic (0), fitness equipment (4), training (10), multisport
        // (18) and the rest: Strava's catch-all.
        _ => "Workout",
    };
    Some(Sport::Other(name.into()))
}

/// A track that names no sport: a run when its average speed, distance
/// over the time from its first to its last point, is 5–20 km/h; else
/// `untyped`. Without a time span there is no speed, so no run.
pub fn untyped(km: f64, seconds: Option<f64>) -> Sport {
    match seconds.filter(|s| *s > 0.0) {
        Some(s) => {
            let kmh = km / (s / 3600.0);
            if (RUN_SPEED_KMH.0..=RUN_SPEED_KMH.1).contains(&kmh) {
                Sport::Run
            } else {
                Sport::Other(UNTYPED.into())
            }
        }
        None => Sport::Other(UNTYPED.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn other(s: &str) -> Sport {
        Sport::Other(s.into())
    }

    #[test]
    fn every_spelling_of_a_sport_is_one_strava_type() {
        assert_eq!(from_name("swimming"), other("Swim"));
        assert_eq!(from_name("16"), other("Swim"));
        assert_eq!(from_name("Swim"), other("Swim"));
        assert_eq!(from_name("generic"), other("Workout"));
        assert_eq!(from_name("Weight Training"), other("WeightTraining"));
        assert_eq!(from_name("trail_running"), Sport::Run);
        assert_eq!(from_name("Trail Run"), Sport::Run);
        assert_eq!(from_name("9"), Sport::Run);
        assert_eq!(from_name("cycling"), other("Ride"));
        assert_eq!(from_name("1"), other("Ride"));
        assert_eq!(from_name("pickle ball"), other("PickleBall"));
        assert_eq!(from_fit(5, None), Some(other("Swim")));
        assert_eq!(from_fit(1, Some(1)), Some(Sport::Run));
        assert_eq!(from_fit(0, None), Some(other("Workout")));
        assert_eq!(from_fit(0xFF, None), None);
    }

    #[test]
    fn untyped_tracks_are_runs_only_at_running_speed() {
        // 10 km in an hour: 10 km/h.
        assert_eq!(untyped(10.0, Some(3600.0)), Sport::Run);
        // The edges count: 5 and 20 km/h.
        assert_eq!(untyped(5.0, Some(3600.0)), Sport::Run);
        assert_eq!(untyped(20.0, Some(3600.0)), Sport::Run);
        assert_eq!(untyped(4.9, Some(3600.0)), other(UNTYPED));
        assert_eq!(untyped(20.1, Some(3600.0)), other(UNTYPED));
        assert_eq!(untyped(10.0, None), other(UNTYPED));
        assert_eq!(untyped(10.0, Some(0.0)), other(UNTYPED));
    }
}

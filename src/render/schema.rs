//! JSON Schemas (draft 2020-12) of the report and of the answers file.
//!
//! The report's schema is derived from the [`Report`] types with `schemars`;
//! the answers' schema is built from the content pack's questions, so a
//! question added to the pack is in both at once. The schemas of the
//! embedded pack are committed under `docs/schema/`, and a test fails when
//! they drift from what this module generates.

use schemars::generate::SchemaSettings;
use serde_json::{Map, Value as Json, json};

use crate::model::{Pack, Question, QuestionKind};
use crate::report::Report;

/// What `duration_days` accepts as text: `10`, `10d`, `10 days`, `3w`,
/// `3 weeks`, `2m`, `2 months` (any case), as [`crate::answers::parse_days`].
pub const DAYS_PATTERN: &str = "^\\s*[0-9]+\\s*([dD]([aA][yY][sS]?)?|[wW]([kK][sS]?|[eE][eE][kK][sS]?)?|[mM]([oO]([nN][tT][hH][sS]?)?)?)?\\s*$";

/// What a distance in km accepts as text: `25`, `25km`, `25 mi`, `10 miles`
/// (any case), as [`crate::answers::parse_distance_km`].
pub const DISTANCE_PATTERN: &str = "^\\s*[0-9]+(\\.[0-9]+)?\\s*([kK]([mM][sS]?)?|[kK][iI][lL][oO][mM][eE][tT]([rR][eE]|[eE][rR])[sS]?|[mM][iI]([lL][eE][sS]?)?)?\\s*$";

/// Where the schemas say they live, so editors can match `$schema` in a file.
const ID_BASE: &str = "https://knee-triage.invalid/schema/";

/// Which schema to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SchemaKind {
    /// The JSON report of `assess --json`.
    Report,
    /// An answers file for `assess --answers FILE` (JSON; TOML has the same shape).
    Answers,
}

/// The schema as pretty JSON with a final newline, as committed.
pub fn to_text(kind: SchemaKind, pack: &Pack) -> String {
    let value = match kind {
        SchemaKind::Report => report_schema(pack),
        SchemaKind::Answers => answers_schema(pack),
    };
    serde_json::to_string_pretty(&value).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
        + "\n"
}

/// The schema of the JSON report: the `Report` types, with `answers`
/// spelled out from the pack's questions (durations as whole days).
pub fn report_schema(pack: &Pack) -> Json {
    let generator = SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator();
    let mut schema = generator.into_root_schema_for::<Report>().to_value();
    if let Json::Object(root) = &mut schema {
        root.insert(
            "$id".into(),
            Json::String(format!("{ID_BASE}report.schema.json")),
        );
        root.insert("title".into(), "knee-triage report".into());
        root.insert(
            "description".into(),
            "The report printed by `knee-triage assess --json`. Members may be added; none is removed or changes meaning without a new schema_version.".into(),
        );
        if let Some(Json::Object(props)) = root.get_mut("properties") {
            let mut answers = answers_object(pack, false);
            answers.insert(
                "description".into(),
                "The answers as understood, with the contract's keys (durations in days).".into(),
            );
            props.insert("answers".into(), Json::Object(answers));
            props.insert("training".into(), training_schema(pack));
        }
    }
    schema
}

/// The `training` member, present only with `--training`: the log behind
/// the answers it filled. Written by hand because the member is built as
/// JSON (`crate::training`), not from a typed struct.
fn training_schema(pack: &Pack) -> Json {
    let number = json!({"type": "number"});
    let answers: Map<String, Json> = pack
        .questions
        .iter()
        .filter(|q| q.section == crate::model::Section::Training && q.kind != QuestionKind::Enum)
        .filter(|q| q.kind != QuestionKind::Bool && q.kind != QuestionKind::List)
        .map(|q| (q.id.clone(), number.clone()))
        .collect();
    let date = json!({"type": ["string", "null"], "format": "date"});
    json!({
        "description": "(v2) With `--training`: the training log behind the answers it filled (see `knee-triage training --json`).",
        "type": "object",
        "required": ["runs", "first_day", "last_day", "as_of", "stale", "answers", "evidence", "weeks", "flags", "skipped"],
        "additionalProperties": false,
        "properties": {
            "runs": {"type": "integer", "minimum": 0},
            "first_day": date,
            "last_day": date,
            "as_of": {"description": "(v3) The day the figures describe: `--today`, else the latest run's day.", "type": ["string", "null"], "format": "date"},
            "stale": {"description": "(v3) The latest run is more than 14 days before today: the log filled no answer but `shoe_km`.", "type": ["boolean", "null"]},
            "answers": {
                "description": "The answers the log filled (those not given), with the answers' keys.",
                "type": "object",
                "additionalProperties": false,
                "properties": answers,
            },
            "evidence": {"type": "array", "items": {"type": "string"}},
            "weeks": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["start", "km", "runs", "longest_km"],
                    "additionalProperties": false,
                    "properties": {
                        "start": {"type": "string", "format": "date"},
                        "km": number,
                        "runs": {"type": "integer", "minimum": 0},
                        "longest_km": number,
                    },
                },
            },
            "flags": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "text", "source"],
                    "additionalProperties": false,
                    "properties": {
                        "id": {"type": "string"},
                        "text": {"type": "string"},
                        "source": {"type": "string"},
                    },
                },
            },
            "skipped": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["item", "reason"],
                    "additionalProperties": false,
                    "properties": {
                        "item": {"type": "string"},
                        "reason": {"type": "string"},
                    },
                },
            },
        },
    })
}

/// The schema of an answers file: every key of the pack's questions with
/// its type, allowed values and range; only the required ones required.
pub fn answers_schema(pack: &Pack) -> Json {
    let mut root = Map::new();
    root.insert(
        "$schema".into(),
        "https://json-schema.org/draft/2020-12/schema".into(),
    );
    root.insert(
        "$id".into(),
        Json::String(format!("{ID_BASE}answers.schema.json")),
    );
    root.insert("title".into(), "knee-triage answers".into());
    root.insert(
        "description".into(),
        "Answers for `knee-triage assess --answers FILE` (JSON, or TOML with the same keys). Every key is optional except the required ones; a question left out never counts for or against anything.".into(),
    );
    root.extend(answers_object(pack, true));
    Json::Object(root)
}

/// `type: object` with one property per question. `input` allows the
/// duration text (`3w`) a file may hold; the report holds whole days.
fn answers_object(pack: &Pack, input: bool) -> Map<String, Json> {
    let mut props = Map::new();
    if input && pack.question_index(crate::answers::ID_KEY).is_none() {
        props.insert(
            crate::answers::ID_KEY.into(),
            json!({
                "description": "Names the runner or the row (not an answer): echoed as the report's `id`, and in `batch` in an error line's `error.id`.",
                "type": ["string", "integer"]
            }),
        );
    }
    for q in &pack.questions {
        props.insert(q.id.clone(), Json::Object(question_schema(q, input)));
    }
    let required: Vec<Json> = pack
        .questions
        .iter()
        .filter(|q| q.required)
        .map(|q| Json::String(q.id.clone()))
        .collect();
    let mut object = Map::new();
    object.insert("type".into(), "object".into());
    object.insert("properties".into(), Json::Object(props));
    object.insert("required".into(), Json::Array(required));
    object.insert("additionalProperties".into(), false.into());
    object
}

fn question_schema(q: &Question, input: bool) -> Map<String, Json> {
    let mut s = Map::new();
    let mut description = q.prompt.clone();
    if q.kind.has_options() {
        let labels: Vec<String> = q
            .options
            .iter()
            .map(|o| format!("{}: {}", o.value, o.label))
            .collect();
        description.push_str(&format!(" ({})", labels.join("; ")));
    }
    if let Some(unit) = &q.unit {
        description.push_str(&format!(" [{unit}]"));
    }
    s.insert("description".into(), Json::String(description));
    let values = || Json::from(q.option_values());
    let ranged = |type_name: &str| {
        let mut t = Map::new();
        t.insert("type".into(), type_name.into());
        if let Some(lo) = q.min {
            t.insert("minimum".into(), number(lo));
        }
        if let Some(hi) = q.max {
            t.insert("maximum".into(), number(hi));
        }
        t
    };
    match q.kind {
        QuestionKind::Enum => {
            s.insert("type".into(), "string".into());
            s.insert("enum".into(), values());
        }
        QuestionKind::List => {
            s.insert("type".into(), "array".into());
            s.insert("items".into(), json!({"type": "string", "enum": values()}));
        }
        QuestionKind::Bool => {
            s.insert("type".into(), "boolean".into());
        }
        QuestionKind::Int => s.extend(ranged("integer")),
        QuestionKind::Number if input && crate::answers::is_distance(q) => {
            let number = Json::Object(ranged("number"));
            let text = json!({
                "type": "string",
                "pattern": DISTANCE_PATTERN,
                "description": "kilometres, or miles with a suffix: 25, 25km, 25mi, 25 mi"
            });
            s.insert("anyOf".into(), json!([number, text]));
        }
        QuestionKind::Number => s.extend(ranged("number")),
        QuestionKind::Days if input => {
            let whole = Json::Object(ranged("integer"));
            let text = json!({
                "type": "string",
                "pattern": DAYS_PATTERN,
                "description": "days, weeks or 30-day months: 10, 10d, 10 days, 3w, 3 weeks, 2m, 2 months"
            });
            s.insert("anyOf".into(), json!([whole, text]));
        }
        QuestionKind::Days => s.extend(ranged("integer")),
    }
    s
}

/// Whole bounds as JSON integers (`0`, not `0.0`).
fn number(v: f64) -> Json {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        Json::from(v as i64)
    } else {
        Json::from(v)
    }
}

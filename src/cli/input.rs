//! Reading an answers file or standard input, within a size limit.

use std::io::{self, Read};
use std::path::Path;

use clap::ArgMatches;

use crate::answers::Answers;
use crate::error::Error;
use crate::model::Pack;

pub(crate) fn read_answers_file(pack: &Pack, path: &Path) -> Result<Answers, Error> {
    if path == Path::new("-") {
        let bytes = read_limited(io::stdin().lock(), "answers on standard input", None).map_err(
            |e| match e {
                Limited::Io(source) => Error::Read {
                    path: "standard input".into(),
                    source,
                },
                Limited::TooLarge(message) => Error::Usage(message),
            },
        )?;
        let text = String::from_utf8(bytes)
            .map_err(|_| Error::Usage("answers on standard input are not UTF-8 text".into()))?;
        return Ok(crate::answers::read_answers_text(
            pack,
            "standard input",
            &text,
            Some(crate::answers::Format::Json),
        )?);
    }
    let what = format!("answers file {}", path.display());
    // Only a regular file: a FIFO would block, /dev/zero never ends.
    let bytes = crate::files::open_regular(path)
        .map_err(Limited::Io)
        .and_then(|f| {
            let size = f.metadata().ok().map(|m| m.len());
            read_limited(f, &what, size)
        })
        .map_err(|e| match e {
            Limited::Io(source) => Error::Read {
                path: path.to_path_buf(),
                source,
            },
            Limited::TooLarge(message) => Error::Usage(message),
        })?;
    let text = String::from_utf8(bytes)
        .map_err(|_| Error::Usage(format!("answers file {} is not UTF-8 text", path.display())))?;
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    let expected = match ext.as_deref() {
        Some("toml") => Some(crate::answers::Format::Toml),
        Some("json") => Some(crate::answers::Format::Json),
        _ => None,
    };
    Ok(crate::answers::read_answers_text(
        pack,
        &path.display().to_string(),
        &text,
        expected,
    )?)
}

/// Answers are a few hundred bytes; anything over this is refused before
/// it is parsed, so a huge file gets a clear message at once.
pub const MAX_ANSWERS_BYTES: u64 = 1024 * 1024;

enum Limited {
    Io(io::Error),
    TooLarge(String),
}

/// Reads at most [`MAX_ANSWERS_BYTES`]; more is an error naming the size
/// (`size` when known, as for a file) and the limit.
fn read_limited(reader: impl Read, what: &str, size: Option<u64>) -> Result<Vec<u8>, Limited> {
    let mut bytes = Vec::new();
    match reader.take(MAX_ANSWERS_BYTES + 1).read_to_end(&mut bytes) {
        Ok(_) => {}
        Err(e) if e.kind() == io::ErrorKind::IsADirectory => {
            return Err(Limited::Io(io::Error::new(
                io::ErrorKind::IsADirectory,
                "it is a directory, not a file",
            )));
        }
        Err(e) => return Err(Limited::Io(e)),
    }
    if bytes.len() as u64 > MAX_ANSWERS_BYTES {
        let size = match size {
            Some(n) => format!("{:.1} MB", n as f64 / (1024.0 * 1024.0)),
            None => "more than 1 MB".into(),
        };
        return Err(Limited::TooLarge(format!(
            "{what} is {size}, over the 1 MB limit for answers (a full set of answers is under 2 kB)"
        )));
    }
    Ok(bytes)
}

/// A batch line is one runner's answers, a few hundred bytes: as for an
/// answers file, more than 1 MB is refused, so memory stays flat whatever
/// the input (`batch < /dev/zero` included).
pub(crate) const MAX_LINE_BYTES: usize = 1024 * 1024;

/// `read_until(b'\n')` that keeps at most `cap` bytes of the line and
/// skips the rest: the bytes the whole line had.
pub(crate) fn read_line_capped(
    reader: &mut impl io::BufRead,
    buf: &mut Vec<u8>,
    cap: usize,
) -> io::Result<usize> {
    let mut read = 0usize;
    loop {
        let available = match reader.fill_buf() {
            Ok(a) => a,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            break;
        }
        let (take, done) = match available.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (available.len(), false),
        };
        let room = cap.saturating_sub(buf.len()).min(take);
        buf.extend_from_slice(&available[..room]);
        reader.consume(take);
        read += take;
        if done {
            break;
        }
    }
    Ok(read)
}

/// Answers from `--answers` and the answer flags (flags win), as `assess`
/// and `plan` take them.
pub fn gather(
    pack: &Pack,
    answers_file: Option<&Path>,
    matches: Option<&ArgMatches>,
) -> Result<Answers, Error> {
    let mut answers = match answers_file {
        Some(path) => read_answers_file(pack, path)?,
        None => Answers::new(pack),
    };
    if let Some(m) = matches {
        let mut flags = Answers::new(pack);
        for (qi, q) in pack.questions.iter().enumerate() {
            let Some(values) = m.get_many::<String>(&q.id) else {
                continue;
            };
            let values: Vec<&str> = values.map(String::as_str).collect();
            flags.set_text(pack, qi, &values.join(","))?;
        }
        answers.overlay(&flags);
    }
    Ok(answers)
}

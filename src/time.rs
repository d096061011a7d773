//! Time as a plain value. The core never reads a clock: shells pass the validation time in.

use serde::Serialize;

/// Seconds since 1970-01-01T00:00:00Z (may be negative).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct UnixTime(pub i64);

impl UnixTime {
    /// From calendar parts in UTC; `None` if a part is out of range.
    pub fn from_parts(year: i64, month: i64, day: i64, hour: i64, min: i64, sec: i64) -> Option<UnixTime> {
        if !(1..=12).contains(&month)
            || !(1..=days_in_month(year, month)).contains(&day)
            || !(0..=23).contains(&hour)
            || !(0..=59).contains(&min)
            || !(0..=60).contains(&sec)
        {
            return None;
        }
        let days = days_from_civil(year, month, day);
        Some(UnixTime(days * 86_400 + hour * 3600 + min * 60 + sec.min(59)))
    }

    /// Parses RFC 3339 (`2015-02-12T12:00:00Z`, offsets and fractions allowed; fractions dropped).
    pub fn parse_rfc3339(s: &str) -> Option<UnixTime> {
        let t = time::OffsetDateTime::parse(s.trim(), &time::format_description::well_known::Rfc3339).ok()?;
        Some(UnixTime(t.unix_timestamp()))
    }

    /// RFC 3339 in UTC with a `Z` suffix.
    pub fn to_rfc3339(&self) -> String {
        self.to_string()
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` as ASCII digits, written without the formatting machinery (times
    /// appear in many check details); None for a year outside 0-9999.
    fn rfc3339_bytes(&self) -> Option<[u8; 20]> {
        let days = self.0.div_euclid(86_400);
        let secs = self.0.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        if !(0..=9999).contains(&y) {
            return None;
        }
        let mut out = *b"0000-00-00T00:00:00Z";
        put_digits(&mut out[0..4], y);
        put_digits(&mut out[5..7], m);
        put_digits(&mut out[8..10], d);
        put_digits(&mut out[11..13], secs / 3600);
        put_digits(&mut out[14..16], secs / 60 % 60);
        put_digits(&mut out[17..19], secs % 60);
        Some(out)
    }
}

/// Writes `value` as decimal digits right-aligned into `out`, zero-padded (value fits).
fn put_digits(out: &mut [u8], mut value: i64) {
    for slot in out.iter_mut().rev() {
        *slot = b'0' + (value % 10) as u8;
        value /= 10;
    }
}

impl std::fmt::Display for UnixTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(buf) = self.rfc3339_bytes() {
            if let Ok(text) = std::str::from_utf8(&buf) {
                return f.write_str(text);
            }
        }
        let days = self.0.div_euclid(86_400);
        let secs = self.0.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        write!(
            f,
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        )
    }
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's days_from_civil / civil_from_days.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let t = UnixTime::from_parts(2015, 2, 12, 12, 5, 50).unwrap();
        assert_eq!(t.0, 1_423_742_750);
        assert_eq!(t.to_rfc3339(), "2015-02-12T12:05:50Z");
        // Outside four-digit years the general formatting takes over.
        assert_eq!(UnixTime(-62_167_219_201).to_rfc3339(), "-001-12-31T23:59:59Z");
        assert_eq!(UnixTime(253_402_300_800).to_rfc3339(), "10000-01-01T00:00:00Z");
        assert_eq!(UnixTime(253_402_300_799).to_rfc3339(), "9999-12-31T23:59:59Z");
        assert_eq!(UnixTime(0).to_string(), "1970-01-01T00:00:00Z");
        assert_eq!(UnixTime::parse_rfc3339("2015-02-12T13:05:50+01:00"), Some(t));
        assert_eq!(UnixTime::from_parts(2024, 2, 30, 0, 0, 0), None);
        assert_eq!(
            UnixTime::from_parts(1950, 1, 1, 0, 0, 0).unwrap().to_rfc3339(),
            "1950-01-01T00:00:00Z"
        );
        for secs in [-1_000_000_000i64, 0, 951_782_400, 4_102_444_800] {
            let s = UnixTime(secs).to_rfc3339();
            assert_eq!(UnixTime::parse_rfc3339(&s), Some(UnixTime(secs)));
        }
    }
}

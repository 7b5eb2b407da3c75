//! Times as people read them in an inbox: "2:14 PM", "Yesterday", "Mon", "Nov 3" (and "14:14",
//! "Hier", "lun.", "3 nov." in French).
//!
//! Which of them a moment gets is pure logic, tested here; the words and digits come from the
//! browser's `Intl` in the interface's language (English tables stand in outside a browser).

use crate::i18n::{t, tf, Text};

const DAY_MS: i64 = 86_400_000;

/// A moment in the viewer's time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalTime {
    /// Days since 1970-01-01 in local time.
    pub day_number: i64,
    pub year: i64,
    /// 1 to 12.
    pub month: u32,
    pub day: u32,
    /// 0 is Sunday.
    pub weekday: u32,
    pub hour: u32,
    pub minute: u32,
}

impl LocalTime {
    /// `ms` since the epoch, seen from a zone `offset_minutes` ahead of UTC (UTC+2 is 120).
    pub fn from_utc_ms(ms: i64, offset_minutes: i64) -> LocalTime {
        let local = ms + offset_minutes * 60_000;
        let day_number = local.div_euclid(DAY_MS);
        let minute_of_day = local.rem_euclid(DAY_MS) / 60_000;
        let (year, month, day) = civil_from_days(day_number);
        LocalTime {
            day_number,
            year,
            month,
            day,
            weekday: (day_number + 4).rem_euclid(7) as u32,
            hour: (minute_of_day / 60) as u32,
            minute: (minute_of_day % 60) as u32,
        }
    }

    /// In the browser's own time zone (UTC outside a browser).
    pub fn in_browser(ms: i64) -> LocalTime {
        #[cfg(target_arch = "wasm32")]
        let offset = {
            let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
            // getTimezoneOffset is minutes *behind* UTC.
            -(date.get_timezone_offset() as i64)
        };
        #[cfg(not(target_arch = "wasm32"))]
        let offset = 0;
        LocalTime::from_utc_ms(ms, offset)
    }
}

/// Days since the epoch to (year, month, day), proleptic Gregorian (Howard Hinnant's method).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// What a list row shows of a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Short {
    /// Today: the time of day.
    Clock,
    Yesterday,
    /// Within the week: the weekday.
    Weekday,
    /// This year: month and day.
    Date,
    /// Before this year: with the year.
    DateWithYear,
}

/// What a thread shows of a moment: always the time of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Long {
    Clock,
    /// "Yesterday, 2:05 PM".
    Yesterday,
    /// Weekday, date and time of day.
    Dated,
}

pub fn short_kind(at: &LocalTime, now: &LocalTime) -> Short {
    match now.day_number - at.day_number {
        0 => Short::Clock,
        1 => Short::Yesterday,
        2..=6 => Short::Weekday,
        _ if at.year == now.year => Short::Date,
        _ => Short::DateWithYear,
    }
}

pub fn long_kind(at: &LocalTime, now: &LocalTime) -> Long {
    match now.day_number - at.day_number {
        0 => Long::Clock,
        1 => Long::Yesterday,
        _ => Long::Dated,
    }
}

/// For a list row: the time today, "Yesterday", the weekday within a week, else the date.
pub fn short(at_ms: i64, now_ms: i64) -> String {
    let (at, now) = (LocalTime::in_browser(at_ms), LocalTime::in_browser(now_ms));
    match short_kind(&at, &now) {
        Short::Yesterday => t(Text::TimesYesterday).to_owned(),
        kind => format::short(at_ms, &at, kind),
    }
}

/// For a message in a thread: always with the time of day.
pub fn long(at_ms: i64, now_ms: i64) -> String {
    let (at, now) = (LocalTime::in_browser(at_ms), LocalTime::in_browser(now_ms));
    match long_kind(&at, &now) {
        Long::Clock => format::short(at_ms, &at, Short::Clock),
        Long::Yesterday => tf(
            Text::TimesYesterdayAt,
            &[("time", &format::short(at_ms, &at, Short::Clock))],
        ),
        Long::Dated => format::dated(at_ms, &at),
    }
}

/// `Intl.DateTimeFormat` in the interface's language, one formatter per kind and language.
#[cfg(target_arch = "wasm32")]
mod format {
    use super::{LocalTime, Short};
    use crate::i18n::{current, Lang};
    use js_sys::{Function, Intl, Object, Reflect};
    use std::cell::RefCell;
    use wasm_bindgen::JsValue;

    thread_local! {
        static FORMATS: RefCell<Vec<((Lang, u8), Function)>> = const { RefCell::new(Vec::new()) };
    }

    fn formatter(kind: u8, options: &[(&str, &str)]) -> Function {
        let key = (current(), kind);
        FORMATS.with_borrow_mut(|cache| {
            if let Some((_, format)) = cache.iter().find(|(k, _)| *k == key) {
                return format.clone();
            }
            let settings = Object::new();
            for (name, value) in options {
                let _ = Reflect::set(&settings, &(*name).into(), &(*value).into());
            }
            let locales = js_sys::Array::of1(&JsValue::from_str(key.0.code()));
            let format = Intl::DateTimeFormat::new(&locales, &settings).format();
            cache.push((key, format.clone()));
            format
        })
    }

    fn apply(format: Function, at_ms: i64) -> String {
        let date = js_sys::Date::new(&JsValue::from_f64(at_ms as f64));
        format
            .call1(&JsValue::NULL, &date)
            .ok()
            .and_then(|text| text.as_string())
            .unwrap_or_default()
    }

    pub fn short(at_ms: i64, _at: &LocalTime, kind: Short) -> String {
        let format = match kind {
            Short::Clock | Short::Yesterday => {
                formatter(0, &[("hour", "numeric"), ("minute", "2-digit")])
            }
            Short::Weekday => formatter(1, &[("weekday", "short")]),
            Short::Date => formatter(2, &[("month", "short"), ("day", "numeric")]),
            Short::DateWithYear => formatter(
                3,
                &[("month", "short"), ("day", "numeric"), ("year", "numeric")],
            ),
        };
        apply(format, at_ms)
    }

    pub fn dated(at_ms: i64, _at: &LocalTime) -> String {
        let format = formatter(
            4,
            &[
                ("weekday", "short"),
                ("month", "short"),
                ("day", "numeric"),
                ("year", "numeric"),
                ("hour", "numeric"),
                ("minute", "2-digit"),
            ],
        );
        apply(format, at_ms)
    }
}

/// Outside a browser (native tests): English, as `Intl` writes it for `en`.
#[cfg(not(target_arch = "wasm32"))]
mod format {
    use super::{LocalTime, Short};

    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

    fn clock(at: &LocalTime) -> String {
        let (hour, half) = match at.hour {
            0 => (12, "AM"),
            h @ 1..=11 => (h, "AM"),
            12 => (12, "PM"),
            h => (h - 12, "PM"),
        };
        format!("{hour}:{:02} {half}", at.minute)
    }

    pub fn short(_at_ms: i64, at: &LocalTime, kind: Short) -> String {
        let month = MONTHS[(at.month - 1) as usize];
        match kind {
            Short::Clock | Short::Yesterday => clock(at),
            Short::Weekday => WEEKDAYS[at.weekday as usize].to_owned(),
            Short::Date => format!("{month} {}", at.day),
            Short::DateWithYear => format!("{month} {}, {}", at.day, at.year),
        }
    }

    pub fn dated(_at_ms: i64, at: &LocalTime) -> String {
        let month = MONTHS[(at.month - 1) as usize];
        format!(
            "{}, {month} {}, {}, {}",
            WEEKDAYS[at.weekday as usize],
            at.day,
            at.year,
            clock(at)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2026-11-25 14:05 UTC, a Wednesday.
    const NOW_MS: i64 = 1_795_615_500_000;

    fn at(offset_ms: i64) -> LocalTime {
        LocalTime::from_utc_ms(NOW_MS - offset_ms, 0)
    }

    fn ms(offset_ms: i64) -> i64 {
        NOW_MS - offset_ms
    }

    #[test]
    fn the_calendar_is_right() {
        let now = at(0);
        assert_eq!((now.year, now.month, now.day), (2026, 11, 25));
        assert_eq!((now.hour, now.minute, now.weekday), (14, 5, 3));
        let epoch = LocalTime::from_utc_ms(0, 0);
        assert_eq!(
            (epoch.year, epoch.month, epoch.day, epoch.weekday),
            (1970, 1, 1, 4)
        );
        let leap = LocalTime::from_utc_ms(951_782_400_000, 0); // 2000-02-29
        assert_eq!((leap.year, leap.month, leap.day), (2000, 2, 29));
    }

    #[test]
    fn the_time_zone_moves_the_clock_and_the_day() {
        let tokyo = LocalTime::from_utc_ms(NOW_MS, 9 * 60);
        assert_eq!((tokyo.day, tokyo.hour), (25, 23));
        let honolulu = LocalTime::from_utc_ms(NOW_MS - 15 * 3_600_000, -10 * 60);
        assert_eq!((honolulu.day, honolulu.hour), (24, 13));
    }

    #[test]
    fn rows_show_the_time_today_then_yesterday_then_the_weekday_then_the_date() {
        let now = at(0);
        assert_eq!(short_kind(&at(3_600_000), &now), Short::Clock);
        assert_eq!(short_kind(&at(14 * 3_600_000), &now), Short::Clock);
        assert_eq!(short_kind(&at(20 * 3_600_000), &now), Short::Yesterday);
        assert_eq!(short_kind(&at(3 * DAY_MS), &now), Short::Weekday);
        assert_eq!(short_kind(&at(20 * DAY_MS), &now), Short::Date);
        assert_eq!(short_kind(&at(400 * DAY_MS), &now), Short::DateWithYear);
        // Outside a browser, in English.
        assert_eq!(short(ms(3_600_000), NOW_MS), "1:05 PM");
        assert_eq!(short(ms(14 * 3_600_000), NOW_MS), "12:05 AM");
        assert_eq!(short(ms(20 * 3_600_000), NOW_MS), "Yesterday");
        assert_eq!(short(ms(3 * DAY_MS), NOW_MS), "Sun");
        assert_eq!(short(ms(20 * DAY_MS), NOW_MS), "Nov 5");
        assert_eq!(short(ms(400 * DAY_MS), NOW_MS), "Oct 21, 2025");
    }

    #[test]
    fn threads_always_show_the_time_of_day() {
        let now = at(0);
        assert_eq!(long_kind(&at(2 * 3_600_000), &now), Long::Clock);
        assert_eq!(long_kind(&at(DAY_MS), &now), Long::Yesterday);
        assert_eq!(long_kind(&at(8 * DAY_MS), &now), Long::Dated);
        assert_eq!(long(ms(2 * 3_600_000), NOW_MS), "12:05 PM");
        assert_eq!(long(ms(DAY_MS), NOW_MS), "Yesterday, 2:05 PM");
        assert_eq!(long(ms(8 * DAY_MS), NOW_MS), "Tue, Nov 17, 2026, 2:05 PM");
    }
}

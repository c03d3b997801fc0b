//! A minimal DER reader: exactly what X.509 certificates and CRLs from Intel's PKI need
//! (definite lengths up to 3 length bytes, no indefinite forms, single-byte tags).

pub const SEQUENCE: u8 = 0x30;
pub const SET: u8 = 0x31;
pub const INTEGER: u8 = 0x02;
pub const BIT_STRING: u8 = 0x03;
pub const OCTET_STRING: u8 = 0x04;
pub const OID: u8 = 0x06;
pub const BOOLEAN: u8 = 0x01;
pub const ENUMERATED: u8 = 0x0a;
pub const UTC_TIME: u8 = 0x17;
pub const GENERALIZED_TIME: u8 = 0x18;

/// One TLV: its tag, its content, and the whole encoding (tag + length + content).
#[derive(Clone, Copy, Debug)]
pub struct Tlv<'a> {
    pub tag: u8,
    pub content: &'a [u8],
    pub raw: &'a [u8],
}

impl<'a> Tlv<'a> {
    /// A reader over the content (for constructed types).
    pub fn reader(&self) -> Reader<'a> {
        Reader::new(self.content)
    }
}

pub struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Reader { data, pos: 0 }
    }

    pub fn is_empty(&self) -> bool {
        self.pos >= self.data.len()
    }

    pub fn peek_tag(&self) -> Option<u8> {
        self.data.get(self.pos).copied()
    }

    pub fn read(&mut self) -> Result<Tlv<'a>, String> {
        let start = self.pos;
        let tag = *self.data.get(self.pos).ok_or("DER: unexpected end")?;
        if tag & 0x1f == 0x1f {
            return Err("DER: multi-byte tags are not supported".into());
        }
        let first = *self.data.get(self.pos + 1).ok_or("DER: missing length")? as usize;
        let mut p = self.pos + 2;
        let len = if first < 0x80 {
            first
        } else {
            let n = first & 0x7f;
            if n == 0 || n > 3 {
                return Err("DER: unsupported length form".into());
            }
            let mut l = 0usize;
            for _ in 0..n {
                l = (l << 8) | *self.data.get(p).ok_or("DER: truncated length")? as usize;
                p += 1;
            }
            if l < 0x80 || (n > 1 && l >> (8 * (n - 1)) == 0) {
                return Err("DER: non-minimal length".into());
            }
            l
        };
        let end = p.checked_add(len).ok_or("DER: length overflow")?;
        if end > self.data.len() {
            return Err("DER: content exceeds input".into());
        }
        self.pos = end;
        Ok(Tlv { tag, content: &self.data[p..end], raw: &self.data[start..end] })
    }

    pub fn expect(&mut self, tag: u8) -> Result<Tlv<'a>, String> {
        let t = self.read()?;
        if t.tag != tag {
            return Err(format!("DER: expected tag {:#04x}, found {:#04x}", tag, t.tag));
        }
        Ok(t)
    }

    /// Reads the next element only when it has `tag`.
    pub fn optional(&mut self, tag: u8) -> Result<Option<Tlv<'a>>, String> {
        if self.peek_tag() == Some(tag) {
            self.read().map(Some)
        } else {
            Ok(None)
        }
    }
}

/// A DER INTEGER's magnitude without sign padding, as a 32-byte big-endian number
/// (ECDSA r and s); rejects negative values and values wider than 256 bits.
pub fn int_to_32(content: &[u8]) -> Result<[u8; 32], String> {
    if content.is_empty() || content[0] & 0x80 != 0 {
        return Err("DER: integer must be positive".into());
    }
    let mut c = content;
    while c.len() > 1 && c[0] == 0 {
        c = &c[1..];
    }
    if c.len() > 32 {
        return Err("DER: integer wider than 256 bits".into());
    }
    let mut out = [0u8; 32];
    out[32 - c.len()..].copy_from_slice(c);
    Ok(out)
}

/// A small non-negative INTEGER or ENUMERATED value.
pub fn small_uint(content: &[u8]) -> Result<u64, String> {
    if content.is_empty() || content.len() > 8 || content[0] & 0x80 != 0 {
        return Err("DER: bad small integer".into());
    }
    Ok(content.iter().fold(0u64, |acc, b| (acc << 8) | *b as u64))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's civil algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

fn digits(s: &[u8]) -> Result<u32, String> {
    let mut v = 0u32;
    for c in s {
        if !c.is_ascii_digit() {
            return Err("time: non-digit".into());
        }
        v = v * 10 + (c - b'0') as u32;
    }
    Ok(v)
}

fn to_unix(y: i64, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> Result<i64, String> {
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || s > 60 {
        return Err("time: field out of range".into());
    }
    Ok(days_from_civil(y, mo, d) * 86400 + (h * 3600 + mi * 60 + s) as i64)
}

/// X.509 Time (UTCTime YYMMDDHHMMSSZ with the RFC 5280 century rule, or GeneralizedTime
/// YYYYMMDDHHMMSSZ) as unix seconds.
pub fn parse_time(t: &Tlv) -> Result<i64, String> {
    let c = t.content;
    match t.tag {
        UTC_TIME if c.len() == 13 && c[12] == b'Z' => {
            let yy = digits(&c[0..2])? as i64;
            let y = if yy < 50 { 2000 + yy } else { 1900 + yy };
            to_unix(y, digits(&c[2..4])?, digits(&c[4..6])?, digits(&c[6..8])?, digits(&c[8..10])?, digits(&c[10..12])?)
        }
        GENERALIZED_TIME if c.len() == 15 && c[14] == b'Z' => to_unix(
            digits(&c[0..4])? as i64,
            digits(&c[4..6])?,
            digits(&c[6..8])?,
            digits(&c[8..10])?,
            digits(&c[10..12])?,
            digits(&c[12..14])?,
        ),
        _ => Err("time: unsupported encoding".into()),
    }
}

/// RFC 3339 "YYYY-MM-DDTHH:MM:SSZ" (optionally with fractional seconds), as Intel's JSON
/// collateral writes issueDate/nextUpdate, to unix seconds.
pub fn parse_rfc3339(s: &str) -> Result<i64, String> {
    let b = s.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' || b[b.len() - 1] != b'Z' {
        return Err(format!("time: not RFC 3339 UTC: {}", s));
    }
    if b.len() > 20 && (b[19] != b'.' || !b[20..b.len() - 1].iter().all(|c| c.is_ascii_digit())) {
        return Err(format!("time: not RFC 3339 UTC: {}", s));
    }
    to_unix(digits(&b[0..4])? as i64, digits(&b[5..7])?, digits(&b[8..10])?, digits(&b[11..13])?, digits(&b[14..16])?, digits(&b[17..19])?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_nested_tlvs_and_long_lengths() {
        let mut data = vec![0x30, 0x82, 0x01, 0x00];
        data.extend(std::iter::repeat(0u8).take(0x100));
        let t = Reader::new(&data).expect(SEQUENCE).unwrap();
        assert_eq!(t.content.len(), 256);
        assert!(Reader::new(&[0x30, 0x81, 0x05]).read().is_err(), "non-minimal / truncated");
        assert!(Reader::new(&[0x30, 0x05, 0x00]).read().is_err(), "content past end");
        assert_eq!(int_to_32(&[0x00, 0xff]).unwrap()[31], 0xff);
        assert!(int_to_32(&[0x80]).is_err());
    }

    #[test]
    fn times() {
        assert_eq!(parse_rfc3339("2025-07-19T10:00:35Z").unwrap(), 1752919235);
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00.000Z").unwrap(), 0);
        assert!(parse_rfc3339("2025-07-19 10:00:35").is_err());
        let utc = Tlv { tag: UTC_TIME, content: b"250719100035Z", raw: &[] };
        assert_eq!(parse_time(&utc).unwrap(), 1752919235);
        let gen = Tlv { tag: GENERALIZED_TIME, content: b"20490101000000Z", raw: &[] };
        assert_eq!(parse_time(&gen).unwrap(), 2493072000);
    }
}

//! A strict ZIP reader over a byte slice, for signature containers (ASiC, BDOC).
//!
//! It reads what the central directory declares and checks it against the rest of the file
//! rather than repairing anything
//! ([APPNOTE 6.3.10](https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT)):
//!
//! - the end of central directory record is the last thing in the file, its comment length
//!   accounts for every byte after it, and exactly one such record fits; a ZIP64 locator and
//!   record, when present, sit right before it; more than one disk is refused;
//! - the central directory ends where the end records begin; every entry's local header agrees
//!   with its central header (name bytes, method, flags, CRC-32 and sizes, or the data
//!   descriptor's CRC-32 and sizes when flag bit 3 is set);
//! - the entries' byte ranges (local header, data, data descriptor) tile the file from offset 0
//!   to the central directory: no bytes before the first entry, between two entries or between
//!   the last entry and the central directory, and no two entries sharing bytes;
//! - names are UTF-8 (flag bit 11) or ASCII, unique, relative, without `..` or `.` segments,
//!   backslashes, drive letters, empty segments or control characters;
//! - encryption is refused; the methods are stored and deflate;
//! - [`ZipLimits`] bound the number of entries and, from the declared sizes before anything is
//!   inflated, the size of each entry, the total and the compression ratio; [`Entry::data`]
//!   inflates into a buffer of the declared size and fails as soon as the stream wants more,
//!   then checks the CRC-32.
//!
//! Errors name the problem and the entry (its name cut to 64 characters), never its data.

use std::borrow::Cow;
use std::collections::HashSet;

use miniz_oxide::inflate::TINFLStatus;
use miniz_oxide::inflate::core::{DecompressorOxide, decompress, inflate_flags};
use thiserror::Error;

/// What [`read`] and [`Entry::data`] allow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ZipLimits {
    /// Most entries (directories included).
    pub max_entries: usize,
    /// Largest uncompressed size of one entry (bytes).
    pub max_entry_size: u64,
    /// Largest sum of the entries' uncompressed sizes (bytes).
    pub max_total_size: u64,
    /// Highest ratio of uncompressed to compressed size, for an entry (and for the archive as a
    /// whole) whose uncompressed size is above [`ratio_threshold`](Self::ratio_threshold).
    pub max_ratio: u64,
    /// Uncompressed size (bytes) up to which the ratio is not checked.
    pub ratio_threshold: u64,
}

impl Default for ZipLimits {
    /// 1,000 entries, 128 MiB an entry, 256 MiB in all, ratio 100 above 1 MB (the ratio and
    /// threshold and the entry count are EU DSS's container defaults).
    fn default() -> Self {
        ZipLimits {
            max_entries: 1_000,
            max_entry_size: 128 * 1024 * 1024,
            max_total_size: 256 * 1024 * 1024,
            max_ratio: 100,
            ratio_threshold: 1_000_000,
        }
    }
}

/// A compression method this reader supports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// 0: stored as is.
    Stored,
    /// 8: raw deflate (RFC 1951).
    Deflated,
}

/// A ZIP file whose structure passed every check of [`read`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Archive<'a> {
    /// The entries in central directory order.
    pub entries: Vec<Entry<'a>>,
    /// The archive comment.
    pub comment: &'a [u8],
}

/// One entry, as declared by the central directory and confirmed by its local header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry<'a> {
    /// The name (a relative path; directories end with `/`).
    pub name: String,
    /// The compression method.
    pub method: Method,
    /// The general purpose bit flags.
    pub flags: u16,
    /// The entry's data as stored in the file.
    pub compressed: &'a [u8],
    /// The declared uncompressed size.
    pub uncompressed_size: u64,
    /// The declared CRC-32 of the uncompressed data.
    pub crc32: u32,
    /// Where the local header starts.
    pub local_header_offset: u64,
    /// The local header with its name and extra field, as stored.
    pub local_header: &'a [u8],
    /// The extra field of the local header.
    pub local_extra: &'a [u8],
    /// Whether a data descriptor follows the data (flag bit 3).
    pub data_descriptor: bool,
}

/// A field that differs between a central header and its local header or data descriptor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// The name bytes.
    Name,
    /// The compression method.
    Method,
    /// The general purpose bit flags.
    Flags,
    /// The CRC-32.
    Crc32,
    /// The compressed size.
    CompressedSize,
    /// The uncompressed size.
    UncompressedSize,
}

/// What is wrong with an entry name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameProblem {
    /// The name is empty.
    Empty,
    /// Flag bit 11 is clear (code page 437) and the name is not ASCII.
    NotAscii,
    /// Flag bit 11 is set and the name is not UTF-8.
    NotUtf8,
    /// A NUL or another control character.
    Control,
    /// A backslash.
    Backslash,
    /// Starts with `/`.
    Absolute,
    /// Starts with a drive letter (`C:`).
    DriveLetter,
    /// A `..` segment.
    DotDot,
    /// A `.` segment.
    Dot,
    /// Two slashes in a row.
    EmptySegment,
}

/// What is wrong with a deflate stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InflateProblem {
    /// Not a valid deflate stream.
    Corrupt,
    /// The stream ends before its last block.
    Truncated,
    /// It inflates to more than the declared size.
    LongerThanDeclared,
    /// It inflates to less than the declared size.
    ShorterThanDeclared,
    /// Compressed bytes follow the end of the stream.
    TrailingBytes,
}

/// Why [`read`] or [`Entry::data`] refused a file. `name` is the entry name cut to 64
/// characters, control characters replaced.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ZipError {
    /// No end of central directory record.
    #[error("no end of central directory record")]
    NoEndRecord,
    /// An end record signature, but no comment length that reaches exactly the end of the file.
    #[error("the end of central directory comment length does not match the file")]
    CommentLength,
    /// More than one end record fits the end of the file.
    #[error("more than one end of central directory record fits the file")]
    AmbiguousEnd,
    /// The archive spans more than one disk.
    #[error("multi-disk archives are not supported")]
    MultiDisk,
    /// A ZIP64 end record is needed but missing or malformed.
    #[error("ZIP64 end of central directory: {0}")]
    Zip64(&'static str),
    /// The central directory does not end where the end records begin.
    #[error("the central directory is not where the end record says")]
    CentralDirectoryMisplaced,
    /// More entries than [`ZipLimits::max_entries`].
    #[error("{count} entries, more than {limit}")]
    TooManyEntries {
        /// Declared entry count.
        count: u64,
        /// The limit.
        limit: usize,
    },
    /// A central header cannot be read, or the entries do not fill the central directory.
    #[error("central directory header {index}: {what}")]
    CentralHeader {
        /// Index of the header.
        index: u64,
        /// What is wrong.
        what: &'static str,
    },
    /// A local header or data descriptor cannot be read where the central header says.
    #[error("entry {name:?}: {what}")]
    LocalHeader {
        /// The entry.
        name: String,
        /// What is wrong.
        what: &'static str,
    },
    /// A malformed extra field.
    #[error("entry {name:?}: malformed extra field")]
    ExtraField {
        /// The entry.
        name: String,
    },
    /// The local header differs from the central header.
    #[error("entry {name:?}: local header {field:?} differs from the central directory")]
    LocalMismatch {
        /// The entry.
        name: String,
        /// The field that differs.
        field: Field,
    },
    /// The data descriptor differs from the central header.
    #[error("entry {name:?}: data descriptor {field:?} differs from the central directory")]
    DescriptorMismatch {
        /// The entry.
        name: String,
        /// The field that differs.
        field: Field,
    },
    /// Two entries share bytes.
    #[error("entries {name:?} and {other:?} overlap")]
    Overlap {
        /// One entry.
        name: String,
        /// The entry it overlaps.
        other: String,
    },
    /// Bytes that belong to no entry (before the first, between two, or before the central
    /// directory).
    #[error("{len} bytes at offset {offset} belong to no entry")]
    Gap {
        /// Where they start.
        offset: u64,
        /// How many.
        len: u64,
    },
    /// A name this reader refuses.
    #[error("entry {name:?}: bad name ({problem:?})")]
    BadName {
        /// The entry.
        name: String,
        /// What is wrong.
        problem: NameProblem,
    },
    /// Two entries with the same name.
    #[error("entry {name:?} appears twice")]
    DuplicateName {
        /// The entry.
        name: String,
    },
    /// Encrypted entry or central directory.
    #[error("entry {name:?} is encrypted")]
    Encrypted {
        /// The entry.
        name: String,
    },
    /// A method other than stored or deflate.
    #[error("entry {name:?}: unsupported compression method {method}")]
    UnsupportedMethod {
        /// The entry.
        name: String,
        /// The method number.
        method: u16,
    },
    /// A stored entry whose compressed and uncompressed sizes differ.
    #[error("entry {name:?}: stored with different compressed and uncompressed sizes")]
    StoredSize {
        /// The entry.
        name: String,
    },
    /// An entry larger than [`ZipLimits::max_entry_size`].
    #[error("entry {name:?}: {size} bytes uncompressed, more than {limit}")]
    EntryTooLarge {
        /// The entry.
        name: String,
        /// Its declared size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The entries' total is larger than [`ZipLimits::max_total_size`].
    #[error("the entries add up to more than {limit} bytes")]
    TotalTooLarge {
        /// The limit.
        limit: u64,
    },
    /// An entry compressed more than [`ZipLimits::max_ratio`] allows.
    #[error("entry {name:?}: compression ratio above {limit}")]
    EntryRatio {
        /// The entry.
        name: String,
        /// The limit.
        limit: u64,
    },
    /// The archive as a whole compressed more than [`ZipLimits::max_ratio`] allows.
    #[error("archive compression ratio above {limit}")]
    ArchiveRatio {
        /// The limit.
        limit: u64,
    },
    /// The deflate stream is bad or disagrees with the declared size.
    #[error("entry {name:?}: {problem:?}")]
    Inflate {
        /// The entry.
        name: String,
        /// What is wrong.
        problem: InflateProblem,
    },
    /// The CRC-32 of the data is not the declared one.
    #[error("entry {name:?}: CRC-32 mismatch")]
    Crc32 {
        /// The entry.
        name: String,
    },
}

const EOCD_SIG: u32 = 0x0605_4b50;
const EOCD_LEN: usize = 22;
const ZIP64_LOCATOR_SIG: u32 = 0x0706_4b50;
const ZIP64_LOCATOR_LEN: usize = 20;
const ZIP64_EOCD_SIG: u32 = 0x0606_4b50;
const ZIP64_EOCD_MIN: u64 = 44;
const CENTRAL_SIG: u32 = 0x0201_4b50;
const CENTRAL_LEN: usize = 46;
const LOCAL_SIG: u32 = 0x0403_4b50;
const DESCRIPTOR_SIG: u32 = 0x0807_4b50;
const ZIP64_EXTRA: u16 = 0x0001;
const U16_MAX: u16 = u16::MAX;
const U32_MAX: u32 = u32::MAX;
/// Flag bits: 0 encrypted, 6 strong encryption, 13 encrypted central directory.
const ENCRYPTION_FLAGS: u16 = 0x0001 | 0x0040 | 0x2000;
const DESCRIPTOR_FLAG: u16 = 0x0008;
const UTF8_FLAG: u16 = 0x0800;
const NAME_CHARS: usize = 64;

/// Reads the structure of the ZIP file `bytes` (see the [module documentation](self)).
/// Entry data is neither inflated nor CRC-checked here: [`Entry::data`] does that.
///
/// # Errors
/// The first check that fails.
pub fn read<'a>(bytes: &'a [u8], limits: &ZipLimits) -> Result<Archive<'a>, ZipError> {
    let end = read_end(bytes)?;
    if end.entries > u64::try_from(limits.max_entries).unwrap_or(u64::MAX) {
        return Err(ZipError::TooManyEntries {
            count: end.entries,
            limit: limits.max_entries,
        });
    }
    let centrals = read_central_directory(bytes, &end)?;
    let mut entries = Vec::with_capacity(centrals.len());
    let mut ranges = Vec::with_capacity(centrals.len());
    let mut total = 0u64;
    for c in &centrals {
        let (entry, range) = read_entry(bytes, c, end.cd_offset, limits)?;
        total = total.saturating_add(entry.uncompressed_size);
        entries.push(entry);
        ranges.push(range);
    }
    check_totals(total, bytes.len(), limits)?;
    check_tiling(&entries, &ranges, end.cd_offset)?;
    check_unique(&entries)?;
    Ok(Archive {
        entries,
        comment: end.comment,
    })
}

impl<'a> Entry<'a> {
    /// The uncompressed data: borrowed for a stored entry, inflated into a buffer of the
    /// declared size for a deflated one; the CRC-32 is checked either way.
    ///
    /// # Errors
    /// A size over `limits.max_entry_size`, a bad deflate stream, a stream that does not
    /// inflate to exactly the declared size, or a CRC-32 mismatch.
    pub fn data(&self, limits: &ZipLimits) -> Result<Cow<'a, [u8]>, ZipError> {
        let size = self.checked_size(limits)?;
        let data = match self.method {
            Method::Stored if self.compressed.len() == size => Cow::Borrowed(self.compressed),
            Method::Stored => {
                return Err(ZipError::StoredSize {
                    name: short(&self.name),
                });
            }
            Method::Deflated => Cow::Owned(inflate(self.compressed, size).map_err(|problem| ZipError::Inflate {
                name: short(&self.name),
                problem,
            })?),
        };
        if crc32(&data) != self.crc32 {
            return Err(ZipError::Crc32 {
                name: short(&self.name),
            });
        }
        Ok(data)
    }

    fn checked_size(&self, limits: &ZipLimits) -> Result<usize, ZipError> {
        let too_large = || ZipError::EntryTooLarge {
            name: short(&self.name),
            size: self.uncompressed_size,
            limit: limits.max_entry_size,
        };
        if self.uncompressed_size > limits.max_entry_size {
            return Err(too_large());
        }
        usize::try_from(self.uncompressed_size).map_err(|_| too_large())
    }

    /// Whether the entry is a directory (its name ends with `/`).
    pub fn is_dir(&self) -> bool {
        self.name.ends_with('/')
    }
}

/// Inflates `compressed` into exactly `size` bytes; one byte more of room shows a stream that
/// wants to write more.
fn inflate(compressed: &[u8], size: usize) -> Result<Vec<u8>, InflateProblem> {
    let room = size.checked_add(1).ok_or(InflateProblem::LongerThanDeclared)?;
    let mut out = vec![0u8; room];
    let mut state = Box::<DecompressorOxide>::default();
    let flags = inflate_flags::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF;
    let (status, used_in, used_out) = decompress(&mut state, compressed, &mut out, 0, flags);
    match status {
        TINFLStatus::Done if used_out > size => Err(InflateProblem::LongerThanDeclared),
        TINFLStatus::Done if used_out < size => Err(InflateProblem::ShorterThanDeclared),
        TINFLStatus::Done if used_in != compressed.len() => Err(InflateProblem::TrailingBytes),
        TINFLStatus::Done => {
            out.truncate(size);
            Ok(out)
        }
        TINFLStatus::HasMoreOutput => Err(InflateProblem::LongerThanDeclared),
        TINFLStatus::NeedsMoreInput | TINFLStatus::FailedCannotMakeProgress => Err(InflateProblem::Truncated),
        _ => Err(InflateProblem::Corrupt),
    }
}

/// The CRC-32 of ISO 3309 / ITU-T V.42 that ZIP uses (reflected polynomial 0xEDB88320).
pub fn crc32(data: &[u8]) -> u32 {
    let mut crc = U32_MAX;
    for &b in data {
        let [low, ..] = crc.to_le_bytes();
        crc = CRC_TABLE[usize::from(low ^ b)] ^ (crc >> 8);
    }
    !crc
}

const CRC_TABLE: [u32; 256] = crc_table();

const fn crc_table() -> [u32; 256] {
    let mut table = [0u32; 256];
    let mut n = 0u32;
    while n < 256 {
        let mut c = n;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 == 1 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
            k += 1;
        }
        table[n as usize] = c;
        n += 1;
    }
    table
}

/// A little-endian reader over a slice that never reads past its end.
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn at(bytes: &'a [u8], pos: usize) -> Self {
        Cursor { bytes, pos }
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.pos.checked_add(n)?;
        let out = self.bytes.get(self.pos..end)?;
        self.pos = end;
        Some(out)
    }

    fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.take(N)?.try_into().ok()
    }

    fn u16(&mut self) -> Option<u16> {
        self.array().map(u16::from_le_bytes)
    }

    fn u32(&mut self) -> Option<u32> {
        self.array().map(u32::from_le_bytes)
    }

    fn u64(&mut self) -> Option<u64> {
        self.array().map(u64::from_le_bytes)
    }

    fn take_u16_len(&mut self, len: u16) -> Option<&'a [u8]> {
        self.take(usize::from(len))
    }
}

fn to_usize(v: u64) -> Option<usize> {
    usize::try_from(v).ok()
}

fn to_u64(v: usize) -> u64 {
    u64::try_from(v).unwrap_or(u64::MAX)
}

/// What the end records say.
struct End<'a> {
    entries: u64,
    cd_offset: u64,
    cd_size: u64,
    comment: &'a [u8],
}

/// The end of central directory record as stored.
struct Eocd<'a> {
    pos: usize,
    disk: u16,
    cd_disk: u16,
    entries_here: u16,
    entries: u16,
    cd_size: u32,
    cd_offset: u32,
    comment: &'a [u8],
}

impl Eocd<'_> {
    fn needs_zip64(&self) -> bool {
        self.disk == U16_MAX
            || self.cd_disk == U16_MAX
            || self.entries_here == U16_MAX
            || self.entries == U16_MAX
            || self.cd_size == U32_MAX
            || self.cd_offset == U32_MAX
    }
}

fn read_end(bytes: &[u8]) -> Result<End<'_>, ZipError> {
    let eocd = parse_eocd(bytes, find_eocd(bytes)?)?;
    let plain_cd_end = u64::from(eocd.cd_offset).checked_add(u64::from(eocd.cd_size));
    if !eocd.needs_zip64() {
        check_single_disk(u32::from(eocd.disk), u32::from(eocd.cd_disk))?;
        if eocd.entries_here != eocd.entries {
            return Err(ZipError::MultiDisk);
        }
        if plain_cd_end == Some(to_u64(eocd.pos)) {
            return Ok(End {
                entries: u64::from(eocd.entries),
                cd_offset: u64::from(eocd.cd_offset),
                cd_size: u64::from(eocd.cd_size),
                comment: eocd.comment,
            });
        }
    }
    let has_locator = eocd
        .pos
        .checked_sub(ZIP64_LOCATOR_LEN)
        .and_then(|p| Cursor::at(bytes, p).u32())
        .is_some_and(|sig| sig == ZIP64_LOCATOR_SIG);
    match (has_locator, eocd.needs_zip64()) {
        (true, _) => read_zip64_end(bytes, &eocd),
        (false, true) => Err(ZipError::Zip64("no locator before the end record")),
        (false, false) => Err(ZipError::CentralDirectoryMisplaced),
    }
}

/// The one position where an end record ends exactly at the end of the file.
fn find_eocd(bytes: &[u8]) -> Result<usize, ZipError> {
    let last = bytes.len().checked_sub(EOCD_LEN).ok_or(ZipError::NoEndRecord)?;
    let first = last.saturating_sub(usize::from(U16_MAX));
    let mut found = None;
    let mut signature_seen = false;
    for pos in (first..=last).rev() {
        let mut c = Cursor::at(bytes, pos);
        if c.u32() != Some(EOCD_SIG) {
            continue;
        }
        signature_seen = true;
        let comment_len = Cursor::at(bytes, pos + 20).u16().map(usize::from);
        if comment_len.and_then(|n| n.checked_add(pos + EOCD_LEN)) == Some(bytes.len()) {
            if found.is_some() {
                return Err(ZipError::AmbiguousEnd);
            }
            found = Some(pos);
        }
    }
    match (found, signature_seen) {
        (Some(pos), _) => Ok(pos),
        (None, true) => Err(ZipError::CommentLength),
        (None, false) => Err(ZipError::NoEndRecord),
    }
}

fn parse_eocd(bytes: &[u8], pos: usize) -> Result<Eocd<'_>, ZipError> {
    let mut c = Cursor::at(bytes, pos + 4);
    let parsed = (|| {
        Some(Eocd {
            pos,
            disk: c.u16()?,
            cd_disk: c.u16()?,
            entries_here: c.u16()?,
            entries: c.u16()?,
            cd_size: c.u32()?,
            cd_offset: c.u32()?,
            comment: {
                let n = c.u16()?;
                c.take_u16_len(n)?
            },
        })
    })();
    parsed.ok_or(ZipError::NoEndRecord)
}

fn check_single_disk(disk: u32, cd_disk: u32) -> Result<(), ZipError> {
    if disk == 0 && cd_disk == 0 {
        Ok(())
    } else {
        Err(ZipError::MultiDisk)
    }
}

/// The ZIP64 end of central directory locator and record (APPNOTE 4.3.14, 4.3.15): the record
/// ends where the locator starts, and the central directory ends where the record starts.
fn read_zip64_end<'a>(bytes: &'a [u8], eocd: &Eocd<'a>) -> Result<End<'a>, ZipError> {
    let locator_pos = eocd
        .pos
        .checked_sub(ZIP64_LOCATOR_LEN)
        .ok_or(ZipError::Zip64("no locator before the end record"))?;
    let mut c = Cursor::at(bytes, locator_pos + 4);
    let bad = ZipError::Zip64("malformed locator");
    let (record_disk, record_offset, disks) = (
        c.u32().ok_or(bad.clone())?,
        c.u64().ok_or(bad.clone())?,
        c.u32().ok_or(bad)?,
    );
    if record_disk != 0 || disks != 1 {
        return Err(ZipError::MultiDisk);
    }
    let record_pos = to_usize(record_offset).ok_or(ZipError::Zip64("record offset out of range"))?;
    let end = parse_zip64_record(bytes, record_pos, locator_pos)?;
    check_zip64_agrees(eocd, &end)?;
    if end.cd_offset.checked_add(end.cd_size) != Some(record_offset) {
        return Err(ZipError::CentralDirectoryMisplaced);
    }
    Ok(End {
        comment: eocd.comment,
        ..end
    })
}

fn parse_zip64_record(bytes: &[u8], pos: usize, locator_pos: usize) -> Result<End<'static>, ZipError> {
    let mut c = Cursor::at(bytes, pos);
    let malformed = ZipError::Zip64("malformed record");
    let fields = (|| {
        let sig = c.u32()?;
        let size = c.u64()?;
        let _versions = c.u32()?;
        Some((sig, size, c.u32()?, c.u32()?, c.u64()?, c.u64()?, c.u64()?, c.u64()?))
    })();
    let (sig, size, disk, cd_disk, entries_here, entries, cd_size, cd_offset) = fields.ok_or(malformed.clone())?;
    let record_end = to_u64(pos).checked_add(12).and_then(|p| p.checked_add(size));
    if sig != ZIP64_EOCD_SIG || size < ZIP64_EOCD_MIN || record_end != Some(to_u64(locator_pos)) {
        return Err(malformed);
    }
    check_single_disk(disk, cd_disk)?;
    if entries_here != entries {
        return Err(ZipError::MultiDisk);
    }
    Ok(End {
        entries,
        cd_offset,
        cd_size,
        comment: &[],
    })
}

/// Each field of the classic end record is either its "see ZIP64" sentinel or the ZIP64 value.
fn check_zip64_agrees(eocd: &Eocd<'_>, end: &End<'_>) -> Result<(), ZipError> {
    let agrees16 = |v: u16, wide: u64| v == U16_MAX || u64::from(v) == wide;
    let agrees32 = |v: u32, wide: u64| v == U32_MAX || u64::from(v) == wide;
    let ok = agrees16(eocd.disk, 0)
        && agrees16(eocd.cd_disk, 0)
        && agrees16(eocd.entries_here, end.entries)
        && agrees16(eocd.entries, end.entries)
        && agrees32(eocd.cd_size, end.cd_size)
        && agrees32(eocd.cd_offset, end.cd_offset);
    if ok {
        Ok(())
    } else {
        Err(ZipError::Zip64("end record and ZIP64 record disagree"))
    }
}

/// A central directory file header (APPNOTE 4.3.12), ZIP64 values resolved.
struct Central<'a> {
    name_bytes: &'a [u8],
    flags: u16,
    method: u16,
    crc32: u32,
    compressed_size: u64,
    uncompressed_size: u64,
    local_offset: u64,
}

fn read_central_directory<'a>(bytes: &'a [u8], end: &End<'_>) -> Result<Vec<Central<'a>>, ZipError> {
    let start = to_usize(end.cd_offset).ok_or(ZipError::CentralDirectoryMisplaced)?;
    let size = to_usize(end.cd_size).ok_or(ZipError::CentralDirectoryMisplaced)?;
    let cd_end = start.checked_add(size).ok_or(ZipError::CentralDirectoryMisplaced)?;
    let cd = bytes.get(..cd_end).ok_or(ZipError::CentralDirectoryMisplaced)?;
    let min = to_u64(CENTRAL_LEN).saturating_mul(end.entries);
    if min > end.cd_size {
        return Err(central_error(
            end.entries,
            "the central directory is too small for its entries",
        ));
    }
    let mut cursor = Cursor::at(cd, start);
    let mut out = Vec::with_capacity(to_usize(end.entries).unwrap_or(0));
    for index in 0..end.entries {
        out.push(parse_central(&mut cursor, index)?);
    }
    if cursor.pos != cd_end {
        return Err(central_error(end.entries, "bytes after the last central header"));
    }
    Ok(out)
}

fn central_error(index: u64, what: &'static str) -> ZipError {
    ZipError::CentralHeader { index, what }
}

fn parse_central<'a>(c: &mut Cursor<'a>, index: u64) -> Result<Central<'a>, ZipError> {
    let truncated = || central_error(index, "truncated");
    if c.u32().ok_or_else(truncated)? != CENTRAL_SIG {
        return Err(central_error(index, "bad signature"));
    }
    let fixed = (|| {
        let _versions = c.u32()?;
        let (flags, method) = (c.u16()?, c.u16()?);
        let _time_date = c.u32()?;
        let (crc, csize, usize_, nlen, elen, clen) = (c.u32()?, c.u32()?, c.u32()?, c.u16()?, c.u16()?, c.u16()?);
        let (disk, _internal, _external, offset) = (c.u16()?, c.u16()?, c.u32()?, c.u32()?);
        Some((flags, method, crc, csize, usize_, nlen, elen, clen, disk, offset))
    })();
    let (flags, method, crc32, csize, usize_, nlen, elen, clen, disk, offset) = fixed.ok_or_else(truncated)?;
    let name_bytes = c.take_u16_len(nlen).ok_or_else(truncated)?;
    let extra = c.take_u16_len(elen).ok_or_else(truncated)?;
    c.take_u16_len(clen).ok_or_else(truncated)?;
    let name = || short_bytes(name_bytes);
    let zip64 = find_extra(extra, ZIP64_EXTRA).map_err(|()| ZipError::ExtraField { name: name() })?;
    let mut wide = Cursor::at(zip64.unwrap_or(&[]), 0);
    let bad = || ZipError::ExtraField { name: name() };
    let uncompressed_size = widen32(usize_, &mut wide).ok_or_else(bad)?;
    let compressed_size = widen32(csize, &mut wide).ok_or_else(bad)?;
    let local_offset = widen32(offset, &mut wide).ok_or_else(bad)?;
    let disk = if disk == U16_MAX {
        wide.u32().ok_or_else(bad)?
    } else {
        u32::from(disk)
    };
    if disk != 0 {
        return Err(ZipError::MultiDisk);
    }
    Ok(Central {
        name_bytes,
        flags,
        method,
        crc32,
        compressed_size,
        uncompressed_size,
        local_offset,
    })
}

/// A 32-bit field, or the next 64-bit value of the ZIP64 extra field when it is the sentinel.
fn widen32(v: u32, zip64: &mut Cursor<'_>) -> Option<u64> {
    if v == U32_MAX { zip64.u64() } else { Some(u64::from(v)) }
}

/// The data of the extra field block with header `id`; `Err` when the extra field is not a
/// sequence of well-formed blocks or holds `id` twice (APPNOTE 4.5.1).
fn find_extra(extra: &[u8], id: u16) -> Result<Option<&[u8]>, ()> {
    let mut c = Cursor::at(extra, 0);
    let mut found = None;
    while c.pos < extra.len() {
        let (header, len) = (c.u16().ok_or(())?, c.u16().ok_or(())?);
        let data = c.take_u16_len(len).ok_or(())?;
        if header == id {
            if found.is_some() {
                return Err(());
            }
            found = Some(data);
        }
    }
    Ok(found)
}

/// The entry of central header `c`, checked against its local header; and its byte range.
fn read_entry<'a>(
    bytes: &'a [u8],
    c: &Central<'a>,
    cd_offset: u64,
    limits: &ZipLimits,
) -> Result<(Entry<'a>, (u64, u64)), ZipError> {
    let name = check_name(c.name_bytes, c.flags).map_err(|problem| ZipError::BadName {
        name: short_bytes(c.name_bytes),
        problem,
    })?;
    let method = check_method(c, &name)?;
    check_declared_sizes(c, &name, limits)?;
    let local = read_local(bytes, c, &name, cd_offset)?;
    let compressed =
        slice(bytes, local.data_start, c.compressed_size).ok_or_else(|| local_error(&name, "data out of range"))?;
    let data_end = local.data_start.saturating_add(c.compressed_size);
    let end = if c.flags & DESCRIPTOR_FLAG != 0 {
        read_descriptor(bytes, c, &name, data_end, local.zip64)?
    } else {
        data_end
    };
    if end > cd_offset {
        return Err(local_error(&name, "runs into the central directory"));
    }
    let entry = Entry {
        name,
        method,
        flags: c.flags,
        compressed,
        uncompressed_size: c.uncompressed_size,
        crc32: c.crc32,
        local_header_offset: c.local_offset,
        local_header: local.header,
        local_extra: local.extra,
        data_descriptor: c.flags & DESCRIPTOR_FLAG != 0,
    };
    Ok((entry, (c.local_offset, end)))
}

fn slice(bytes: &[u8], start: u64, len: u64) -> Option<&[u8]> {
    let start = to_usize(start)?;
    bytes.get(start..start.checked_add(to_usize(len)?)?)
}

fn local_error(name: &str, what: &'static str) -> ZipError {
    ZipError::LocalHeader {
        name: short(name),
        what,
    }
}

fn check_method(c: &Central<'_>, name: &str) -> Result<Method, ZipError> {
    if c.flags & ENCRYPTION_FLAGS != 0 {
        return Err(ZipError::Encrypted { name: short(name) });
    }
    match c.method {
        0 if c.compressed_size != c.uncompressed_size => Err(ZipError::StoredSize { name: short(name) }),
        0 => Ok(Method::Stored),
        8 => Ok(Method::Deflated),
        method => Err(ZipError::UnsupportedMethod {
            name: short(name),
            method,
        }),
    }
}

/// The declared uncompressed size against the entry limit and the ratio, before any inflating.
fn check_declared_sizes(c: &Central<'_>, name: &str, limits: &ZipLimits) -> Result<(), ZipError> {
    if ratio_exceeded(c.uncompressed_size, c.compressed_size, limits) {
        return Err(ZipError::EntryRatio {
            name: short(name),
            limit: limits.max_ratio,
        });
    }
    if c.uncompressed_size > limits.max_entry_size {
        return Err(ZipError::EntryTooLarge {
            name: short(name),
            size: c.uncompressed_size,
            limit: limits.max_entry_size,
        });
    }
    Ok(())
}

fn ratio_exceeded(uncompressed: u64, compressed: u64, limits: &ZipLimits) -> bool {
    uncompressed > limits.ratio_threshold && uncompressed > compressed.saturating_mul(limits.max_ratio)
}

fn check_totals(total: u64, archive_len: usize, limits: &ZipLimits) -> Result<(), ZipError> {
    if total > limits.max_total_size {
        return Err(ZipError::TotalTooLarge {
            limit: limits.max_total_size,
        });
    }
    if ratio_exceeded(total, to_u64(archive_len), limits) {
        return Err(ZipError::ArchiveRatio {
            limit: limits.max_ratio,
        });
    }
    Ok(())
}

/// A local file header (APPNOTE 4.3.7) found where its central header points.
struct Local<'a> {
    header: &'a [u8],
    extra: &'a [u8],
    data_start: u64,
    zip64: bool,
}

fn read_local<'a>(bytes: &'a [u8], c: &Central<'a>, name: &str, cd_offset: u64) -> Result<Local<'a>, ZipError> {
    let truncated = || local_error(name, "local header out of range");
    if c.local_offset >= cd_offset {
        return Err(truncated());
    }
    let start = to_usize(c.local_offset).ok_or_else(truncated)?;
    let mut r = Cursor::at(bytes, start);
    if r.u32().ok_or_else(truncated)? != LOCAL_SIG {
        return Err(local_error(name, "no local header signature"));
    }
    let fixed = (|| {
        let _version = r.u16()?;
        let (flags, method) = (r.u16()?, r.u16()?);
        let _time_date = r.u32()?;
        Some((flags, method, r.u32()?, r.u32()?, r.u32()?, r.u16()?, r.u16()?))
    })();
    let (flags, method, crc, csize, usize_, nlen, elen) = fixed.ok_or_else(truncated)?;
    let name_bytes = r.take_u16_len(nlen).ok_or_else(truncated)?;
    let extra = r.take_u16_len(elen).ok_or_else(truncated)?;
    let mismatch = |field| ZipError::LocalMismatch {
        name: short(name),
        field,
    };
    if name_bytes != c.name_bytes {
        return Err(mismatch(Field::Name));
    }
    if method != c.method {
        return Err(mismatch(Field::Method));
    }
    if flags != c.flags {
        return Err(mismatch(Field::Flags));
    }
    let zip64 = find_extra(extra, ZIP64_EXTRA).map_err(|()| ZipError::ExtraField { name: short(name) })?;
    let (lusize, lcsize) =
        local_sizes(usize_, csize, zip64).ok_or_else(|| ZipError::ExtraField { name: short(name) })?;
    check_local_values(c, (crc, lcsize, lusize)).map_err(mismatch)?;
    Ok(Local {
        header: bytes.get(start..r.pos).ok_or_else(truncated)?,
        extra,
        data_start: to_u64(r.pos),
        zip64: zip64.is_some(),
    })
}

/// The local sizes: with either 32-bit field at its sentinel, the ZIP64 extra field holds both,
/// uncompressed first (APPNOTE 4.5.3).
fn local_sizes(usize_: u32, csize: u32, zip64: Option<&[u8]>) -> Option<(u64, u64)> {
    if usize_ != U32_MAX && csize != U32_MAX {
        return Some((u64::from(usize_), u64::from(csize)));
    }
    let mut c = Cursor::at(zip64?, 0);
    Some((c.u64()?, c.u64()?))
}

/// The local CRC-32 and sizes equal the central ones; with a data descriptor they may also be
/// zero (APPNOTE 4.4.4).
fn check_local_values(c: &Central<'_>, (crc, csize, usize_): (u32, u64, u64)) -> Result<(), Field> {
    let deferred = c.flags & DESCRIPTOR_FLAG != 0;
    let ok = |local: u64, central: u64| local == central || (deferred && local == 0);
    if !ok(u64::from(crc), u64::from(c.crc32)) {
        return Err(Field::Crc32);
    }
    if !ok(csize, c.compressed_size) {
        return Err(Field::CompressedSize);
    }
    if !ok(usize_, c.uncompressed_size) {
        return Err(Field::UncompressedSize);
    }
    Ok(())
}

/// The data descriptor after the data (APPNOTE 4.3.9): an optional signature, the CRC-32 and
/// the two sizes (8 bytes each when the local header has a ZIP64 extra field). Returns where it
/// ends.
fn read_descriptor(bytes: &[u8], c: &Central<'_>, name: &str, at: u64, zip64: bool) -> Result<u64, ZipError> {
    let start = to_usize(at).ok_or_else(|| local_error(name, "data descriptor out of range"))?;
    let mut first = None;
    for skip in [4usize, 0] {
        let mut r = Cursor::at(bytes, start);
        if skip == 4 && r.u32() != Some(DESCRIPTOR_SIG) {
            continue;
        }
        match parse_descriptor(&mut r, zip64).map(|values| check_descriptor(c, values)) {
            Some(Ok(())) => return Ok(to_u64(r.pos)),
            Some(Err(field)) => first = first.or(Some(field)),
            None => {}
        }
    }
    Err(match first {
        Some(field) => ZipError::DescriptorMismatch {
            name: short(name),
            field,
        },
        None => local_error(name, "data descriptor out of range"),
    })
}

fn parse_descriptor(r: &mut Cursor<'_>, zip64: bool) -> Option<(u32, u64, u64)> {
    let crc = r.u32()?;
    if zip64 {
        Some((crc, r.u64()?, r.u64()?))
    } else {
        Some((crc, u64::from(r.u32()?), u64::from(r.u32()?)))
    }
}

fn check_descriptor(c: &Central<'_>, (crc, csize, usize_): (u32, u64, u64)) -> Result<(), Field> {
    if crc != c.crc32 {
        Err(Field::Crc32)
    } else if csize != c.compressed_size {
        Err(Field::CompressedSize)
    } else if usize_ != c.uncompressed_size {
        Err(Field::UncompressedSize)
    } else {
        Ok(())
    }
}

/// The name as text, if it is one this reader accepts (see [`NameProblem`]).
fn check_name(raw: &[u8], flags: u16) -> Result<String, NameProblem> {
    if raw.is_empty() {
        return Err(NameProblem::Empty);
    }
    if flags & UTF8_FLAG == 0 && !raw.is_ascii() {
        return Err(NameProblem::NotAscii);
    }
    let name = std::str::from_utf8(raw).map_err(|_| NameProblem::NotUtf8)?;
    if name.chars().any(char::is_control) {
        return Err(NameProblem::Control);
    }
    if name.contains('\\') {
        return Err(NameProblem::Backslash);
    }
    if name.starts_with('/') {
        return Err(NameProblem::Absolute);
    }
    if let [letter, b':', ..] = raw {
        if letter.is_ascii_alphabetic() {
            return Err(NameProblem::DriveLetter);
        }
    }
    check_segments(name)?;
    Ok(name.to_owned())
}

fn check_segments(name: &str) -> Result<(), NameProblem> {
    let body = name.strip_suffix('/').unwrap_or(name);
    for segment in body.split('/') {
        match segment {
            "" => return Err(NameProblem::EmptySegment),
            "." => return Err(NameProblem::Dot),
            ".." => return Err(NameProblem::DotDot),
            _ => {}
        }
    }
    Ok(())
}

fn check_unique(entries: &[Entry<'_>]) -> Result<(), ZipError> {
    let mut seen = HashSet::with_capacity(entries.len());
    for e in entries {
        if !seen.insert(e.name.as_str()) {
            return Err(ZipError::DuplicateName { name: short(&e.name) });
        }
    }
    Ok(())
}

/// The entries' ranges, in file order, follow one another from offset 0 to the central
/// directory without gaps or overlaps.
fn check_tiling(entries: &[Entry<'_>], ranges: &[(u64, u64)], cd_offset: u64) -> Result<(), ZipError> {
    let mut order: Vec<usize> = (0..ranges.len()).collect();
    order.sort_by_key(|&i| ranges.get(i).map(|r| r.0));
    let mut expected = 0u64;
    let mut previous: Option<usize> = None;
    for i in order {
        let (Some(&(start, end)), Some(entry)) = (ranges.get(i), entries.get(i)) else {
            continue;
        };
        if start > expected {
            return Err(gap(expected, start));
        }
        if start < expected {
            let other = previous
                .and_then(|p| entries.get(p))
                .map(|e| short(&e.name))
                .unwrap_or_default();
            return Err(ZipError::Overlap {
                name: short(&entry.name),
                other,
            });
        }
        expected = end;
        previous = Some(i);
    }
    if expected != cd_offset {
        return Err(gap(expected, cd_offset));
    }
    Ok(())
}

fn gap(from: u64, to: u64) -> ZipError {
    ZipError::Gap {
        offset: from,
        len: to.saturating_sub(from),
    }
}

/// `name` cut to 64 characters, control characters replaced by `?`.
fn short(name: &str) -> String {
    name.chars()
        .take(NAME_CHARS)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

fn short_bytes(name: &[u8]) -> String {
    short(&String::from_utf8_lossy(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        let ok = |n: &str| check_name(n.as_bytes(), UTF8_FLAG);
        assert_eq!(ok("META-INF/manifest.xml").as_deref(), Ok("META-INF/manifest.xml"));
        assert_eq!(ok("dir/").as_deref(), Ok("dir/"));
        assert_eq!(ok("ä.txt").as_deref(), Ok("ä.txt"));
        assert_eq!(ok("a/./b"), Err(NameProblem::Dot));
        assert_eq!(ok("a//b"), Err(NameProblem::EmptySegment));
        assert_eq!(ok("a/../b"), Err(NameProblem::DotDot));
        assert_eq!(ok(".."), Err(NameProblem::DotDot));
        assert_eq!(ok(""), Err(NameProblem::Empty));
        assert_eq!(ok("a\tb"), Err(NameProblem::Control));
        assert_eq!(ok("z:/x"), Err(NameProblem::DriveLetter));
        assert_eq!(ok("1:x").as_deref(), Ok("1:x"));
        assert_eq!(check_name(b"\xff", UTF8_FLAG), Err(NameProblem::NotUtf8));
        assert_eq!(check_name("ä".as_bytes(), 0), Err(NameProblem::NotAscii));
    }

    /// `abc` as one fixed-Huffman deflate block (zlib level 6, raw).
    const ABC: [u8; 5] = [0x4b, 0x4c, 0x4a, 0x06, 0x00];

    #[test]
    fn inflate_matches_the_declared_size_exactly() {
        assert_eq!(inflate(&ABC, 3), Ok(b"abc".to_vec()));
        assert_eq!(inflate(&ABC, 2), Err(InflateProblem::LongerThanDeclared));
        assert_eq!(inflate(&ABC, 4), Err(InflateProblem::ShorterThanDeclared));
        assert_eq!(inflate(&ABC[..3], 3), Err(InflateProblem::Truncated));
        assert_eq!(inflate(&[0xff; 8], 3), Err(InflateProblem::Corrupt));
        assert_eq!(
            inflate(&[&ABC[..], b"x"].concat(), 3),
            Err(InflateProblem::TrailingBytes)
        );
        assert_eq!(inflate(&[], 0), Err(InflateProblem::Truncated));
    }

    #[test]
    fn short_names_in_errors() {
        let long = "x".repeat(500);
        assert_eq!(short(&long).chars().count(), NAME_CHARS);
        assert_eq!(short("a\u{1b}[31m"), "a?[31m");
    }
}

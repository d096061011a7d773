//! Every input of the command line is read here, each under its own limit.
//!
//! A read stops one byte past its limit whatever the file claims to be: the limit is counted on
//! the bytes read, never taken from metadata, so `/dev/zero`, a FIFO or a file that grows while
//! it is read ends with an error naming the input and the limit. A detached content is not
//! held at all: it is hashed as it is read ([`digests`]), in constant memory, under a limit
//! of its own that stops an endless stream.

use std::fmt;
use std::io::{ErrorKind, Read};
use std::path::Path;

use anyhow::{Context, Result, bail};
use sigverify::HashAlg;

/// Largest signature file or certificate given to `verify`: the library's own input limit.
pub const SIGNATURE_FILE: usize = sigverify::MAX_INPUT_LEN;
/// Largest Mobile ID response (`mobileid --response`): the JSON carries one CMS signature of a
/// few KiB with its certificates, Base64-encoded; 4 MiB leaves room for any chain.
pub const MOBILEID_RESPONSE: usize = 4 * 1024 * 1024;
/// Largest certificate file (`raw --certificate`): one certificate, PEM or DER; real ones are
/// a few KiB.
pub const CERTIFICATE: usize = 1024 * 1024;
/// Largest signature value file (`raw --signature-value`): an RSA-16384 value is 2 KiB, as
/// Base64 text under 3 KiB.
pub const SIGNATURE_VALUE: usize = 1024 * 1024;
/// Largest policy file (`--policy`, TOML); the bundled policy is a few KiB.
pub const POLICY: usize = 1024 * 1024;
/// Largest `--ocsp-response` (the OCSP parser's own limit).
pub const OCSP_RESPONSE: usize = 1024 * 1024;
/// Largest `--crl` (the CRL parser's own limit).
pub const CRL: usize = 16 * 1024 * 1024;
/// Default limit of a streamed content (`verify --content`, `raw --data`), changed with
/// `--max-content-bytes`. The content costs no memory; the limit stops an endless stream.
pub const CONTENT_DEFAULT: u64 = 16 * 1024 * 1024 * 1024;

/// Size of the buffer a streamed content is read through.
const CHUNK: usize = 64 * 1024;

/// One input of the command line, named as the user gave it: `--content big.bin`, or a FILE
/// argument (which is standard input when it is `-`).
#[derive(Clone, Copy)]
pub struct Input<'a> {
    option: Option<&'static str>,
    path: &'a Path,
}

impl<'a> Input<'a> {
    /// A FILE argument; `-` is standard input.
    pub fn file(path: &'a Path) -> Input<'a> {
        Input { option: None, path }
    }

    /// The file given to `option` (`-` is a file name there).
    pub fn option(option: &'static str, path: &'a Path) -> Input<'a> {
        Input {
            option: Some(option),
            path,
        }
    }

    /// Whether this input is standard input.
    pub fn is_stdin(&self) -> bool {
        self.option.is_none() && is_stdin(self.path)
    }

    fn open(&self) -> Result<Box<dyn Read>> {
        if self.is_stdin() {
            return Ok(Box::new(std::io::stdin().lock()));
        }
        let file = std::fs::File::open(self.path).with_context(|| self.to_string())?;
        Ok(Box::new(file))
    }
}

impl fmt::Display for Input<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.option {
            _ if self.is_stdin() => f.write_str("standard input"),
            Some(o) => write!(f, "{o} {}", self.path.display()),
            None => write!(f, "{}", self.path.display()),
        }
    }
}

/// Whether a FILE argument names standard input.
pub fn is_stdin(path: &Path) -> bool {
    // The first test spares the comparison of components to almost every path.
    path.as_os_str().as_encoded_bytes().first() == Some(&b'-') && path == Path::new("-")
}

/// Reads `input` whole; more than `limit` bytes is an error.
pub fn whole(input: Input<'_>, limit: usize) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    whole_into(input, limit, &mut bytes)?;
    Ok(bytes)
}

/// Reads `input` whole into `bytes` (emptied first), so that a buffer can serve one input after
/// another: a small file then takes one read and the one that finds its end. More than `limit`
/// bytes is an error.
pub fn whole_into(input: Input<'_>, limit: usize, bytes: &mut Vec<u8>) -> Result<()> {
    bytes.clear();
    bytes.reserve(CHUNK.min(limit.saturating_add(1)));
    let bound = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    input
        .open()?
        .take(bound)
        .read_to_end(bytes)
        .with_context(|| input.to_string())?;
    if bytes.len() > limit {
        bail!("{input}: larger than {limit} bytes");
    }
    Ok(())
}

/// Reads `input` whole as UTF-8 text; more than `limit` bytes is an error.
pub fn text(input: Input<'_>, limit: usize) -> Result<String> {
    String::from_utf8(whole(input, limit)?).with_context(|| format!("{input}: not UTF-8 text"))
}

/// The digests of `input` under each of `algs`, computed in one pass as it is read; more than
/// `limit` bytes is an error. The memory used does not depend on the input's size.
pub fn digests(input: Input<'_>, algs: &[HashAlg], limit: u64) -> Result<Vec<(HashAlg, Vec<u8>)>> {
    let mut reader = input.open()?;
    let mut hashers: Vec<_> = algs.iter().map(|a| (*a, a.hasher())).collect();
    let mut buf = vec![0u8; CHUNK];
    let mut total: u64 = 0;
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e).with_context(|| input.to_string()),
        };
        total = total.saturating_add(u64::try_from(n).unwrap_or(u64::MAX));
        if total > limit {
            bail!("{input}: larger than {limit} bytes");
        }
        for (_, h) in &mut hashers {
            h.update(&buf[..n]);
        }
    }
    Ok(hashers.into_iter().map(|(a, h)| (a, h.finish())).collect())
}

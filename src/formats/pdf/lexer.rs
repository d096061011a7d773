//! PDF tokens ([ISO 32000-2 §7.2, §7.3](https://pdfa.org/resource/iso-32000-2/)): one token at a
//! time from a byte position, no recursion; strings and names are decoded here.

use super::PdfError;

/// One token.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Token<'a> {
    /// A run of regular characters that is not a number (`true`, `obj`, `R`, ...).
    Keyword(&'a [u8]),
    /// An integer.
    Integer(i64),
    /// A real number.
    Real(f64),
    /// A name, `#xx` escapes decoded, without the slash.
    Name(Vec<u8>),
    /// A literal or hexadecimal string, decoded.
    Str(Vec<u8>),
    /// `[`
    ArrayOpen,
    /// `]`
    ArrayClose,
    /// `<<`
    DictOpen,
    /// `>>`
    DictClose,
}

/// White-space characters (§7.2.3, Table 1).
pub(crate) fn is_white(b: u8) -> bool {
    matches!(b, 0 | b'\t' | b'\n' | 0x0c | b'\r' | b' ')
}

/// Delimiter characters (§7.2.3, Table 2).
fn is_delimiter(b: u8) -> bool {
    matches!(b, b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%')
}

fn is_regular(b: u8) -> bool {
    !is_white(b) && !is_delimiter(b)
}

/// A cursor over the file that hands out tokens.
#[derive(Clone, Debug)]
pub(crate) struct Lexer<'a> {
    buf: &'a [u8],
    /// The next byte to read.
    pub(crate) pos: usize,
}

impl<'a> Lexer<'a> {
    /// A lexer at `pos`.
    pub(crate) fn new(buf: &'a [u8], pos: usize) -> Self {
        Lexer { buf, pos }
    }

    fn peek_byte(&self) -> Option<u8> {
        self.buf.get(self.pos).copied()
    }

    fn syntax(&self, what: &'static str) -> PdfError {
        PdfError::Syntax { offset: self.pos, what }
    }

    /// Skips white space only (not comments).
    pub(crate) fn skip_white(&mut self) {
        while self.peek_byte().is_some_and(is_white) {
            self.pos += 1;
        }
    }

    /// Skips white space and comments.
    pub(crate) fn skip_white_and_comments(&mut self) {
        loop {
            self.skip_white();
            if self.peek_byte() != Some(b'%') {
                return;
            }
            while self.peek_byte().is_some_and(|b| b != b'\n' && b != b'\r') {
                self.pos += 1;
            }
        }
    }

    /// The next token and where it starts, or `None` at the end of the input.
    pub(crate) fn next_token(&mut self) -> Result<Option<(usize, Token<'a>)>, PdfError> {
        self.skip_white_and_comments();
        let start = self.pos;
        let Some(b) = self.peek_byte() else {
            return Ok(None);
        };
        let token = match b {
            b'[' => self.single(Token::ArrayOpen),
            b']' => self.single(Token::ArrayClose),
            b'<' if self.buf.get(start + 1) == Some(&b'<') => self.double(Token::DictOpen),
            b'>' if self.buf.get(start + 1) == Some(&b'>') => self.double(Token::DictClose),
            b'<' => Token::Str(self.hex_string()?),
            b'(' => Token::Str(self.literal_string()?),
            b'/' => Token::Name(self.name()?),
            b')' | b'>' | b'{' | b'}' => return Err(self.syntax("unexpected delimiter")),
            _ => self.regular()?,
        };
        Ok(Some((start, token)))
    }

    fn single(&mut self, t: Token<'a>) -> Token<'a> {
        self.pos += 1;
        t
    }

    fn double(&mut self, t: Token<'a>) -> Token<'a> {
        self.pos += 2;
        t
    }

    fn regular(&mut self) -> Result<Token<'a>, PdfError> {
        let start = self.pos;
        while self.peek_byte().is_some_and(is_regular) {
            self.pos += 1;
        }
        let word = self.buf.get(start..self.pos).unwrap_or_default();
        number(word).map_or(Ok(Token::Keyword(word)), |n| {
            n.ok_or(PdfError::Syntax {
                offset: start,
                what: "number out of range",
            })
        })
    }

    fn name(&mut self) -> Result<Vec<u8>, PdfError> {
        self.pos += 1;
        let mut out = Vec::new();
        while let Some(b) = self.peek_byte().filter(|&b| is_regular(b)) {
            if b == b'#' {
                let hi = self.buf.get(self.pos + 1).and_then(|&h| hex_value(h));
                let lo = self.buf.get(self.pos + 2).and_then(|&l| hex_value(l));
                let (Some(hi), Some(lo)) = (hi, lo) else {
                    return Err(self.syntax("bad #xx escape in a name"));
                };
                out.push(hi << 4 | lo);
                self.pos += 3;
            } else {
                out.push(b);
                self.pos += 1;
            }
        }
        Ok(out)
    }

    fn hex_string(&mut self) -> Result<Vec<u8>, PdfError> {
        self.pos += 1;
        let mut out = Vec::new();
        let mut high: Option<u8> = None;
        loop {
            let b = self.peek_byte().ok_or(self.syntax("unterminated hex string"))?;
            self.pos += 1;
            if b == b'>' {
                break;
            }
            if is_white(b) {
                continue;
            }
            let v = hex_value(b).ok_or(self.syntax("bad digit in a hex string"))?;
            match high.take() {
                None => high = Some(v),
                Some(h) => out.push(h << 4 | v),
            }
        }
        if let Some(h) = high {
            out.push(h << 4);
        }
        Ok(out)
    }

    fn literal_string(&mut self) -> Result<Vec<u8>, PdfError> {
        self.pos += 1;
        let mut out = Vec::new();
        let mut depth = 0usize;
        loop {
            let b = self.peek_byte().ok_or(self.syntax("unterminated string"))?;
            self.pos += 1;
            match b {
                b'(' => {
                    depth += 1;
                    out.push(b);
                }
                b')' if depth == 0 => return Ok(out),
                b')' => {
                    depth -= 1;
                    out.push(b);
                }
                b'\\' => self.escape(&mut out)?,
                b'\r' => {
                    self.skip_lf();
                    out.push(b'\n');
                }
                _ => out.push(b),
            }
        }
    }

    fn skip_lf(&mut self) {
        if self.peek_byte() == Some(b'\n') {
            self.pos += 1;
        }
    }

    fn escape(&mut self, out: &mut Vec<u8>) -> Result<(), PdfError> {
        let b = self.peek_byte().ok_or(self.syntax("unterminated string"))?;
        self.pos += 1;
        match b {
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'b' => out.push(0x08),
            b'f' => out.push(0x0c),
            b'\r' => self.skip_lf(),
            b'\n' => {}
            b'0'..=b'7' => out.push(self.octal(b)),
            _ => out.push(b),
        }
        Ok(())
    }

    fn octal(&mut self, first: u8) -> u8 {
        let mut v = u32::from(first - b'0');
        for _ in 0..2 {
            match self.peek_byte() {
                Some(d @ b'0'..=b'7') => {
                    v = v * 8 + u32::from(d - b'0');
                    self.pos += 1;
                }
                _ => break,
            }
        }
        // High-order overflow is ignored (§7.3.4.2).
        v.to_le_bytes()[0]
    }
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// `None` if `word` is not shaped like a number; `Some(None)` if it is but does not fit.
fn number(word: &[u8]) -> Option<Option<Token<'static>>> {
    let digits = word.strip_prefix(b"+").or(word.strip_prefix(b"-")).unwrap_or(word);
    let dots = digits.iter().filter(|&&b| b == b'.').count();
    let shaped =
        dots <= 1 && digits.iter().any(u8::is_ascii_digit) && digits.iter().all(|&b| b == b'.' || b.is_ascii_digit());
    if !shaped {
        return None;
    }
    let text = std::str::from_utf8(word).ok()?;
    Some(if dots == 0 {
        text.parse::<i64>().ok().map(Token::Integer)
    } else {
        text.parse::<f64>().ok().map(Token::Real)
    })
}

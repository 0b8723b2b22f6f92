//! Streaming output files that survive interruption.
//!
//! A file is written as `NAME.part` in chunks; after every chunk its header is rewritten so the
//! part file is always a valid NPY (or CSV) file holding everything recorded so far. `finish`
//! renames it to `NAME` — the final file appears atomically, and an interrupted run leaves a
//! readable `.part` file instead of nothing.
//!
//! The NPY writer is ours because it must rewrite the header's shape as data streams in
//! (`npyz` fixes the shape only at the end); tests read the files back with `npyz`.

use std::fs::File;
use std::io::{self, BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// Total header length reserved (magic + version + length + dict), a multiple of 64: room for
/// shapes of up to 20 digits per axis.
const HEADER_LEN: usize = 192;

pub(crate) fn npy_header(descr: &str, shape: &[u64]) -> io::Result<Vec<u8>> {
    let dims: Vec<String> = shape.iter().map(|d| d.to_string()).collect();
    let shape = if dims.len() == 1 {
        format!("({},)", dims[0])
    } else {
        format!("({})", dims.join(", "))
    };
    let dict = format!("{{'descr': {descr}, 'fortran_order': False, 'shape': {shape}, }}");
    let body = HEADER_LEN - 10;
    if dict.len() + 1 > body {
        return Err(io::Error::other("NPY header too long"));
    }
    let mut h = Vec::with_capacity(HEADER_LEN);
    h.extend_from_slice(b"\x93NUMPY\x01\x00");
    h.extend_from_slice(&(body as u16).to_le_bytes());
    h.extend_from_slice(dict.as_bytes());
    h.resize(HEADER_LEN - 1, b' ');
    h.push(b'\n');
    Ok(h)
}

/// An NPY file written row by row: `descr` is a numpy dtype description (e.g. `'<f8'` or
/// `[('id', '<u4'), ('t', '<f8')]`), rows have `row_shape` trailing dimensions.
pub struct NpyStream {
    final_path: PathBuf,
    part_path: PathBuf,
    file: BufWriter<File>,
    descr: String,
    tail: Vec<u64>,
    rows: u64,
    bytes: u64,
}

/// How far a streamed file has been written: its rows and its length in bytes (header
/// included). Saved in run checkpoints so a resumed run can cut the file back to this point
/// and continue it ([`NpyStream::reopen`], [`SpikeWriter::reopen`], [`MatrixWriter::reopen`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct WriterPos {
    /// Rows (spikes, samples) written.
    pub rows: u64,
    /// File length, bytes.
    pub bytes: u64,
}

/// Open the part file of `path` to continue it from `pos`: the final file is moved back to
/// the part name if the run had finished it, and anything after `pos` (written after the
/// checkpoint) is cut off.
fn reopen_part(path: &Path, pos: WriterPos) -> io::Result<(PathBuf, BufWriter<File>)> {
    let part_path = part(path);
    if !part_path.exists() && path.exists() {
        std::fs::rename(path, &part_path)?;
    }
    let file = std::fs::OpenOptions::new().write(true).open(&part_path)?;
    let len = file.metadata()?.len();
    if len < pos.bytes {
        return Err(io::Error::other(format!(
            "{} holds {len} bytes, fewer than the {} the checkpoint recorded",
            part_path.display(),
            pos.bytes
        )));
    }
    file.set_len(pos.bytes)?;
    let mut file = BufWriter::new(file);
    file.seek(SeekFrom::Start(pos.bytes))?;
    Ok((part_path, file))
}

impl NpyStream {
    /// Start `path` (written as `path.part` until [`NpyStream::finish`]).
    pub fn create(path: &Path, descr: &str, tail: &[u64]) -> io::Result<Self> {
        let part_path = part(path);
        let mut file = BufWriter::new(File::create(&part_path)?);
        let mut shape = vec![0];
        shape.extend_from_slice(tail);
        file.write_all(&npy_header(descr, &shape)?)?;
        Ok(Self {
            final_path: path.to_path_buf(),
            part_path,
            file,
            descr: descr.to_string(),
            tail: tail.to_vec(),
            rows: 0,
            bytes: HEADER_LEN as u64,
        })
    }

    /// Continue the stream of `path` from `pos` (see [`WriterPos`]).
    pub fn reopen(path: &Path, descr: &str, tail: &[u64], pos: WriterPos) -> io::Result<Self> {
        if pos.bytes < HEADER_LEN as u64 {
            return Err(io::Error::other(
                "checkpoint position before the NPY header",
            ));
        }
        let (part_path, file) = reopen_part(path, pos)?;
        let mut s = Self {
            final_path: path.to_path_buf(),
            part_path,
            file,
            descr: descr.to_string(),
            tail: tail.to_vec(),
            rows: pos.rows,
            bytes: pos.bytes,
        };
        s.checkpoint()?;
        Ok(s)
    }

    /// How far the stream has been written.
    pub fn position(&self) -> WriterPos {
        WriterPos {
            rows: self.rows,
            bytes: self.bytes,
        }
    }

    /// Append raw little-endian bytes holding `rows` rows.
    pub fn append(&mut self, bytes: &[u8], rows: u64) -> io::Result<()> {
        self.file.write_all(bytes)?;
        self.rows += rows;
        self.bytes += bytes.len() as u64;
        Ok(())
    }

    /// Make the part file valid up to here: flush and rewrite the header's row count.
    pub fn checkpoint(&mut self) -> io::Result<()> {
        self.file.flush()?;
        let mut shape = vec![self.rows];
        shape.extend_from_slice(&self.tail);
        let h = npy_header(&self.descr, &shape)?;
        let f = self.file.get_mut();
        let end = f.stream_position()?;
        f.seek(SeekFrom::Start(0))?;
        f.write_all(&h)?;
        f.seek(SeekFrom::Start(end))?;
        Ok(())
    }

    /// The file's final path.
    pub fn path(&self) -> &Path {
        &self.final_path
    }

    /// Rows written.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Finish: final header, sync, rename to the final name. Returns the final path.
    pub fn finish(mut self) -> io::Result<PathBuf> {
        self.checkpoint()?;
        self.file.get_ref().sync_all()?;
        drop(self.file);
        std::fs::rename(&self.part_path, &self.final_path)?;
        Ok(self.final_path)
    }
}

/// `path` with `.part` appended.
pub fn part(path: &Path) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(".part");
    PathBuf::from(p)
}

/// Spikes as NPY (structured: `id` u32, `t` f64 ms) or CSV (`id,t_ms`).
pub enum SpikeWriter {
    /// NPY stream.
    Npy(NpyStream),
    /// CSV stream.
    Csv {
        /// Final path.
        final_path: PathBuf,
        /// Part path.
        part_path: PathBuf,
        /// The file.
        file: BufWriter<File>,
        /// Spikes written.
        rows: u64,
        /// Bytes written.
        bytes: u64,
    },
}

/// The numpy dtype of spike records.
pub const SPIKE_DTYPE: &str = "[('id', '<u4'), ('t', '<f8')]";

impl SpikeWriter {
    /// An NPY spike file.
    pub fn npy(path: &Path) -> io::Result<Self> {
        Ok(SpikeWriter::Npy(NpyStream::create(path, SPIKE_DTYPE, &[])?))
    }
    /// A CSV spike file.
    pub fn csv(path: &Path) -> io::Result<Self> {
        let part_path = part(path);
        let mut file = BufWriter::new(File::create(&part_path)?);
        file.write_all(b"id,t_ms\n")?;
        Ok(SpikeWriter::Csv {
            final_path: path.to_path_buf(),
            part_path,
            file,
            rows: 0,
            bytes: 8,
        })
    }
    /// Continue the spike file of `path` (NPY unless `csv`) from `pos` (see [`WriterPos`]).
    pub fn reopen(path: &Path, csv: bool, pos: WriterPos) -> io::Result<Self> {
        if !csv {
            return Ok(SpikeWriter::Npy(NpyStream::reopen(
                path,
                SPIKE_DTYPE,
                &[],
                pos,
            )?));
        }
        let (part_path, file) = reopen_part(path, pos)?;
        Ok(SpikeWriter::Csv {
            final_path: path.to_path_buf(),
            part_path,
            file,
            rows: pos.rows,
            bytes: pos.bytes,
        })
    }
    /// How far the file has been written.
    pub fn position(&self) -> WriterPos {
        match self {
            SpikeWriter::Npy(s) => s.position(),
            SpikeWriter::Csv { rows, bytes, .. } => WriterPos {
                rows: *rows,
                bytes: *bytes,
            },
        }
    }
    /// The file's final path.
    pub fn path(&self) -> &Path {
        match self {
            SpikeWriter::Npy(s) => s.path(),
            SpikeWriter::Csv { final_path, .. } => final_path,
        }
    }
    /// Append spikes (ids and times in ms), then checkpoint.
    pub fn append(&mut self, ids: &[u32], times: &[f64]) -> io::Result<()> {
        match self {
            SpikeWriter::Npy(s) => {
                let mut buf = Vec::with_capacity(ids.len() * 12);
                for (&i, &t) in ids.iter().zip(times) {
                    buf.extend_from_slice(&i.to_le_bytes());
                    buf.extend_from_slice(&t.to_le_bytes());
                }
                s.append(&buf, ids.len() as u64)?;
                s.checkpoint()
            }
            SpikeWriter::Csv {
                file, rows, bytes, ..
            } => {
                let mut buf = String::new();
                for (&i, &t) in ids.iter().zip(times) {
                    use std::fmt::Write as _;
                    let _ = writeln!(buf, "{i},{t}");
                }
                file.write_all(buf.as_bytes())?;
                *rows += ids.len() as u64;
                *bytes += buf.len() as u64;
                file.flush()
            }
        }
    }
    /// Finish and rename into place.
    pub fn finish(self) -> io::Result<PathBuf> {
        match self {
            SpikeWriter::Npy(s) => s.finish(),
            SpikeWriter::Csv {
                final_path,
                part_path,
                mut file,
                ..
            } => {
                file.flush()?;
                file.get_ref().sync_all()?;
                drop(file);
                std::fs::rename(&part_path, &final_path)?;
                Ok(final_path)
            }
        }
    }
}

/// A 2-D f64 NPY stream of rows of `width` values (e.g. samples × neurons).
pub struct MatrixWriter {
    inner: NpyStream,
    width: usize,
}

impl MatrixWriter {
    /// Start a (rows × `width`) f64 file; `width = 0` writes a 1-D array.
    pub fn create(path: &Path, width: usize) -> io::Result<Self> {
        let tail: Vec<u64> = if width == 0 {
            vec![]
        } else {
            vec![width as u64]
        };
        Ok(Self {
            inner: NpyStream::create(path, "'<f8'", &tail)?,
            width: width.max(1),
        })
    }
    /// Continue the file of `path` from `pos` (see [`WriterPos`]).
    pub fn reopen(path: &Path, width: usize, pos: WriterPos) -> io::Result<Self> {
        let tail: Vec<u64> = if width == 0 {
            vec![]
        } else {
            vec![width as u64]
        };
        Ok(Self {
            inner: NpyStream::reopen(path, "'<f8'", &tail, pos)?,
            width: width.max(1),
        })
    }
    /// How far the file has been written.
    pub fn position(&self) -> WriterPos {
        self.inner.position()
    }
    /// Append values (a whole number of rows), then checkpoint.
    pub fn append(&mut self, values: &[f64]) -> io::Result<()> {
        let mut buf = Vec::with_capacity(values.len() * 8);
        for v in values {
            buf.extend_from_slice(&v.to_le_bytes());
        }
        self.inner
            .append(&buf, (values.len() / self.width) as u64)?;
        self.inner.checkpoint()
    }
    /// The file's final path.
    pub fn path(&self) -> &Path {
        self.inner.path()
    }
    /// Finish and rename into place.
    pub fn finish(self) -> io::Result<PathBuf> {
        self.inner.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn part_files_are_valid_npy_at_every_checkpoint_and_finish_atomically() {
        let dir = std::env::temp_dir().join(format!("nc-write-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("spikes.npy");
        let mut w = SpikeWriter::npy(&path).unwrap();
        w.append(&[3, 7], &[0.5, 1.25]).unwrap();
        // Interrupted here: the part file already reads back.
        let bytes = std::fs::read(part(&path)).unwrap();
        let f = npyz::NpyFile::new(&bytes[..]).unwrap();
        assert_eq!(f.shape(), &[2]);
        assert!(!path.exists());
        w.append(&[1], &[2.0]).unwrap();
        let done = w.finish().unwrap();
        assert_eq!(done, path);
        assert!(!part(&path).exists());
        let bytes = std::fs::read(&path).unwrap();
        let f = npyz::NpyFile::new(&bytes[..]).unwrap();
        assert_eq!(f.shape(), &[3]);
        assert_eq!(bytes.len(), HEADER_LEN + 3 * 12);
        // Record layout: u32 id then f64 time, little endian.
        let rec = &bytes[HEADER_LEN + 12..HEADER_LEN + 24];
        assert_eq!(u32::from_le_bytes(rec[..4].try_into().unwrap()), 7);
        assert_eq!(f64::from_le_bytes(rec[4..].try_into().unwrap()), 1.25);

        let mpath = dir.join("m.npy");
        let mut m = MatrixWriter::create(&mpath, 2).unwrap();
        m.append(&[1.0, 2.0, 3.0, 4.0]).unwrap();
        m.finish().unwrap();
        let bytes = std::fs::read(&mpath).unwrap();
        let f = npyz::NpyFile::new(&bytes[..]).unwrap();
        assert_eq!(f.shape(), &[2, 2]);
        assert_eq!(f.into_vec::<f64>().unwrap(), vec![1.0, 2.0, 3.0, 4.0]);
        std::fs::remove_dir_all(&dir).ok();
    }
}

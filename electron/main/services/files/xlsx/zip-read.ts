/**
 * Minimal, defensive zip reader for XLSX: central directory lookup, streamed inflation with limits
 * enforced on the bytes actually produced. Nothing here trusts the sizes a file declares, except to
 * reject it earlier.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { createInflateRaw, crc32 } from 'node:zlib';
import { FormatError } from '../../../../../shared/formats/errors';
import type { XlsxLimits } from './limits';
import { MiB } from './limits';

export interface ZipEntry {
  /** Name as stored (slashes normalised). */
  name: string;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const SIG_EOCD64 = 0x06064b50;
const SIG_EOCD64_LOCATOR = 0x07064b50;

const NOT_XLSX = 'This file is not an XLSX workbook (is it an old .xls or a CSV renamed?). Open it in Excel and use "Save As" > "Excel Workbook (*.xlsx)", or import it as CSV.';

/** Sniffs the first bytes of a file that is not a zip, to say what it probably is. */
async function refuseNonZip(fh: FileHandle, size: number): Promise<never> {
  if (size === 0) throw new FormatError('xlsx.not_zip', 'The file is empty (0 bytes). Export the workbook again from Excel.');
  const head = Buffer.alloc(Math.min(size, 4096));
  await fh.read(head, 0, head.length, 0);
  if (head.length >= 8 && head.readUInt32BE(0) === 0xd0cf11e0 && head.readUInt32BE(4) === 0xa1b11ae1) {
    await refuseOle(fh, size, head);
  }
  if (looksLikeText(head)) {
    throw new FormatError(
      'xlsx.text_file',
      'This file is plain text (probably a CSV renamed to .xlsx), not an Excel workbook. Rename it to .csv and import it as CSV, or open it in Excel and save it as .xlsx.',
    );
  }
  throw new FormatError('xlsx.not_zip', NOT_XLSX);
}

function looksLikeText(b: Buffer): boolean {
  if (b.length === 0) return false;
  let start = 0;
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) start = 3;
  if ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff)) return true; // UTF-16 text
  let printable = 0;
  for (let i = start; i < b.length; i++) {
    const c = b[i]!;
    if (c === 0) return false;
    if (c === 9 || c === 10 || c === 13 || c >= 32) printable++;
  }
  return printable / Math.max(1, b.length - start) > 0.95;
}

/**
 * An OLE2 compound file: either an encrypted OOXML workbook (EncryptionInfo + EncryptedPackage
 * streams) or a legacy .xls. Walks at most a few directory sectors to tell them apart.
 */
async function refuseOle(fh: FileHandle, size: number, head: Buffer): Promise<never> {
  const encrypted = new FormatError(
    'xlsx.encrypted',
    'This workbook is password-protected (encrypted). Open it in Excel, remove the password (File > Info > Protect Workbook > Encrypt with Password, clear it), save, and import it again.',
  );
  const legacy = new FormatError(
    'xlsx.legacy_xls',
    'This is an old Excel 97-2003 (.xls) workbook, not .xlsx. Open it in Excel and use "Save As" > "Excel Workbook (*.xlsx)", then import the new file.',
  );
  try {
    if (head.length < 512) throw encrypted;
    const shift = head.readUInt16LE(0x1e);
    if (shift !== 9 && shift !== 12) throw encrypted;
    const sectorSize = 1 << shift;
    const sectorOffset = (sid: number) => (sid + 1) * sectorSize;
    const difat: number[] = [];
    for (let i = 0; i < 109; i++) difat.push(head.readUInt32LE(0x4c + i * 4));
    const perFat = sectorSize / 4;
    const nextSector = async (sid: number): Promise<number> => {
      const fatSid = difat[Math.floor(sid / perFat)];
      if (fatSid === undefined || fatSid >= 0xfffffffa) return 0xfffffffe;
      const b = Buffer.alloc(4);
      const pos = sectorOffset(fatSid) + (sid % perFat) * 4;
      if (pos + 4 > size) return 0xfffffffe;
      await fh.read(b, 0, 4, pos);
      return b.readUInt32LE(0);
    };
    const names: string[] = [];
    let sid = head.readUInt32LE(0x30);
    const sector = Buffer.alloc(sectorSize);
    for (let n = 0; n < 64 && sid < 0xfffffffa; n++) {
      const pos = sectorOffset(sid);
      if (pos + sectorSize > size) break;
      await fh.read(sector, 0, sectorSize, pos);
      for (let off = 0; off + 128 <= sectorSize; off += 128) {
        const len = sector.readUInt16LE(off + 64);
        if (len >= 2 && len <= 64) names.push(sector.toString('utf16le', off, off + len - 2));
      }
      sid = await nextSector(sid);
    }
    if (names.includes('EncryptedPackage') || names.includes('EncryptionInfo')) throw encrypted;
    if (names.includes('Workbook') || names.includes('Book')) throw legacy;
  } catch (e) {
    if (e instanceof FormatError) throw e;
  }
  throw encrypted;
}

export class ZipArchive {
  private readonly byName = new Map<string, ZipEntry>();
  private readonly byLowerName = new Map<string, ZipEntry>();
  /** Inflated bytes produced so far, over all entries. */
  private produced = 0;

  private constructor(
    readonly path: string,
    readonly size: number,
    readonly entries: ZipEntry[],
    private readonly limits: XlsxLimits,
  ) {
    for (const e of entries) {
      // Part names are case-insensitive (OPC). Two parts with one name: readers disagree on which
      // is real (we would read the first, LibreOffice and Python the second), so refuse the file.
      const lower = e.name.toLowerCase();
      const twin = this.byLowerName.get(lower);
      if (twin) {
        throw new FormatError(
          'xlsx.duplicate_part',
          `The workbook contains the part ${e.name} twice${twin.name === e.name ? '' : ` (as ${twin.name} and ${e.name})`}, so different programs would show different contents. The file was not made by Excel or was tampered with; open it in Excel, check the rows and save it again.`,
        );
      }
      this.byName.set(e.name, e);
      this.byLowerName.set(lower, e);
    }
  }

  static async open(path: string, limits: XlsxLimits): Promise<ZipArchive> {
    let fh: FileHandle;
    try {
      fh = await open(path, 'r');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new FormatError(
        'xlsx.unreadable',
        code === 'ENOENT' ? 'The file was not found. It may have been moved or deleted; choose it again.' : `The file could not be opened (${code ?? 'error'}). Check that it is not open in another program and that you may read it.`,
      );
    }
    try {
      const { size } = await fh.stat();
      if (size > limits.maxFileBytes) {
        throw new FormatError(
          'xlsx.file_too_large',
          `The workbook is ${(size / MiB).toFixed(0)} MiB; the largest accepted is ${(limits.maxFileBytes / MiB).toFixed(0)} MiB. Split the batch into smaller files.`,
        );
      }
      const sig = Buffer.alloc(4);
      if (size >= 4) await fh.read(sig, 0, 4, 0);
      const startsLikeZip = size >= 4 && sig.readUInt32LE(0) === SIG_LOCAL;
      if (!startsLikeZip && !(size >= 4 && sig.readUInt32LE(0) === SIG_EOCD)) await refuseNonZip(fh, size);
      const entries = await readCentralDirectory(fh, size, limits);
      return new ZipArchive(path, size, entries, limits);
    } finally {
      await fh.close();
    }
  }

  get(name: string): ZipEntry | undefined {
    const n = normaliseName(name);
    return this.byName.get(n) ?? this.byLowerName.get(n.toLowerCase());
  }

  /** Reads a small entry whole (workbook, rels). Refuses parts larger than `maxBytes`. */
  async readSmall(entry: ZipEntry, maxBytes = 32 * MiB): Promise<Buffer> {
    const parts: Buffer[] = [];
    let total = 0;
    for await (const chunk of this.stream(entry)) {
      total += chunk.length;
      if (total > maxBytes) {
        throw new FormatError('xlsx.corrupt', `The workbook part ${entry.name} is unusually large (over ${maxBytes / MiB} MiB). The file is damaged or not a normal Excel workbook; save it again from Excel.`);
      }
      parts.push(chunk);
    }
    return Buffer.concat(parts, total);
  }

  /**
   * Streams an entry's inflated bytes. Aborts (FormatError) as soon as the produced bytes exceed
   * the entry's declared size, the total limit, or the ratio limit. Memory stays at a few chunks.
   */
  async *stream(entry: ZipEntry): AsyncGenerator<Buffer, void, undefined> {
    const { limits } = this;
    if (entry.flags & 0x1) {
      throw new FormatError('xlsx.encrypted', 'This workbook is password-protected (encrypted zip). Open it in Excel, remove the password, save, and import it again.');
    }
    if (entry.method !== 0 && entry.method !== 8) {
      throw new FormatError(
        'xlsx.unsupported_compression',
        `The workbook part ${entry.name} uses a compression method (${entry.method}) that Excel does not write. The file was made by another tool; open it in Excel and save it again as .xlsx.`,
      );
    }
    const dataStart = await this.dataOffset(entry);
    const dataEnd = dataStart + entry.compressedSize;
    if (dataEnd > this.size) throw truncated();
    const src = createReadStream(this.path, { start: dataStart, end: Math.max(dataStart, dataEnd - 1), highWaterMark: 64 * 1024 });
    let fed = 0;
    let produced = 0;
    let crc = 0;
    const check = (n: number) => {
      produced += n;
      this.produced += n;
      if (produced > entry.uncompressedSize) {
        throw new FormatError('xlsx.corrupt', `The workbook part ${entry.name} holds more data than its zip header declares. The file is damaged or crafted; save it again from Excel.`);
      }
      if (this.produced > limits.maxTotalUncompressedBytes) {
        throw new FormatError(
          'xlsx.bomb.size',
          `The workbook unpacks to more than ${(limits.maxTotalUncompressedBytes / MiB).toFixed(0)} MiB, which is far beyond any batch file (it may be a "zip bomb"). Do not open it; ask the sender for the real file.`,
        );
      }
      if (produced > limits.ratioFloorBytes && produced > limits.maxCompressionRatio * Math.max(fed, 1)) {
        throw new FormatError(
          'xlsx.bomb.ratio',
          `The workbook part ${entry.name} is compressed more than ${limits.maxCompressionRatio}:1, which real spreadsheets never are (it may be a "zip bomb"). Do not open it; ask the sender for the real file.`,
        );
      }
    };
    if (entry.method === 0) {
      if (entry.compressedSize !== entry.uncompressedSize) throw corrupt(entry);
      if (entry.compressedSize === 0) {
        src.destroy();
        if (entry.crc !== 0) throw corrupt(entry);
        return;
      }
      try {
        for await (const chunk of src as AsyncIterable<Buffer>) {
          fed += chunk.length;
          check(chunk.length);
          crc = crc32(chunk, crc);
          yield chunk;
        }
      } finally {
        src.destroy();
      }
    } else {
      if (entry.compressedSize === 0) {
        src.destroy();
        throw corrupt(entry);
      }
      const inflate = createInflateRaw({ chunkSize: 64 * 1024 });
      src.on('data', (c: Buffer | string) => {
        fed += c.length;
      });
      src.on('error', (e) => inflate.destroy(e));
      src.pipe(inflate);
      try {
        for await (const chunk of inflate as AsyncIterable<Buffer>) {
          check(chunk.length);
          crc = crc32(chunk, crc);
          yield chunk;
        }
      } catch (e) {
        if (e instanceof FormatError) throw e;
        throw new FormatError('xlsx.corrupt', `The workbook part ${entry.name} is damaged and cannot be unpacked (${(e as Error).message}). The file may be incomplete; copy or download it again, or save it again from Excel.`);
      } finally {
        src.unpipe(inflate);
        src.destroy();
        inflate.destroy();
      }
    }
    if (produced !== entry.uncompressedSize || (crc >>> 0) !== entry.crc >>> 0) throw corrupt(entry);
  }

  private async dataOffset(entry: ZipEntry): Promise<number> {
    const fh = await open(this.path, 'r');
    try {
      const h = Buffer.alloc(30);
      if (entry.localHeaderOffset + 30 > this.size) throw truncated();
      await fh.read(h, 0, 30, entry.localHeaderOffset);
      if (h.readUInt32LE(0) !== SIG_LOCAL) throw corrupt(entry);
      return entry.localHeaderOffset + 30 + h.readUInt16LE(26) + h.readUInt16LE(28);
    } finally {
      await fh.close();
    }
  }
}

function corrupt(entry: ZipEntry): FormatError {
  return new FormatError('xlsx.corrupt', `The workbook part ${entry.name} is damaged (its checksum or size does not match). Copy or download the file again, or save it again from Excel.`);
}

function truncated(): FormatError {
  return new FormatError(
    'xlsx.truncated',
    'The workbook is incomplete (the file is cut short, e.g. an interrupted download or copy). Copy or download it again, or save it again from Excel.',
  );
}

function normaliseName(name: string): string {
  let n = name.replace(/\\/g, '/');
  while (n.startsWith('/')) n = n.slice(1);
  return n;
}

async function readCentralDirectory(fh: FileHandle, size: number, limits: XlsxLimits): Promise<ZipEntry[]> {
  // EOCD: 22 bytes + comment of up to 65535 bytes, at the very end.
  const tailLen = Math.min(size, 22 + 65535);
  const tail = Buffer.alloc(tailLen);
  await fh.read(tail, 0, tailLen, size - tailLen);
  let eocd = -1;
  for (let i = tailLen - 22; i >= 0; i--) {
    if (tail[i] === 0x50 && tail.readUInt32LE(i) === SIG_EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw truncated();
  let count = tail.readUInt16LE(eocd + 10);
  let cdSize = tail.readUInt32LE(eocd + 12);
  let cdOffset = tail.readUInt32LE(eocd + 16);
  const eocdAbs = size - tailLen + eocd;
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    // ZIP64: the locator sits just before the EOCD.
    if (eocdAbs < 20) throw truncated();
    const loc = Buffer.alloc(20);
    await fh.read(loc, 0, 20, eocdAbs - 20);
    if (loc.readUInt32LE(0) === SIG_EOCD64_LOCATOR) {
      const off = Number(loc.readBigUInt64LE(8));
      if (off + 56 > size) throw truncated();
      const rec = Buffer.alloc(56);
      await fh.read(rec, 0, 56, off);
      if (rec.readUInt32LE(0) !== SIG_EOCD64) throw truncated();
      count = Number(rec.readBigUInt64LE(32));
      cdSize = Number(rec.readBigUInt64LE(40));
      cdOffset = Number(rec.readBigUInt64LE(48));
    }
  }
  if (count > limits.maxEntries) {
    throw new FormatError('xlsx.too_many_entries', `The workbook contains ${count} parts; at most ${limits.maxEntries} are accepted. It is not a normal batch file; save the sheet alone as a new workbook.`);
  }
  if (cdOffset + cdSize > size || cdSize > 64 * MiB) throw truncated();
  const cd = Buffer.alloc(cdSize);
  if (cdSize > 0) await fh.read(cd, 0, cdSize, cdOffset);
  const entries: ZipEntry[] = [];
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== SIG_CENTRAL) throw truncated();
    const flags = cd.readUInt16LE(p + 8);
    const method = cd.readUInt16LE(p + 10);
    const crc = cd.readUInt32LE(p + 16);
    let compressedSize = cd.readUInt32LE(p + 20);
    let uncompressedSize = cd.readUInt32LE(p + 24);
    const nameLen = cd.readUInt16LE(p + 28);
    const extraLen = cd.readUInt16LE(p + 30);
    const commentLen = cd.readUInt16LE(p + 32);
    let localHeaderOffset = cd.readUInt32LE(p + 42);
    const end = p + 46 + nameLen + extraLen + commentLen;
    if (end > cd.length) throw truncated();
    const name = normaliseName(cd.toString(flags & 0x800 ? 'utf8' : 'latin1', p + 46, p + 46 + nameLen));
    // ZIP64 extended information: present fields follow the order usize, csize, offset.
    let x = p + 46 + nameLen;
    const xEnd = x + extraLen;
    while (x + 4 <= xEnd) {
      const id = cd.readUInt16LE(x);
      const len = cd.readUInt16LE(x + 2);
      if (id === 0x0001) {
        let q = x + 4;
        const qEnd = Math.min(q + len, xEnd);
        if (uncompressedSize === 0xffffffff && q + 8 <= qEnd) {
          uncompressedSize = Number(cd.readBigUInt64LE(q));
          q += 8;
        }
        if (compressedSize === 0xffffffff && q + 8 <= qEnd) {
          compressedSize = Number(cd.readBigUInt64LE(q));
          q += 8;
        }
        if (localHeaderOffset === 0xffffffff && q + 8 <= qEnd) localHeaderOffset = Number(cd.readBigUInt64LE(q));
      }
      x += 4 + len;
    }
    entries.push({ name, method, flags, crc, compressedSize, uncompressedSize, localHeaderOffset });
    p = end;
  }
  return entries;
}

/**
 * Streaming zip writer for XLSX output. Entries are written sequentially; a streamed entry's
 * local header is patched in place (seek-back) once its CRC and sizes are known, so no data
 * descriptors are needed and every reader (Excel, LibreOffice, Numbers, exceljs) is happy.
 *
 * ZIP64 is never needed for what we write: the writer refuses a streamed entry past 4 GiB - 1
 * (far beyond what Excel opens), and the small parts come first, so every offset stays < 4 GiB.
 */
import type { FileHandle } from 'node:fs/promises';
import { once } from 'node:events';
import { createDeflateRaw, crc32, deflateRawSync } from 'node:zlib';
import { FormatError } from '../../../../../shared/formats/errors';

interface Written {
  name: Buffer;
  crc: number;
  compressedSize: number;
  uncompressedSize: number;
  offset: number;
}

const MAX_32 = 0xffffffff;
const FLAG_UTF8 = 0x0800;
const METHOD_DEFLATE = 8;

function dosDateTime(d: Date): { time: number; date: number } {
  const year = Math.max(1980, d.getFullYear());
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1),
    date: ((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

export class ZipWriter {
  private pos = 0;
  private readonly entries: Written[] = [];
  private readonly stamp = dosDateTime(new Date());
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(
    private readonly fh: FileHandle,
    private readonly level: number,
  ) {}

  /** Bytes written (or queued) so far. */
  get bytes(): number {
    return this.pos;
  }

  private localHeader(name: Buffer, crc: number, csize: number, usize: number): Buffer {
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    h.writeUInt16LE(FLAG_UTF8, 6);
    h.writeUInt16LE(METHOD_DEFLATE, 8);
    h.writeUInt16LE(this.stamp.time, 10);
    h.writeUInt16LE(this.stamp.date, 12);
    h.writeUInt32LE(crc >>> 0, 14);
    h.writeUInt32LE(csize, 18);
    h.writeUInt32LE(usize, 22);
    h.writeUInt16LE(name.length, 26);
    h.writeUInt16LE(0, 28);
    return h;
  }

  /** Queues bytes at the current position; flushes in large writes. */
  private async put(buf: Buffer): Promise<void> {
    this.pending.push(buf);
    this.pendingBytes += buf.length;
    this.pos += buf.length;
    if (this.pendingBytes >= 1024 * 1024) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.pendingBytes === 0) return;
    const data = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    const at = this.pos - this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
    let off = 0;
    while (off < data.length) {
      const { bytesWritten } = await this.fh.write(data, off, data.length - off, at + off);
      off += bytesWritten;
    }
  }

  /** Adds a small entry held in memory. */
  async addBuffer(name: string, content: string | Buffer): Promise<void> {
    const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    const nameBuf = Buffer.from(name, 'utf8');
    const compressed = deflateRawSync(data, { level: this.level });
    const crc = crc32(data) >>> 0;
    const offset = this.pos;
    await this.put(this.localHeader(nameBuf, crc, compressed.length, data.length));
    await this.put(nameBuf);
    await this.put(compressed);
    this.entries.push({ name: nameBuf, crc, compressedSize: compressed.length, uncompressedSize: data.length, offset });
  }

  /**
   * Adds an entry streamed from `source` (chunks of UTF-8 bytes). Deflate runs in the zlib thread
   * pool while the caller produces the next chunk; backpressure keeps memory to a few chunks.
   */
  async addStream(name: string, source: AsyncIterable<Buffer>): Promise<void> {
    const nameBuf = Buffer.from(name, 'utf8');
    const offset = this.pos;
    await this.put(this.localHeader(nameBuf, 0, 0, 0));
    await this.put(nameBuf);
    const deflate = createDeflateRaw({ level: this.level, chunkSize: 256 * 1024 });
    let crc = 0;
    let usize = 0;
    let csize = 0;
    const consumer = (async () => {
      for await (const chunk of deflate as AsyncIterable<Buffer>) {
        csize += chunk.length;
        await this.put(chunk);
      }
    })();
    // If the consumer fails (disk full...), stop feeding.
    let consumerError: unknown;
    consumer.catch((e: unknown) => {
      consumerError = e;
      deflate.destroy(e as Error);
    });
    try {
      for await (const buf of source) {
        if (consumerError) throw consumerError;
        usize += buf.length;
        if (usize > MAX_32) {
          throw new FormatError(
            'xlsx.write.too_large',
            'The sheet is larger than 4 GiB of data, more than Excel can open. Split the batch into several files.',
          );
        }
        crc = crc32(buf, crc);
        if (!deflate.write(buf)) await once(deflate, 'drain');
      }
      deflate.end();
      await consumer;
    } catch (e) {
      deflate.destroy();
      await consumer.catch(() => undefined);
      throw e;
    }
    if (csize > MAX_32) {
      throw new FormatError('xlsx.write.too_large', 'The sheet is larger than 4 GiB compressed, more than Excel can open. Split the batch into several files.');
    }
    await this.flush();
    // Seek back: patch CRC and sizes into the local header.
    const patch = Buffer.alloc(12);
    patch.writeUInt32LE(crc >>> 0, 0);
    patch.writeUInt32LE(csize, 4);
    patch.writeUInt32LE(usize, 8);
    await this.fh.write(patch, 0, 12, offset + 14);
    this.entries.push({ name: nameBuf, crc: crc >>> 0, compressedSize: csize, uncompressedSize: usize, offset });
  }

  /** Writes the central directory and end record; returns the archive size in bytes. */
  async finish(): Promise<number> {
    const cdStart = this.pos;
    for (const e of this.entries) {
      const h = Buffer.alloc(46);
      h.writeUInt32LE(0x02014b50, 0);
      h.writeUInt16LE(0x0314, 4); // made by: Unix, spec 2.0
      h.writeUInt16LE(20, 6);
      h.writeUInt16LE(FLAG_UTF8, 8);
      h.writeUInt16LE(METHOD_DEFLATE, 10);
      h.writeUInt16LE(this.stamp.time, 12);
      h.writeUInt16LE(this.stamp.date, 14);
      h.writeUInt32LE(e.crc, 16);
      h.writeUInt32LE(e.compressedSize, 20);
      h.writeUInt32LE(e.uncompressedSize, 24);
      h.writeUInt16LE(e.name.length, 28);
      h.writeUInt16LE(0, 30); // extra
      h.writeUInt16LE(0, 32); // comment
      h.writeUInt16LE(0, 34); // disk
      h.writeUInt16LE(0, 36); // internal attrs
      h.writeUInt32LE((0o100644 << 16) >>> 0, 38); // external attrs: regular file rw-r--r--
      h.writeUInt32LE(e.offset, 42);
      await this.put(h);
      await this.put(e.name);
    }
    const cdSize = this.pos - cdStart;
    if (cdStart > MAX_32 || this.entries.length > 0xffff) {
      throw new FormatError('xlsx.write.too_large', 'The workbook is larger than 4 GiB, more than Excel can open. Split the batch into several files.');
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(0, 4);
    end.writeUInt16LE(0, 6);
    end.writeUInt16LE(this.entries.length, 8);
    end.writeUInt16LE(this.entries.length, 10);
    end.writeUInt32LE(cdSize, 12);
    end.writeUInt32LE(cdStart, 16);
    end.writeUInt16LE(0, 20);
    await this.put(end);
    await this.flush();
    return this.pos;
  }
}

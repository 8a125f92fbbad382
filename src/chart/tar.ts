import * as zlib from 'zlib';

/**
 * The gzipped tar archives of Helm charts, written and read without a tar package: ustar headers
 * with regular files only (what `helm package` writes), names up to 100 bytes, or 255 with the
 * ustar prefix.
 */

/** One regular file of an archive. */
export interface TarEntry {
  /** The path inside the archive, with `/` separators. */
  readonly name: string;
  readonly data: Buffer;
}

const BLOCK = 512;

/** A gzipped tar of the entries, in order; byte-for-byte the same for the same input (mtime 0). */
export function gzipTar(entries: readonly TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    parts.push(header(e.name, e.data.length));
    parts.push(e.data, Buffer.alloc((BLOCK - (e.data.length % BLOCK)) % BLOCK));
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return zlib.gzipSync(Buffer.concat(parts), { level: 9 });
}

function header(name: string, size: number): Buffer {
  const h = Buffer.alloc(BLOCK);
  let prefix = '';
  let base = name;
  if (Buffer.byteLength(name) > 100) {
    const cut = name.lastIndexOf('/', 155);
    if (cut <= 0 || Buffer.byteLength(name.slice(cut + 1)) > 100) throw new Error(`${name}: the path is too long for a tar header`);
    [prefix, base] = [name.slice(0, cut), name.slice(cut + 1)];
  }
  h.write(base, 0, 100);
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  h.write('00000000000\0', 136);
  h.write('        ', 148);
  h.write('0', 156);
  h.write('ustar\0', 257);
  h.write('00', 263);
  h.write(prefix, 345, 155);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return h;
}

/** The regular files of a gzipped tar; throws on anything that is not one. */
export function gunzipTar(data: Uint8Array): TarEntry[] {
  const tar = zlib.gunzipSync(data);
  const entries: TarEntry[] = [];
  let longName: string | undefined;
  for (let off = 0; off + BLOCK <= tar.length;) {
    const h = tar.subarray(off, off + BLOCK);
    if (h.every((b) => b === 0)) break;
    const str = (start: number, len: number) => h.subarray(start, start + len).toString('utf-8').replace(/\0.*$/s, '');
    const size = parseInt(str(124, 12).trim() || '0', 8);
    const type = str(156, 1) || '0';
    const body = tar.subarray(off + BLOCK, off + BLOCK + size);
    const prefix = str(345, 155);
    const name = longName ?? (prefix ? `${prefix}/${str(0, 100)}` : str(0, 100));
    longName = undefined;
    if (type === 'L') longName = body.toString('utf-8').replace(/\0.*$/s, '');
    else if (type === '0' || type === '\0') entries.push({ name, data: Buffer.from(body) });
    off += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
  }
  return entries;
}

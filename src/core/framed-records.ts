/**
 * @module core/framed-records
 * Length- and checksum-framed JSON records, the byte format of the server's event log
 * (server/events/event-log.ts) and of anything that rewrites its files (privacy forget): 4-byte
 * little-endian payload length, 4-byte CRC-32 of the payload, the payload (UTF-8 JSON). Decoding
 * stops at the first record that is short, too long or fails its checksum (a torn tail).
 */
import { crc32 } from 'node:zlib';

/** Bytes before a record's payload: its length and its checksum. */
export const RECORD_HEADER_BYTES = 8;
/** A length beyond this is a torn header, not a record (a batch of 10,000 events is about 3 MB). */
const MAX_RECORD_BYTES = 256 * 1024 * 1024;

/** A record's bytes: header, then the payload's JSON text (given, or written here). */
export function encodeRecord(payload: unknown, text = JSON.stringify(payload)): Buffer {
  const length = Buffer.byteLength(text);
  const bytes = Buffer.allocUnsafe(RECORD_HEADER_BYTES + length);
  bytes.write(text, RECORD_HEADER_BYTES, 'utf8');
  bytes.writeUInt32LE(length, 0);
  bytes.writeUInt32LE(crc32(bytes.subarray(RECORD_HEADER_BYTES)), 4);
  return bytes;
}

/**
 * The header of a record whose payload is `json` (UTF-8 JSON bytes): written before it, it makes
 * the same record as encodeRecord without copying the payload.
 */
export function recordHeader(json: Uint8Array): Buffer {
  const header = Buffer.allocUnsafe(RECORD_HEADER_BYTES);
  header.writeUInt32LE(json.byteLength, 0);
  header.writeUInt32LE(crc32(json), 4);
  return header;
}

/** Records of a segment's bytes up to the first incomplete or damaged one. */
export function decodeRecords<T>(bytes: Buffer): { records: T[]; texts: string[]; validBytes: number } {
  const records: T[] = [];
  const texts: string[] = [];
  let at = 0;
  while (at + RECORD_HEADER_BYTES <= bytes.length) {
    const length = bytes.readUInt32LE(at);
    const sum = bytes.readUInt32LE(at + 4);
    const end = at + RECORD_HEADER_BYTES + length;
    if (length > MAX_RECORD_BYTES || end > bytes.length) break;
    const body = bytes.subarray(at + RECORD_HEADER_BYTES, end);
    if (crc32(body) !== sum) break;
    const text = body.toString('utf8');
    let payload: T;
    try {
      payload = JSON.parse(text) as T;
    } catch {
      break;
    }
    records.push(payload);
    texts.push(text);
    at = end;
  }
  return { records, texts, validBytes: at };
}

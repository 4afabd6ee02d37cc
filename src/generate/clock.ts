/**
 * @module generate/clock
 * Times inside the generator are whole seconds after the window start (plain numbers, no Date objects in
 * the hot loop). This turns them into the CSV timestamp format `YYYY-MM-DD HH:MM:SS` (UTC): the date part
 * is pre-encoded once per day and the clock part comes from a table of all 86,400 seconds.
 *
 * @example
 *   const clock = new Clock(Date.UTC(2024, 0, 1), 365);
 *   clock.write(writer, 3661); // 2024-01-01 01:01:01
 */
import type { CsvWriter } from './csv-writer.js';

export const DAY_S = 86_400;

/**
 * `HH:MM:SS` for every second of a day, 8 bytes each (690 KB): one copy per timestamp. Built by the
 * first Clock, not when the module loads: the CLI loads every command's modules, and building it
 * costs about 0.1 s that `shopsight import` (and every other command but generate) would pay.
 */
let clockFace: Uint8Array | undefined;
function buildClockFace(): Uint8Array {
  const face = new Uint8Array(DAY_S * 8);
  for (let s = 0; s < DAY_S; s++) {
    const hms = new Date(s * 1000).toISOString().slice(11, 19);
    for (let k = 0; k < 8; k++) face[s * 8 + k] = hms.charCodeAt(k);
  }
  return face;
}

export class Clock {
  readonly endSec: number;
  private readonly dayPrefix: Uint8Array[] = [];
  private readonly face = (clockFace ??= buildClockFace());

  constructor(
    readonly startMs: number,
    readonly days: number,
  ) {
    this.endSec = days * DAY_S;
    // One extra day so a time exactly at the window end still formats.
    for (let d = 0; d <= days; d++) {
      this.dayPrefix.push(
        Buffer.from(new Date(startMs + d * DAY_S * 1000).toISOString().slice(0, 10) + ' ', 'ascii'),
      );
    }
  }

  /** Writes the UTC timestamp of `sec` (whole seconds after the start). */
  write(w: CsvWriter, sec: number): void {
    const day = Math.floor(sec / DAY_S);
    w.raw(this.dayPrefix[day]!);
    const at = (sec - day * DAY_S) * 8;
    for (let k = 0; k < 8; k++) w.byte(this.face[at + k]!);
  }

  /** The same format as a string (cold paths, summaries). */
  format(sec: number): string {
    return formatUtc(this.startMs + sec * 1000);
  }
}

/** `YYYY-MM-DD HH:MM:SS` of an epoch-milliseconds instant, UTC. */
export function formatUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

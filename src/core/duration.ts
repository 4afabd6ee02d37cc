/**
 * @module core/duration
 * Durations typed by people on the command line: seconds, or a number with s / m / h / d
 * (`90s`, `10m`, `1.5h`, `6h`, `1d`). Used by `train recommend --budget` and `serve --retrain-every`
 * and `--retain-every`.
 *
 * @example
 *   parseDuration('1.5h', '--retrain-every'); // 5400 (seconds)
 */

const UNIT_SECONDS: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86_400 };

/** setInterval's longest delay (about 24.8 days): the bound of every `serve --...-every` interval. */
export const MAX_TIMER_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

/** A `serve --...-every` interval in seconds: a duration no longer than MAX_TIMER_SECONDS. */
export function parseTimerInterval(text: string, option: string): number {
  const s = parseDuration(text, option);
  if (s > MAX_TIMER_SECONDS) throw new Error(`${option} must be at most ${MAX_TIMER_SECONDS} s (24 days)`);
  return s;
}

/**
 * Seconds in `text`; throws naming `option` when it is not a positive duration. With `allowNone`,
 * `none` means no limit (Infinity).
 */
export function parseDuration(text: string, option: string, options: { allowNone?: boolean } = {}): number {
  const t = text.trim().toLowerCase();
  if (options.allowNone && t === 'none') return Infinity;
  const m = /^(\d+(?:\.\d+)?)\s*(s|m|h|d|)$/.exec(t);
  const value = m ? Number(m[1]) * UNIT_SECONDS[m[2]!]! : NaN;
  if (!(value > 0)) {
    throw new Error(
      `${option} must be a positive duration such as 600, 90s, 10m or 1.5h${options.allowNone ? ', or none' : ''} ` +
        `(got '${text}')`,
    );
  }
  return value;
}

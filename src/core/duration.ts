/**
 * @module core/duration
 * Durations typed by people on the command line: seconds, or a number with s / m / h / d
 * (`90s`, `10m`, `1.5h`, `6h`, `1d`). Used by `train recommend --budget` and `serve --retrain-every`.
 *
 * @example
 *   parseDuration('1.5h', '--retrain-every'); // 5400 (seconds)
 */

const UNIT_SECONDS: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86_400 };

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

/**
 * @module ml/recommend/numeric-params
 * Merges loosely typed hyper-parameters (from a registry entry, a CLI flag, a JSON config) over a
 * model's typed numeric defaults, refusing unknown names and non-numbers so a typo such as `factor`
 * fails loudly instead of silently training with the default.
 *
 * @example
 *   withNumericParams({ factors: 64, reg: 0.01 }, { reg: 0.1 }, 'als'); // { factors: 64, reg: 0.1 }
 */
export function withNumericParams<T extends Record<string, number>>(
  defaults: T,
  given: Readonly<Record<string, unknown>> | undefined,
  model: string,
): T {
  const out: Record<string, number> = { ...defaults };
  for (const [name, value] of Object.entries(given ?? {})) {
    if (!(name in defaults)) {
      throw new Error(
        `${model}: unknown hyper-parameter '${name}' (known: ${Object.keys(defaults).join(', ')})`,
      );
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new Error(`${model}: hyper-parameter '${name}' must be a finite number, got ${String(value)}`);
    }
    out[name] = value;
  }
  return out as T;
}

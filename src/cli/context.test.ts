import { afterEach, describe, expect, it } from 'vitest';
import { suggest } from './context.js';

describe('suggested commands', () => {
  const saved = process.env['SHOPSIGHT_DB'];
  afterEach(() => {
    if (saved === undefined) delete process.env['SHOPSIGHT_DB'];
    else process.env['SHOPSIGHT_DB'] = saved;
  });

  it('are written as the README runs them and carry a --db that is not the default', () => {
    delete process.env['SHOPSIGHT_DB'];
    expect(suggest('status')).toBe('`npx shopsight status`');
    expect(suggest('status', 'shopsight.duckdb')).toBe('`npx shopsight status`');
    expect(suggest('status', 'shop/a.duckdb')).toBe('`npx shopsight status --db shop/a.duckdb`');
    expect(suggest('status', "my shop's.duckdb")).toBe(
      `\`npx shopsight status --db 'my shop'\\''s.duckdb'\``,
    );
    process.env['SHOPSIGHT_DB'] = 'env.duckdb';
    expect(suggest('status', 'env.duckdb')).toBe('`npx shopsight status`');
  });
});

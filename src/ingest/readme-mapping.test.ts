/**
 * The README's "Writing a mapping" example must stay a valid mapping: this test reads it out of the
 * README and parses it, so the documentation cannot drift from the parser.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { FRAMES } from './frames.js';
import { parseMapping } from './parse-mapping.js';

const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');

describe('README mapping example', () => {
  it('parses as an order_lines mapping with the columns it documents', () => {
    const block = /## Writing a mapping[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const preset = parseMapping(parseYaml(block!), 'README.md');
    const mapping = preset.files[0]!.mapping;
    expect(mapping.frame).toBe('order_lines');
    expect(mapping.format).toEqual({ kind: 'csv', delimiter: ';' });
    expect(mapping.nulls).toEqual(['NA', 'N/A']);
    expect(Object.keys(mapping.columns)).toEqual(
      expect.arrayContaining(FRAMES.order_lines.columns.filter((c) => c.required).map((c) => c.name)),
    );
  });

  it('lists every quarantine reason code the schema defines', async () => {
    const { QUARANTINE_REASONS } = await import('../schema/tables.js');
    for (const code of Object.keys(QUARANTINE_REASONS)) expect(readme).toContain(`\`${code}\``);
  });
});

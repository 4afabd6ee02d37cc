import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from './datasets.js';
import { seal, sealState } from './generated.js';

describe('generated docs', () => {
  it('a seal verifies the text it was made for and catches any edit', () => {
    const doc = seal('# Evaluation\n\n| a | 1 |\n');
    expect(sealState(doc)).toBe('sealed');
    expect(sealState(doc.replace('| a | 1 |', '| a | 2 |'))).toBe('edited');
    expect(sealState(doc.replace('# Evaluation', '# Evaluation '))).toBe('edited');
    expect(sealState('# Evaluation\n')).toBe('unsealed');
  });

  it('docs/EVALUATION.md is not edited by hand after npm run eval wrote it', () => {
    const doc = readFileSync(join(PROJECT_ROOT, 'docs', 'EVALUATION.md'), 'utf8');
    // Written before seals existed: the next `npm run eval` seals it; until then only the edit check is off.
    const state = sealState(doc);
    expect(['sealed', 'unsealed']).toContain(state);
    expect(state).not.toBe('edited');
  });
});

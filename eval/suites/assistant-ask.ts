/**
 * Issue 13 "The assistant", must show: merchant questions over Online Retail (the bundled sample,
 * fixtures/online-retail, imported with the online-retail preset) answered with the rows that SQL
 * written by hand over the canonical tables gives (eval/assistant/ask-questions.ts). Offline the
 * templates answer; with SHOPSIGHT_LLM_BASE_URL set the model writes the SQL too, and its score is
 * reported beside the templates' (not asserted: it depends on the model).
 *
 * Time: import about 20 s, 32 questions about 3 s (measured under load 1.0).
 */
import { fileURLToPath } from 'node:url';
import { askData, type AskAnswer } from '../../src/assistant/ask/ask.js';
import { LlmClient } from '../../src/assistant/llm/client.js';
import { readLlmConfig } from '../../src/assistant/llm/config.js';
import { getPreset } from '../../src/ingest/presets/index.js';
import { DuckDBWarehouse } from '../../src/warehouse/duckdb/duckdb-warehouse.js';
import { importSource } from '../../src/warehouse/import/import-source.js';
import type { Row } from '../../src/warehouse/warehouse.js';
import { ASK_CASES } from '../assistant/ask-questions.js';
import { atLeast, holds, type Check, type SuiteResult } from '../check.js';

const SUITE = 'assistant: data questions';
const SAMPLE = fileURLToPath(new URL('../../fixtures/online-retail/online_retail.csv.gz', import.meta.url));
const HAND_SQL = 'hand-written SQL over the canonical tables, eval/assistant/ask-questions.ts';

export async function assistantAsk(): Promise<SuiteResult> {
  const wh = await DuckDBWarehouse.open(':memory:');
  try {
    await importSource(wh, { target: SAMPLE, preset: getPreset('online-retail') });
    const checks: Check[] = [];
    const lines = ['| question | template | rows | summary |', '|---|---|---|---|'];
    let right = 0;
    const config = readLlmConfig();
    const llm = config ? new LlmClient(config) : undefined;
    let modelRight = 0;
    for (const c of ASK_CASES) {
      const expected = (await wh.rows(c.expected)).map(values);
      const answer = await askData(wh, c.question).catch((e: Error) => e);
      const same = !(answer instanceof Error) && sameRows(answer, expected);
      if (same) right++;
      checks.push(
        holds(
          SUITE,
          c.question,
          same,
          answer instanceof Error
            ? `error: ${answer.message}`
            : `${answer.rows.length} rows equal: ${same}; ${answer.summary}`,
          HAND_SQL,
        ),
      );
      if (!(answer instanceof Error))
        lines.push(
          `| ${c.question} | ${answer.template} | ${answer.rows.length} | ${answer.summary.replace(/\|/g, '/')} |`,
        );
      if (llm) {
        const m = await askData(wh, c.question, { llm }).catch((e: Error) => e);
        if (!(m instanceof Error) && m.mode === 'model' && sameRows(m, expected)) modelRight++;
      }
    }
    checks.push(
      atLeast(
        SUITE,
        'questions answered right offline (count)',
        30,
        right,
        'issue 13: at least 30 merchant questions',
        0,
      ),
    );
    const report = [
      `${right} of ${ASK_CASES.length} questions answered offline (templates) with exactly the rows of the hand-written SQL.`,
      llm
        ? `With the model ${config!.model} at ${config!.baseUrl}: ${modelRight} of ${ASK_CASES.length} answered by the model's own SQL with the same rows; ${llm.totals.promptTokens} prompt and ${llm.totals.completionTokens} completion tokens.`
        : 'No language model was set (SHOPSIGHT_LLM_BASE_URL): the model was not measured.',
      '',
      ...lines,
    ].join('\n');
    return { checks, report };
  } finally {
    await wh.close();
  }
}

function values(r: Row): unknown[] {
  return Object.values(r);
}

/** Same rows in the same order; numbers equal to the cent (both sides round money to 2 places). */
function sameRows(answer: AskAnswer, expected: unknown[][]): boolean {
  if (answer.rows.length !== expected.length) return false;
  return answer.rows.every((row, i) => {
    const got = values(row);
    const want = expected[i]!;
    return got.length === want.length && got.every((v, j) => sameValue(v, want[j]));
  });
}

function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= 0.005 + 1e-9 * Math.abs(b);
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return a === b;
}

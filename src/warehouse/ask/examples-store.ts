/**
 * @module warehouse/ask/examples-store
 * Question/SQL pairs a merchant confirmed (`shopsight ask --confirm`, or `confirm: true` on the
 * API): the model sees the closest ones as worked examples for later questions (table ask_examples,
 * migration 10). A pair is stored once; confirming the same question again replaces its SQL.
 */
import type { Warehouse } from '../warehouse.js';

export interface AskExample {
  readonly question: string;
  readonly sql: string;
}

export async function saveAskExample(wh: Warehouse, example: AskExample): Promise<void> {
  await wh.transaction(async () => {
    await wh.exec('DELETE FROM ask_examples WHERE lower(question) = lower(?)', [example.question]);
    await wh.exec(
      `INSERT INTO ask_examples
       SELECT coalesce(max(example_id), 0) + 1, ?, ?, current_timestamp::TIMESTAMP FROM ask_examples`,
      [example.question, example.sql],
    );
  });
}

/** Every stored example, oldest first (a store keeps tens to hundreds: small). */
export async function listAskExamples(wh: Warehouse): Promise<AskExample[]> {
  return wh.rows<{ question: string; sql: string }>(
    'SELECT question, sql FROM ask_examples ORDER BY example_id',
  );
}

/**
 * @module tasks/risk/score-worker
 * Worker-thread side of RiskScoringThread (./score-thread.ts): decodes the models it is sent and
 * scores feature rows with `scoreRisk`, answering each request by its id.
 */
import { parentPort } from 'node:worker_threads';
import { riskFromArtifact, type RiskModel } from './model.js';
import type { RiskThreadMessage, RiskThreadReply } from './score-thread.js';
import { scoreRisk } from './score.js';

const port = parentPort!;
/** A decoded model, or why it could not be decoded (reported to every call that asks for it). */
const models = new Map<string, RiskModel | Error>();

port.on('message', (m: RiskThreadMessage) => {
  if (m.type === 'load') {
    try {
      models.set(m.key, riskFromArtifact(m.artifact));
    } catch (err) {
      models.set(m.key, err instanceof Error ? err : new Error(String(err)));
    }
    return;
  }
  if (m.type === 'drop') {
    models.delete(m.key);
    return;
  }
  let reply: RiskThreadReply;
  try {
    const model = models.get(m.key);
    if (!model) throw new Error(`risk model ${m.key} was not sent to the scoring thread`);
    if (model instanceof Error) throw model;
    const options = { rules: m.rules, ...(m.reasons !== undefined ? { reasons: m.reasons } : {}) };
    reply = { id: m.id, ok: true, result: scoreRisk(model, m.values, m.rows, options) };
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    reply = { id: m.id, ok: false, error: { name: e.name, message: e.message } };
  }
  port.postMessage(reply);
});

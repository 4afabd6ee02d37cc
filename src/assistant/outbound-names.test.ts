/**
 * Issue 13, safety, names: what reaches the language-model endpoint, read from the scripted
 * server's record of every request, over every path that sends text (support with embeddings, ask,
 * copy, the review aspect pass). The store knows c1 as Ann Lee (the asker) and c2 as 王小明; names
 * the store does not know are typed in the shapes that show them (I'm..., Mr..., 我叫..., 女士).
 * None of them arrives; [NAME] does; with SHOPSIGHT_LLM_REDACT=off the question goes as typed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore } from '../warehouse/analytics/test-store.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { askData } from './ask/ask.js';
import { campaignCopy } from './copy/copy.js';
import { shopNames } from './llm/shop-names.js';
import {
  scriptedClient,
  startScriptedLlm,
  type RecordedRequest,
  type ScriptedLlm,
  type ScriptStep,
} from './llm/test-llm-server.js';
import { LLM_ASPECT_SYSTEM_PROMPT, labelAspectsWithLlm } from './reviews/llm-aspects.js';
import { SupportAssistant } from './support/support.js';

/** Every name planted (known to the store or not): none may reach the endpoint. */
const NAMES = ['Ann', 'Lee', '王小明', 'Kowalski', 'Wong', '李娜', 'Peter Parker', '陈', 'Zhang Wei'];
const SUPPORT_QUESTION =
  "Hi, I'm Ann Lee. Did 王小明 pick up my parcel for Mr Kowalski? 我叫李娜的朋友说没收到\nThanks, Ann";

let wh: Warehouse;
let server: ScriptedLlm;

function script(r: RecordedRequest): ScriptStep {
  const system = r.body.messages?.[0]?.content ?? '';
  if (system.includes('using ONLY the passages'))
    return { reply: `It is on its way [doc:${/<passage id="doc:([^"]+)">/.exec(system)![1]!}].` };
  if (system.includes('marketing e-mail'))
    return { reply: JSON.stringify({ subject: 'We miss you', body: 'Come back soon.' }) };
  if (system === LLM_ASPECT_SYSTEM_PROMPT) return { reply: JSON.stringify({ reviews: [] }) };
  return { reply: JSON.stringify({ sql: 'SELECT count(*) AS n FROM ask_orders' }) };
}

beforeAll(async () => {
  wh = await openTestStore();
  await wh.exec("UPDATE customers SET first_name = 'Ann', last_name = 'Lee' WHERE customer_id = 'c1'");
  await wh.exec("UPDATE customers SET first_name = '小明', last_name = '王' WHERE customer_id = 'c2'");
  // c3 (the at_risk segment) bought p1 and p2: their titles go to the copy model.
  await wh.exec("UPDATE products SET title = 'Mug chosen by Mrs Wong' WHERE product_id = 'p1'");
  await wh.exec("UPDATE products SET title = '王小明推荐的蜡烛' WHERE product_id = 'p2'");
  const kb: [string, string, string, string][] = [
    ['t1', 'where is my parcel', 'It is with our courier; 陈女士 will call you.', 'track_order'],
    ['t2', 'track my parcel', 'It is with our courier.', 'track_order'],
    ['c1', 'cancel my order', 'Press Cancel under Order History.', 'cancel_order'],
    ['c2', 'how do i cancel a purchase', 'Press Cancel under Order History.', 'cancel_order'],
  ];
  for (const [id, q, a, intent] of kb)
    await wh.exec(
      "INSERT INTO knowledge (doc_id, kind, question, answer, intent) VALUES (?, 'faq', ?, ?, ?)",
      [id, q, a, intent],
    );
  server = await startScriptedLlm(script);
});
afterAll(async () => {
  await server?.close();
  await wh?.close();
});

const sentSince = (from: number): string => JSON.stringify(server.requests.slice(from).map((r) => r.body));
const expectNoName = (sent: string): void => {
  for (const n of NAMES) expect(sent, n).not.toContain(n);
};

describe('names never reach the endpoint', () => {
  it('support: the question (chat and embeddings) and the passages go with [NAME]', async () => {
    const from = server.requests.length;
    const s = await SupportAssistant.build(wh, { llm: scriptedClient(server, { embeddingsModel: 'e' }) });
    const a = await s.answer(wh, SUPPORT_QUESTION, 'c1');
    expect(a.mode).toBe('model');
    // Answered as asked: only what leaves is redacted.
    expect(a.question).toBe(SUPPORT_QUESTION);
    expectNoName(sentSince(from));
    const chat = server.chatRequests().filter((r) => server.requests.indexOf(r) >= from);
    expect(chat[0]!.body.messages![1]!.content).toBe(
      "<question>Hi, I'm [NAME]. Did [NAME] pick up my parcel for Mr [NAME]? 我叫[NAME]的朋友说没收到\nThanks, [NAME]</question>",
    );
    expect(chat[0]!.body.messages![0]!.content).toContain('[NAME]女士 will call you.');
    const embedded = server.requests
      .slice(from)
      .filter((r) => r.path.endsWith('/embeddings'))
      .map((r) => r.body.input!);
    expect(embedded.at(-1)).toEqual([
      "Hi, I'm [NAME]. Did [NAME] pick up my parcel for Mr [NAME]? 我叫[NAME]的朋友说没收到\nThanks, [NAME]",
    ]);
  });

  it("ask: a known customer's name in the merchant's question goes, in any case", async () => {
    const from = server.requests.length;
    const a = await askData(wh, 'How many orders did ann LEE and 王小明 place?', {
      llm: scriptedClient(server),
    });
    expect(a.mode).toBe('model');
    expectNoName(sentSince(from));
    const user = server
      .chatRequests()
      .at(-1)!
      .body.messages!.filter((m) => m.role === 'user');
    expect(user.some((m) => m.content === 'How many orders did [NAME] and [NAME] place?')).toBe(true);
  });

  it('copy: names in product titles go, Chinese ones as written', async () => {
    const from = server.requests.length;
    const c = await campaignCopy(wh, 'at_risk', 'en', scriptedClient(server));
    expect(c.mode).toBe('model');
    expectNoName(sentSince(from));
    const sent = JSON.parse(server.requests[from]!.body.messages![1]!.content!) as {
      topProducts: { title: string }[];
    };
    expect(sent.topProducts.map((p) => p.title).sort()).toEqual([
      'Mug chosen by Mrs [NAME]',
      '[NAME]推荐的蜡烛',
    ]);
  });

  it('the review aspect pass: names in reviews go', async () => {
    const from = server.requests.length;
    const llm = scriptedClient(server);
    const reviews = [
      'Bought for Mr Peter Parker, he loved the mug. Regards, Zhang Wei',
      '我是李娜，物流太慢；王小明也这么说',
      'Great mug, the handle is solid',
    ];
    const r = await labelAspectsWithLlm(llm, reviews, { knownNames: await shopNames(wh, llm.config) });
    expect(r.status).toBe('done');
    expectNoName(sentSince(from));
    expect(r.sent).toEqual([
      'Bought for Mr [NAME], he loved the mug. Regards, [NAME]',
      '我是[NAME]，物流太慢；[NAME]也这么说',
      'Great mug, the handle is solid',
    ]);
  });

  it('with redaction switched off (SHOPSIGHT_LLM_REDACT=off) the names go as typed', async () => {
    const from = server.requests.length;
    const s = await SupportAssistant.build(wh, {
      llm: scriptedClient(server, { redactPersonalData: false }),
    });
    await s.answer(wh, SUPPORT_QUESTION, 'c1');
    const chat = server.chatRequests().filter((r) => server.requests.indexOf(r) >= from);
    expect(chat[0]!.body.messages![1]!.content).toBe(`<question>${SUPPORT_QUESTION}</question>`);
    expect(chat[0]!.body.messages![0]!.content).toContain('陈女士 will call you.');
  });
});

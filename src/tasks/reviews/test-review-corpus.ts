/**
 * A small bilingual review corpus written for the tests: clear positives and negatives in Chinese
 * and English, each phrase combined with a few product words so the model has repeats to learn from.
 */
const ZH_POS = ['质量很好', '非常满意', '物流很快', '很喜欢', '性价比高', '做工精致', '推荐购买', '穿着舒服'];
const ZH_NEG = ['质量太差', '非常失望', '物流太慢', '不喜欢', '想退货', '做工粗糙', '再也不买', '尺码偏小'];
const EN_POS = [
  'great quality',
  'love it',
  'fast delivery',
  'very comfortable',
  'highly recommend',
  'perfect fit',
];
const EN_NEG = [
  'poor quality',
  'hate it',
  'slow delivery',
  'very uncomfortable',
  'would not recommend',
  'terrible fit',
];
const ZH_ITEMS = ['这件衣服', '这个手机', '这款洗发水', '这家酒店', '这本书'];
const EN_ITEMS = ['this dress', 'the shoes', 'this jacket', 'the bag', 'these socks'];

export function reviewCorpus(): { texts: string[]; labels: number[]; categories: string[] } {
  const texts: string[] = [];
  const labels: number[] = [];
  const categories: string[] = [];
  const add = (phrases: string[], items: string[], label: number, zh: boolean): void => {
    phrases.forEach((p, i) =>
      items.forEach((item, j) => {
        texts.push(zh ? `${item}${p}` : `${item}: ${p}`);
        labels.push(label);
        categories.push(j % 2 === 0 ? 'a' : 'b');
        if ((i + j) % 3 === 0) {
          texts.push(zh ? `${p}，${item}` : `${p}, ${item}`);
          labels.push(label);
          categories.push('c');
        }
      }),
    );
  };
  add(ZH_POS, ZH_ITEMS, 1, true);
  add(ZH_NEG, ZH_ITEMS, 0, true);
  add(EN_POS, EN_ITEMS, 1, false);
  add(EN_NEG, EN_ITEMS, 0, false);
  return { texts, labels, categories };
}

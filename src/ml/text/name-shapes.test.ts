/**
 * The name-shape detector on labelled sentences, English and Chinese: each sentence with the exact
 * names it must find (nothing else), so every look-alike (product names, "I'm looking for",
 * 我是顾客) is asserted to survive and every name to go.
 */
import { describe, expect, it } from 'vitest';
import { nameShapeSpans } from './name-shapes.js';

/** [sentence, the names in it as written]: an empty list is a look-alike that must survive whole. */
const LABELLED: readonly (readonly [string, readonly string[]])[] = [
  // English self-introductions
  ['Hi, my name is Ann Lee. Where is my order?', ['Ann Lee']],
  ['my name is john smith and i want a refund', ['john smith']],
  ["My name's Priya Patel, I ordered a lamp", ['Priya Patel']],
  ["I'm Sarah Connor, order 5 is late", ['Sarah Connor']],
  ['Hello, I am Tom and my parcel never came', ['Tom']],
  ['This is Tom Hardy from Acme Ltd about invoice 12', ['Tom Hardy']],
  ['Hi, this is Maria speaking, can I change my address?', ['Maria']],
  ['You can call me Liz if that is easier', ['Liz']],
  // sign-offs
  ['Where is my parcel?\nThanks, John', ['John']],
  ['The mug arrived broken.\n\nRegards,\nMary Jones', ['Mary Jones']],
  ['Please cancel it. Kind regards, Peter O’Neill', ['Peter O’Neill']],
  ['Can I return the lamp? Cheers - Dave', ['Dave']],
  // honorifics and greetings
  ['Mr Smith called about the refund', ['Smith']],
  ['Dear Mrs. Wong, your order has shipped', ['Wong']],
  ['Please send it to Dr Amelia Brown at the clinic', ['Amelia Brown']],
  ['Ms Garcia asked for a gift receipt', ['Garcia']],
  // fields
  ['name: Peter Parker, phone on file', ['Peter Parker']],
  ['Full name: jane doe', ['jane doe']],
  // Chinese
  ['我叫王小明，订单到哪了', ['王小明']],
  ['你好，我是李娜，想退货', ['李娜']],
  ['我叫欧阳娜娜想问一下', ['欧阳娜娜']],
  ['我姓张，昨天下的单', ['张']],
  ['李女士你好，您的包裹已发出', ['李']],
  ['请转告陈先生明天送货', ['陈']],
  ['王小明先生的订单', ['王小明']],
  ['张小姐说颜色不对', ['张']],
  ['收件人：刘德华，电话见订单', ['刘德华']],
  ['姓名：马丽', ['马丽']],
  // look-alikes: nothing to find
  ["I'm looking for a gift for my mum", []],
  ["I'm Looking For A Gift Under 20 Pounds", []],
  ["I'm not happy with the delivery", []],
  ["I'm British and the plug does not fit", []],
  ["I'm Disappointed with the quality", []],
  ['This is Amazing. Five stars', []],
  ['This is great value for money', []],
  ['Thanks for your help with my order', []],
  ['Thanks, Great product!', []],
  ['Thank you, Can you ship to Spain?', []],
  ['WHITE HANGING HEART T-LIGHT HOLDER is out of stock', []],
  ['Do you sell the Jumbo Bag Red Retrospot?', []],
  ['Dear Customer, your order has shipped', []],
  ['product name: Regency Cakestand 3 Tier', []],
  ['my name is spelled wrong on the invoice', []],
  ['my name is not on the parcel', []],
  ['我是顾客，想查订单', []],
  ['我是武汉人，能送到吗', []],
  ['我叫了快递还没来', []],
  ['谢谢先生的帮助', []],
  ['我是新会员，有优惠吗', []],
  ['我是高级会员', []],
  ['这位女士的快递到了', []],
  // from the Chinese review corpus: 常 and 龙 are surnames, 白族 an ethnic group
  ['紫色调的，非常适合女士住', []],
  ['这个火龙果太太太甜了', []],
  ['前台的白族小姐态度很好', []],
  ['特别感谢配送员赵先生！', ['赵']],
  ['快递员邹剑老先生很负责', ['邹剑']],
  ['名字：在查找联系人的时候没有显示', []],
  ['只要我辈高举德先生赛先生的旗帜', []],
];

describe('nameShapeSpans on labelled sentences', () => {
  it.each(LABELLED)('%s', (text, names) => {
    expect(nameShapeSpans(text).map((s) => text.slice(s.start, s.end))).toEqual(names);
  });

  it('has at least 40 labelled sentences, names and look-alikes both', () => {
    expect(LABELLED.length).toBeGreaterThanOrEqual(40);
    expect(LABELLED.filter(([, n]) => n.length).length).toBeGreaterThanOrEqual(20);
    expect(LABELLED.filter(([, n]) => !n.length).length).toBeGreaterThanOrEqual(20);
  });
});

import { describe, expect, it } from 'vitest';
import { detectPii, redactPii } from './pii.js';

const redact = (t: string, o = {}) => redactPii(t, detectPii(t, o));

describe('detectPii', () => {
  it('finds e-mails with their exact offsets', () => {
    const text = 'write to jo.smith+shop@mail.example.co.uk today';
    expect(detectPii(text)).toEqual([{ kind: 'email', start: 9, end: 41 }]);
    expect(text.slice(9, 41)).toBe('jo.smith+shop@mail.example.co.uk');
  });

  it('finds Chinese mobiles, international and national numbers, not prices, dates or invoice numbers', () => {
    expect(redact('我的手机 13812345678，或 +86 138-1234-5678')).toBe('我的手机 [PHONE]，或 [PHONE]');
    expect(redact('call +44 20 7946 0958 or 020 7946 0958 or (020) 7946 0958')).toBe(
      'call [PHONE] or [PHONE] or [PHONE]',
    );
    expect(redact('order 536365 cost 1234.50 on 2011-12-09, 12 items')).toBe(
      'order 536365 cost 1234.50 on 2011-12-09, 12 items',
    );
  });

  it("redacts other customers' order ids and keeps the asker's own", () => {
    const o = { orderIdPattern: /\b\d{6}\b/, ownOrderIds: new Set(['536365']) };
    expect(redact('is 536365 shipped? and 536366?', o)).toBe('is 536365 shipped? and [ORDER_ID]?');
  });

  it('redacts known names as whole words in any case, not inside other words', () => {
    expect(redact('Ann Lee wrote; ANN LEE again; Annie not', { names: ['Ann Lee', 'Ann'] })).toBe(
      '[NAME] wrote; [NAME] again; Annie not',
    );
  });
});

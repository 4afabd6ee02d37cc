import { describe, expect, it } from 'vitest';
import { maskAttributes, maskEmail, personalKeyPlaceholder } from './personal-fields.js';

describe('personal fields', () => {
  it('masks by key: e-mails, phones, IPs, addresses, ID numbers, names', () => {
    expect(
      [
        'contact_email',
        'mobile',
        'last_ip',
        'shipping_address',
        'id_card',
        'first_name',
        'sex',
        'age',
        'tier',
      ].map(personalKeyPlaceholder),
    ).toEqual(['[EMAIL]', '[PHONE]', '[IP]', '[ADDRESS]', '[ID_NUMBER]', '[NAME]', null, null, null]);
  });

  it('masks by content what the PII detector finds, and leaves the rest as stored', () => {
    expect(
      maskAttributes({
        first_name: 'Li',
        surname: '王',
        sex: 'F',
        age: 31,
        vip: true,
        note: 'call 13812345678 or jo@example.com',
        devices: [{ ip: '10.0.0.7', os: 'ios' }],
        empty_name: '',
      }),
    ).toEqual({
      first_name: '[NAME]',
      surname: '[NAME]',
      sex: 'F',
      age: 31,
      vip: true,
      note: 'call [PHONE] or [EMAIL]',
      devices: [{ ip: '[IP]', os: 'ios' }],
      empty_name: '',
    });
    expect(maskEmail('jo@example.com')).toBe('[EMAIL]');
    expect(maskEmail(null)).toBeNull();
  });
});

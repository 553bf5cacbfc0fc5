import { serviceNameOf } from './service-name';

describe('serviceNameOf', () => {
  it('keeps a printable name, and names an absent or empty one unknown_service', () => {
    expect(['payment-api', 'Zahlungs-Dienst ü', '', undefined, 7].map(serviceNameOf)).toEqual([
      'payment-api',
      'Zahlungs-Dienst ü',
      'unknown_service',
      'unknown_service',
      'unknown_service',
    ]);
  });

  it('writes the characters a terminal acts on as \\uXXXX: colour, new lines, C1 controls, bidi overrides', () => {
    expect(
      ['api\u001b[31m-gateway', 'api\n[tracehop] OK', 'a\r\u009bb', 'evil\u202egnp.exe', 'x\u2028y'].map(serviceNameOf),
    ).toEqual([
      'api\\u001b[31m-gateway',
      'api\\u000a[tracehop] OK',
      'a\\u000d\\u009bb',
      'evil\\u202egnp.exe',
      'x\\u2028y',
    ]);
  });
});

import { AcrcheckError } from '../src/errors';
import { classifyHost, namedRegions, parseRegistry } from '../src/target';

describe('parseRegistry accepts Azure registry hosts', () => {
  test.each([
    ['myregistry', 'myregistry', 'myregistry.azurecr.io', []],
    ['MyRegistry', 'myregistry', 'myregistry.azurecr.io', []],
    ['myregistry.azurecr.io', 'myregistry', 'myregistry.azurecr.io', []],
    ['myregistry.azurecr.io.', 'myregistry', 'myregistry.azurecr.io', []],
    ['https://myregistry.azurecr.io/v2/', 'myregistry', 'myregistry.azurecr.io', []],
    ['http://myregistry.azurecr.io', 'myregistry', 'myregistry.azurecr.io', []],
    ['myregistry.azurecr.io/team/app:1.2', 'myregistry', 'myregistry.azurecr.io', []],
    ['contoso.azurecr.cn', 'contoso', 'contoso.azurecr.cn', []],
    ['contoso.azurecr.us', 'contoso', 'contoso.azurecr.us', []],
    ['contoso.azurecr.microsoft.scloud', 'contoso', 'contoso.azurecr.microsoft.scloud', []],
    ['contoso.azurecr.eaglex.ic.gov', 'contoso', 'contoso.azurecr.eaglex.ic.gov', []],
    ['acragentic-dad4auhga8feekaq.azurecr.io', 'acragentic', 'acragentic-dad4auhga8feekaq.azurecr.io', []],
    [
      `${'a'.repeat(50)}-${'b'.repeat(12)}.azurecr.io`,
      'a'.repeat(50),
      `${'a'.repeat(50)}-${'b'.repeat(12)}.azurecr.io`,
      [],
    ],
    [
      'myregistry.westeurope.data.azurecr.io',
      'myregistry',
      'myregistry.azurecr.io',
      ['myregistry.westeurope.data.azurecr.io'],
    ],
    [
      'myregistry.eastus.geo.azurecr.io',
      'myregistry',
      'myregistry.azurecr.io',
      ['myregistry.eastus.data.azurecr.io'],
    ],
  ])('%s', (input, name, loginServer, dataEndpoints) => {
    expect(parseRegistry(input)).toEqual({ name, loginServer, dataEndpoints });
  });

  test('regions asked for become data endpoints', () => {
    expect(parseRegistry('myregistry', ['westeurope', 'eastus']).dataEndpoints).toEqual([
      'myregistry.westeurope.data.azurecr.io',
      'myregistry.eastus.data.azurecr.io',
    ]);
  });
});

describe('parseRegistry refuses everything else before any packet leaves', () => {
  test.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['a'.repeat(300), 'too-long'],
    ['abc', 'name'],
    ['my_registry', 'characters'],
    ['my-registry', 'name'],
    ['a'.repeat(51), 'name'],
    [`${'a'.repeat(50)}-${'b'.repeat(13)}.azurecr.io`, 'name'],
    [`${'a'.repeat(50)}-${'b'.repeat(50)}.azurecr.io`, 'name'],
    [`${'a'.repeat(50)}-${'b'.repeat(50)}.westeurope.data.azurecr.io`, 'name'],
    ['127.0.0.1', 'ip-literal'],
    ['10.1.2.4', 'ip-literal'],
    ['2130706433', 'ip-literal'],
    ['0x7f000001', 'ip-literal'],
    ['[::1]', 'ip-literal'],
    ['::1', 'ip-literal'],
    ['fe80::1', 'ip-literal'],
    ['myregistry.azurecr.io:443', 'port'],
    ['myregistry.azurecr.io:5000/app', 'port'],
    ['user:pass@myregistry.azurecr.io', 'userinfo'],
    ['myregistry.azurecr.io@evil.example', 'userinfo'],
    ['https://evil.example/?x=myregistry.azurecr.io', 'suffix'],
    ['evil.example', 'suffix'],
    ['myregistry.azurecr.io.evil.example', 'suffix'],
    ['myregistry.azurecr.iox', 'suffix'],
    ['myregistry.azureacr.io', 'suffix'],
    ['myregistry-azurecr.io', 'suffix'],
    ['azurecr.io', 'name'],
    ['evil.myregistry.azurecr.io', 'name'],
    ['myregistry.privatelink.azurecr.io', 'privatelink'],
    ['myregistry.westeurope.data.privatelink.azurecr.io', 'privatelink'],
    ['myregistry.privatelink.azurecr.cn', 'privatelink'],
    ['a.b.c.myregistry.azurecr.io', 'name'],
    ['myregistry.azurecr.іо', 'characters'],
    ['myrеgistry.azurecr.io', 'characters'],
    ['xn--myrgistry-8ye.azurecr.io', 'name'],
    ['myregistry.azurecr.io\\@evil.example', 'userinfo'],
    ['myregistry%2eazurecr.io', 'characters'],
    ['ftp://myregistry.azurecr.io', 'characters'],
    ['file:///etc/passwd', 'characters'],
    ['myregistry.azurecr.io evil.example', 'characters'],
    ['myregistry\u200b.azurecr.io', 'characters'],
    ['myregistry.azurecr.io\n', 'name'],
  ])('%j → %s', (input, reason) => {
    let caught: unknown;
    try {
      parseRegistry(input);
    } catch (err) {
      caught = err;
    }
    if (input === 'myregistry.azurecr.io\n') {
      // Surrounding whitespace is trimmed: this one is a valid login server.
      expect(caught).toBeUndefined();
      return;
    }
    expect(caught).toBeInstanceOf(AcrcheckError);
    expect((caught as AcrcheckError).code).toBe('ACRCHECK_NOT_ACR_HOST');
    expect((caught as AcrcheckError).params.reason).toBe(reason);
  });

  test('a region that is not a region name is refused', () => {
    expect(() => parseRegistry('myregistry', ['west europe'])).toThrow(AcrcheckError);
    expect(() => parseRegistry('myregistry', ['evil.example#'])).toThrow(AcrcheckError);
  });
});

describe('classifyHost', () => {
  test('takes a data endpoint apart', () => {
    expect(classifyHost('MyReg01.WestEurope.data.azurecr.io')).toMatchObject({
      kind: 'data',
      name: 'myreg01',
      region: 'westeurope',
      loginServer: 'myreg01.azurecr.io',
    });
  });
  test.each(['example.com', 'myreg01.blob.core.windows.net', 'myreg01.privatelink.azurecr.io', 'azurecr.io'])(
    '%s is not a registry host',
    (host) => expect(classifyHost(host)).toBeNull(),
  );
});

test('a privatelink record is refused with the login server to use instead, before any packet leaves', () => {
  expect(() => parseRegistry('MyReg01.WestEurope.data.privatelink.azurecr.io')).toThrow(
    expect.objectContaining({
      code: 'ACRCHECK_NOT_ACR_HOST',
      params: expect.objectContaining({ reason: 'privatelink', loginServer: 'myreg01.azurecr.io' }),
    }),
  );
});

describe('namedRegions', () => {
  test.each<[string[], string[]]>([
    [['westeurope'], ['westeurope']],
    [['West', 'Europe'], ['westeurope']],
    [['West Europe,EastUS2'], ['westeurope', 'eastus2']],
    [
      ['south', 'africa', 'north', 'westeurope'],
      ['southafricanorth', 'westeurope'],
    ],
    [['eastus7'], ['eastus7']],
    [['westeurope', 'WestEurope'], ['westeurope']],
    [[], []],
  ])('%j → %j', (words, regions) => expect(namedRegions(words, 8)).toEqual(regions));

  test.each<[string[], string, Record<string, unknown>]>([
    [['westeurop'], 'region-typo', { input: 'westeurop', suggestion: 'westeurope' }],
    [
      ['Germany', 'WestCentrl'],
      'region-typo',
      { input: 'germanywestcentrl', suggestion: 'germanywestcentral' },
    ],
    [['a1', 'b2', 'c3'], 'regions', { max: 2 }],
  ])('%j is refused (%s)', (words, reason, params) => {
    expect(() => namedRegions(words, 2)).toThrow(
      expect.objectContaining({ params: expect.objectContaining({ reason, ...params }) }),
    );
  });
});

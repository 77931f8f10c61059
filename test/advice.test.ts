import {
  adviceFocus,
  causeText,
  endpointsToAllow,
  furtherDiagnosis,
  notNetworkAdvice,
  solutionFor,
  symptomText,
  unrecognizedAdvice,
  type AdviceInput,
  type Solution,
  type Step,
} from '../src/advice';
import { causeIds, notNetworkKinds, symptomIds, type CauseId } from '../src/contract';
import { supportedLocales, type Locale } from '../src/i18n';
import { parseRegistry } from '../src/target';

const unknown: AdviceInput = { registry: null, regions: [], clientIp: null };
const known: AdviceInput = {
  registry: parseRegistry('myregistry.westeurope.data.azurecr.io'),
  regions: [],
  clientIp: '203.0.113.7',
};
const geo: AdviceInput = {
  registry: parseRegistry('contosoacr', ['westeurope', 'eastus']),
  regions: ['japaneast', 'eastus'],
  clientIp: null,
};
const china: AdviceInput = {
  registry: parseRegistry('myregistry.azurecr.cn', ['chinaeast2']),
  regions: [],
  clientIp: null,
};
const usgov: AdviceInput = { registry: parseRegistry('myregistry.azurecr.us'), regions: [], clientIp: null };
const hashed: AdviceInput = {
  registry: parseRegistry('myregistry-dad4auhga8feekaq.azurecr.io', ['westeurope']),
  regions: [],
  clientIp: null,
};
const inputs = { unknown, known, geo, china, usgov, hashed };

const commands = (s: { steps: Step[] }): string[] => s.steps.flatMap((step) => step.commands);
const allText = (s: Solution): string[] => [s.title, s.summary, ...s.steps.map((step) => step.text)];
const placeholderPattern = /<registry-name>|<region>|<your-egress-ip>|<private-dns-zone>/;

describe('solutionFor', () => {
  describe.each(causeIds)('%s', (cause) => {
    test.each(supportedLocales)('in %s, every value is filled in and no step is empty', (locale) => {
      for (const [inputName, input] of Object.entries(inputs)) {
        const solution = solutionFor(cause, input, locale);
        expect(solution.cause).toBe(cause);
        expect(solution.steps.length).toBeGreaterThan(0);
        for (const text of [...allText(solution), ...commands(solution)]) {
          expect({ inputName, text, leftover: /\{\{|\}\}/.test(text) }).toEqual({
            inputName,
            text,
            leftover: false,
          });
          expect(text.trim().length).toBeGreaterThan(0);
          // A second '*' would turn host wildcards into Teams markdown emphasis.
          expect({ inputName, text, stars: (text.match(/\*/g) ?? []).length <= 1 }).toEqual({
            inputName,
            text,
            stars: true,
          });
        }
        for (const link of solution.links) expect(link.title.trim().length).toBeGreaterThan(0);
      }
    });

    test('a known registry leaves no registry, region or client placeholder in commands', () => {
      for (const command of commands(solutionFor(cause, known, 'en')))
        expect(command).not.toMatch(placeholderPattern);
    });

    test('commands are the same in every language; only the text changes', () => {
      const [en, de, zh] = supportedLocales.map((l) => solutionFor(cause, geo, l));
      expect(commands(de!)).toEqual(commands(en!));
      expect(commands(zh!)).toEqual(commands(en!));
      expect(de!.title).not.toBe(en!.title);
      expect(zh!.steps[0]!.text).not.toBe(en!.steps[0]!.text);
    });

    test.each([
      ['en', 'en-us'],
      ['de', 'de-de'],
      ['zh-TW', 'zh-tw'],
    ] as [Locale, string][])('links in %s go to the %s learn pages', (locale, path) => {
      const { links } = solutionFor(cause, known, locale);
      const learn = links.filter((l) => l.url.startsWith('https://learn.microsoft.com/'));
      expect(learn.length).toBeGreaterThan(0);
      for (const link of learn)
        expect(link.url).toMatch(new RegExp(`^https://learn\\.microsoft\\.com/${path}/azure/`));
      expect(links[0]!.url).toContain(
        '/azure/container-registry/container-registry-troubleshoot-access#configure-',
      );
    });
  });

  test('client-firewall names the login server, each data endpoint and storage, with the registry filled in', () => {
    const s = solutionFor('client-firewall', known, 'en');
    expect(s.endpoints).toEqual(['myregistry.azurecr.io', 'myregistry.westeurope.data.azurecr.io']);
    expect(s.summary).toContain('myregistry.azurecr.io, myregistry.westeurope.data.azurecr.io');
    const cmds = commands(s);
    expect(cmds).toContain('az acr show-endpoints --name myregistry');
    expect(cmds).toContain('az acr update --name myregistry --data-endpoint-enabled true');
    expect(cmds).toContain(
      'curl -sS -o /dev/null -w "%{http_code}\\n" https://myregistry.westeurope.data.azurecr.io/',
    );
    expect(cmds).toContain('sudo systemctl restart docker');
    expect(
      cmds.some((c) => c.startsWith('ContainerRegistryLoginEvents') && c.includes('"myregistry.azurecr.io"')),
    ).toBe(true);
    const text = s.steps.map((step) => step.text).join('\n');
    expect(text).toContain('*.blob.core.windows.net');
    expect(text).toMatch(/daemon/);
    expect(text).toContain('NO_PROXY');
    expect(text).toContain('/etc/docker/certs.d/myregistry.azurecr.io/ca.crt');
  });

  test('registry-public-access fills in the client IP the registry reported', () => {
    const s = solutionFor('registry-public-access', known, 'de');
    expect(commands(s)).toContain('az acr network-rule add --name myregistry --ip-address 203.0.113.7');
    expect(commands(s)).toContain('az acr update --name myregistry --public-network-enabled true');
    expect(commands(s)).toContain('az acr update --name myregistry --default-action Allow');
    expect(commands(s)[0]).toBe(
      'az acr show --name myregistry --query "{publicNetworkAccess: publicNetworkAccess, defaultAction: networkRuleSet.defaultAction, ipRules: networkRuleSet.ipRules}"',
    );
    expect(s.steps[1]!.text).toContain('203.0.113.7');
  });

  test('without a client IP the IP rule uses a placeholder and the text says how to find the address', () => {
    const s = solutionFor('registry-public-access', { ...known, clientIp: null }, 'en');
    expect(commands(s)).toContain('az acr network-rule add --name myregistry --ip-address <your-egress-ip>');
    expect(s.steps[1]!.text).toMatch(/client with IP/);
  });

  test('a client IP that is not an address is never copied into a command', () => {
    const s = solutionFor('registry-public-access', { ...known, clientIp: '1.2.3.4; rm -rf /' }, 'en');
    expect(commands(s).join('\n')).not.toContain('rm -rf');
    expect(commands(s)).toContain('az acr network-rule add --name myregistry --ip-address <your-egress-ip>');
  });

  test('IPv6 client addresses are used as they are', () => {
    const s = solutionFor('registry-public-access', { ...known, clientIp: '2001:db8::7' }, 'en');
    expect(commands(s)).toContain('az acr network-rule add --name myregistry --ip-address 2001:db8::7');
  });

  test('vnet-config checks DNS and private records for every replica region', () => {
    const s = solutionFor('vnet-config', geo, 'en');
    const cmds = commands(s);
    expect(cmds.filter((c) => /^nslookup \S+$/.test(c))).toEqual([
      'nslookup contosoacr.azurecr.io',
      'nslookup contosoacr.westeurope.data.azurecr.io',
      'nslookup contosoacr.eastus.data.azurecr.io',
      'nslookup contosoacr.japaneast.data.azurecr.io',
    ]);
    expect(cmds).toContain(
      'az network private-dns link vnet list --resource-group <resource-group> --zone-name privatelink.azurecr.io --output table',
    );
    expect(cmds).toContain(
      'az acr check-health --name contosoacr --vnet <vnet-name-or-id> --ignore-errors --yes',
    );
    expect(cmds).toContain('az acr network-rule add --name contosoacr --subnet <subnet-id>');
    expect(cmds).toContain(
      'az provider register --namespace Microsoft.ContainerRegistry --subscription <vnet-subscription-id>',
    );
    expect(cmds).toContain(
      'az acr private-endpoint-connection approve --registry-name contosoacr --name <connection-name>',
    );
    expect(cmds).toContain('nslookup contosoacr.azurecr.io 168.63.129.16');
    const zone = s.steps.find((step) => step.text.includes('privatelink.azurecr.io'))!.text;
    expect(zone).toContain('contosoacr.westeurope.data, contosoacr.eastus.data, contosoacr.japaneast.data');
    expect(s.steps.some((step) => step.text.includes('168.63.129.16'))).toBe(true);
    expect(s.steps.some((step) => /Bastion/.test(step.text))).toBe(true);
  });

  test('service-access allows trusted services and offers an agent pool in the VNet', () => {
    const cmds = commands(solutionFor('service-access', known, 'zh-TW'));
    expect(cmds).toContain('az acr update --name myregistry --allow-trusted-services true');
    expect(cmds).toContain(
      'az acr agentpool create --registry myregistry --name <pool-name> --tier S1 --subnet-id <subnet-id>',
    );
  });

  test('a geo-replicated registry gets one data endpoint per region, without duplicates', () => {
    const s = solutionFor('client-firewall', geo, 'en');
    expect(s.endpoints).toEqual([
      'contosoacr.azurecr.io',
      'contosoacr.westeurope.data.azurecr.io',
      'contosoacr.eastus.data.azurecr.io',
      'contosoacr.japaneast.data.azurecr.io',
    ]);
    expect(commands(s).filter((c) => c.startsWith('curl'))).toHaveLength(4);
    expect(commands(s)).toContain(
      'export NO_PROXY="$NO_PROXY,contosoacr.azurecr.io,contosoacr.westeurope.data.azurecr.io,contosoacr.eastus.data.azurecr.io,contosoacr.japaneast.data.azurecr.io"',
    );
  });

  test.each(causeIds)('an unknown registry gets clear placeholders (%s)', (cause: CauseId) => {
    const s = solutionFor(cause, unknown, 'en');
    const cmds = commands(s);
    for (const command of cmds) expect(command).not.toMatch(/\{\{/);
    expect(cmds.some((c) => c.includes('<registry-name>'))).toBe(true);
  });

  test('an unknown registry and region show as <registry-name> and <region>', () => {
    const cmds = commands(solutionFor('vnet-config', unknown, 'en'));
    expect(cmds).toContain('nslookup <registry-name>.azurecr.io');
    expect(cmds).toContain('nslookup <registry-name>.<region>.data.azurecr.io');
    expect(commands(solutionFor('registry-public-access', unknown, 'en'))).toContain(
      'az acr network-rule add --name <registry-name> --ip-address <your-egress-ip>',
    );
  });

  test('a region without a registry still names the regional data endpoint', () => {
    const cmds = commands(solutionFor('vnet-config', { ...unknown, regions: ['westeurope'] }, 'en'));
    expect(cmds).toContain('nslookup <registry-name>.westeurope.data.azurecr.io');
  });

  test('region strings that are not region names are dropped; others are lower-cased', () => {
    const s = solutionFor(
      'client-firewall',
      { ...known, regions: ['west europe; curl evil', 'EASTUS'] },
      'en',
    );
    expect(s.endpoints).toEqual([
      'myregistry.azurecr.io',
      'myregistry.westeurope.data.azurecr.io',
      'myregistry.eastus.data.azurecr.io',
    ]);
  });

  test('Azure China registries use their own suffix, storage and privatelink zone', () => {
    const fw = solutionFor('client-firewall', china, 'en');
    expect(fw.endpoints).toEqual(['myregistry.azurecr.cn', 'myregistry.chinaeast2.data.azurecr.cn']);
    expect(fw.steps.find((s) => s.text.includes('blob'))!.text).toContain('*.blob.core.chinacloudapi.cn');
    const vnet = commands(solutionFor('vnet-config', china, 'en'));
    expect(vnet).toContain(
      'az network private-dns record-set a list --resource-group <resource-group> --zone-name privatelink.azurecr.cn --output table',
    );
    expect(vnet).toContain('nslookup myregistry.chinaeast2.data.azurecr.cn');
    expect(endpointsToAllow({ ...china, registry: parseRegistry('myregistry.azurecr.cn') })).toEqual([
      'myregistry.azurecr.cn',
      'myregistry.<region>.data.azurecr.cn',
      '*.blob.core.chinacloudapi.cn',
    ]);
  });

  test('Azure US Government registries use azurecr.us and privatelink.azurecr.us', () => {
    const vnet = solutionFor('vnet-config', usgov, 'de');
    expect(commands(vnet)).toContain('nslookup myregistry.azurecr.us');
    expect(commands(vnet)).toContain(
      'az network private-dns zone show --resource-group <resource-group> --name privatelink.azurecr.us',
    );
    expect(vnet.steps.find((s) => s.text.includes('168.63.129.16'))!.text).toContain('azurecr.us');
    expect(endpointsToAllow(usgov)).toContain('*.blob.core.usgovcloudapi.net');
  });

  test('a hashed login server keeps its hash in hosts and records, and az commands use the plain name', () => {
    const s = solutionFor('vnet-config', hashed, 'en');
    expect(commands(s)).toContain('nslookup myregistry-dad4auhga8feekaq.westeurope.data.azurecr.io');
    expect(commands(s)).toContain('az acr network-rule add --name myregistry --subnet <subnet-id>');
    expect(s.steps.find((step) => step.text.includes('privatelink'))!.text).toContain(
      'myregistry-dad4auhga8feekaq.westeurope.data',
    );
  });
});

describe('endpointsToAllow', () => {
  test('with known data endpoints: the login server and each of them', () => {
    expect(endpointsToAllow(known)).toEqual([
      'myregistry.azurecr.io',
      'myregistry.westeurope.data.azurecr.io',
    ]);
  });

  test('without known data endpoints: the login server, the data endpoint pattern and storage', () => {
    expect(endpointsToAllow({ ...known, registry: parseRegistry('myregistry') })).toEqual([
      'myregistry.azurecr.io',
      'myregistry.<region>.data.azurecr.io',
      '*.blob.core.windows.net',
    ]);
  });

  test('regions given beside the registry add their data endpoints', () => {
    expect(
      endpointsToAllow({ registry: parseRegistry('myregistry'), regions: ['uksouth'], clientIp: null }),
    ).toEqual(['myregistry.azurecr.io', 'myregistry.uksouth.data.azurecr.io']);
  });

  test('no registry: placeholders', () => {
    expect(endpointsToAllow(unknown)).toEqual([
      '<registry-name>.azurecr.io',
      '<registry-name>.<region>.data.azurecr.io',
      '*.blob.core.windows.net',
    ]);
  });

  test('a registry object that is not an Azure registry host is treated as unknown', () => {
    const odd: AdviceInput = {
      registry: {
        name: 'evil',
        loginServer: 'evil.example.com',
        dataEndpoints: ['evil.westeurope.data.example.com'],
      },
      regions: [],
      clientIp: null,
    };
    expect(endpointsToAllow(odd)).toEqual(endpointsToAllow(unknown));
  });
});

describe('furtherDiagnosis', () => {
  test.each(supportedLocales)(
    'in %s: probe first, then check-health, check-acr and the login log',
    (locale) => {
      const f = furtherDiagnosis(geo, locale);
      expect(f.title.trim().length).toBeGreaterThan(0);
      const cmds = commands(f);
      expect(cmds[0]).toBe('/acrcheck contosoacr.azurecr.io');
      expect(cmds[1]).toBe(
        'acrcheck probe contosoacr.azurecr.io --region westeurope --region eastus --region japaneast',
      );
      expect(cmds).toContain('az acr check-health --name contosoacr --ignore-errors --yes');
      expect(cmds).toContain(
        'az acr check-health --name contosoacr --vnet <vnet-name-or-id> --ignore-errors --yes',
      );
      expect(cmds).toContain(
        'az aks check-acr --resource-group <resource-group> --name <aks-cluster> --acr contosoacr.azurecr.io',
      );
      const kql = cmds.find((c) => c.startsWith('ContainerRegistryLoginEvents'))!;
      expect(kql).toContain('| where ResultDescription != "200"');
      expect(kql).toContain('| project TimeGenerated, Identity, CallerIpAddress, ResultDescription');
      expect(kql).toContain('LoginServer =~ "contosoacr.azurecr.io"');
      for (const step of f.steps) {
        expect(step.text.trim().length).toBeGreaterThan(0);
        expect(step.text).not.toMatch(/\{\{/);
      }
      const urls = f.links.map((l) => l.url);
      expect(urls).toContain(
        `https://learn.microsoft.com/${{ en: 'en-us', de: 'de-de', 'zh-TW': 'zh-tw' }[locale]}/azure/container-registry/container-registry-troubleshoot-login`,
      );
      expect(urls.some((u) => u.endsWith('/container-registry-check-health'))).toBe(true);
      expect(urls.some((u) => u.endsWith('/container-registry-health-error-reference'))).toBe(true);
    },
  );

  test('without a registry the probe is shown with the name placeholder', () => {
    const cmds = commands(furtherDiagnosis(unknown, 'en'));
    expect(cmds[0]).toBe('/acrcheck <registry-name>');
    expect(cmds[1]).toBe('acrcheck probe <registry-name>');
  });

  test('the last step says that login problems can look like network problems', () => {
    const f = furtherDiagnosis(known, 'en');
    expect(f.steps[f.steps.length - 1]!.text).toMatch(/sign-in/i);
  });
});

describe('notNetworkAdvice', () => {
  test.each(notNetworkKinds.flatMap((k) => supportedLocales.map((l) => [k, l] as const)))(
    '%s in %s has a title, a text with the registry filled in and links',
    (kind, locale) => {
      const a = notNetworkAdvice(kind, known, locale);
      expect(a.title.trim().length).toBeGreaterThan(0);
      expect(a.text).toContain('--name myregistry');
      expect(a.text).not.toMatch(/\{\{/);
      expect(a.links.length).toBeGreaterThan(0);
      for (const link of a.links) expect(link.url).toMatch(/^https:\/\//);
    },
  );

  test('auth points at az acr login, AcrPull and the login troubleshooting guide', () => {
    const a = notNetworkAdvice('auth', known, 'en');
    expect(a.text).toContain('az acr login --name myregistry');
    expect(a.text).toContain('AcrPull');
    expect(a.links[0]!.url).toBe(
      'https://learn.microsoft.com/en-us/azure/container-registry/container-registry-troubleshoot-login',
    );
  });

  test('not-found lists the tags; rate-limit and other-registry offer az acr import', () => {
    expect(notNetworkAdvice('not-found', known, 'de').text).toContain(
      'az acr repository show-tags --name myregistry',
    );
    expect(notNetworkAdvice('rate-limit', known, 'zh-TW').text).toContain('az acr import --name myregistry');
    expect(notNetworkAdvice('other-registry', unknown, 'en').text).toContain(
      'az acr import --name <registry-name>',
    );
  });
});

describe('a fix in focus', () => {
  const untrusted = {
    id: 'tls-interception' as const,
    score: 0.95,
    evidence: 'Get "https://myregistry.azurecr.io/v2/": x509: certificate signed by unknown authority',
  };
  const mismatch = {
    id: 'tls-interception' as const,
    score: 0.65,
    evidence:
      'Get "https://myregistry.azurecr.io/v2/": x509: certificate is valid for *.azurewebsites.net, not myregistry.azurecr.io',
  };
  const noRoute = {
    id: 'no-route' as const,
    score: 0.72,
    evidence: 'dial tcp [2603:1020:203:3::1f]:443: connect: network is unreachable',
  };
  const stepIds = (input: AdviceInput): string[] =>
    solutionFor('client-firewall', input, 'en').steps.map((s) => s.text.slice(0, 24));

  test('the leading symptom and its evidence choose the focus', () => {
    expect(adviceFocus(untrusted)).toBe('tls-untrusted');
    expect(adviceFocus(mismatch)).toBe('tls-mismatch');
    expect(adviceFocus(noRoute)).toBe('no-route');
    expect(adviceFocus({ id: 'dns-lookup', score: 0.9, evidence: 'no such host' })).toBeNull();
    expect(adviceFocus(null)).toBeNull();
  });

  test.each(supportedLocales)(
    'in %s, an untrusted certificate leads with TLS inspection, not with opening ports',
    (locale) => {
      const plain = solutionFor('client-firewall', known, locale);
      const focused = solutionFor('client-firewall', { ...known, symptom: untrusted }, locale);
      expect(focused.title).not.toBe(plain.title);
      expect(focused.summary).not.toBe(plain.summary);
      expect(focused.steps[0]!.commands[0]).toMatch(/^openssl s_client -connect myregistry\.azurecr\.io:443/);
      expect(causeText('client-firewall', locale, 'tls-untrusted').summary).not.toBe(
        causeText('client-firewall', locale).summary,
      );
      expect(causeText('vnet-config', locale, 'tls-untrusted')).toEqual(causeText('vnet-config', locale));
    },
  );

  test('a certificate for other names leads with DNS and the hosts file; no route leads with the routes', () => {
    const names = solutionFor('client-firewall', { ...known, symptom: mismatch }, 'en');
    expect(names.steps[0]!.commands).toContain('nslookup myregistry.azurecr.io');
    expect(names.steps[0]!.commands).toContain('grep -i myregistry.azurecr.io /etc/hosts');
    expect(names.steps[1]!.text).toMatch(/inspects TLS/);
    const routes = solutionFor('client-firewall', { ...known, symptom: noRoute }, 'en');
    expect(routes.steps[0]!.commands).toContain(
      'curl -sS -o /dev/null -w "%{http_code}\\n" -4 https://myregistry.azurecr.io/v2/',
    );
  });

  test('steps that belong to a focus are left out without it', () => {
    const plain = commands(solutionFor('client-firewall', known, 'en'));
    expect(plain).not.toContain('nslookup myregistry.azurecr.io');
    expect(plain.some((c) => c.startsWith('getent'))).toBe(false);
    expect(stepIds(known)).toEqual(stepIds({ ...known, symptom: { ...noRoute, id: 'dns-lookup' } }));
  });
});

describe('registries outside the public cloud', () => {
  test.each([
    [china, 'AzureChinaCloud'],
    [usgov, 'AzureUSGovernment'],
  ])('the Azure CLI is pointed at the cloud just before the first az command (%#)', (input, cloud) => {
    for (const steps of [
      ...causeIds.map((c) => solutionFor(c, input, 'en').steps),
      furtherDiagnosis(input, 'de').steps,
    ]) {
      const all = steps.flatMap((s) => s.commands);
      const set = all.indexOf(`az cloud set --name ${cloud}`);
      expect(set).toBeGreaterThan(-1);
      expect(set).toBe(all.findIndex((c) => c.startsWith('az ')));
    }
    for (const kind of notNetworkKinds)
      expect(notNetworkAdvice(kind, input, 'zh-TW').text).toContain(`az cloud set --name ${cloud}`);
  });

  test('the public cloud needs no such step', () => {
    expect(commands(solutionFor('vnet-config', known, 'en'))).not.toContain('az cloud set --name AzureCloud');
    expect(notNetworkAdvice('auth', known, 'en').text).not.toContain('az cloud set');
  });

  test('Azure China links go to docs.azure.cn where it has the page, learn.microsoft.com otherwise', () => {
    const en = solutionFor('client-firewall', china, 'en').links.map((l) => l.url);
    expect(en[0]).toBe(
      'https://docs.azure.cn/en-us/container-registry/container-registry-troubleshoot-access#configure-client-firewall-access',
    );
    expect(en).toContain(
      'https://docs.azure.cn/en-us/container-registry/container-registry-firewall-access-rules',
    );
    expect(en).toContain(
      'https://learn.microsoft.com/en-us/azure/container-registry/container-registry-dedicated-data-endpoints',
    );
    expect(solutionFor('vnet-config', china, 'zh-TW').links.map((l) => l.url)).toContain(
      'https://docs.azure.cn/zh-cn/container-registry/container-registry-private-link',
    );
    expect(solutionFor('vnet-config', usgov, 'de').links[0]!.url).toMatch(
      /^https:\/\/learn\.microsoft\.com\/de-de\//,
    );
  });
});

describe('what the paste named', () => {
  test('a regional endpoint is listed as it stands, only when it is the registry’s', () => {
    const input: AdviceInput = {
      registry: parseRegistry('globalacr'),
      regions: [],
      clientIp: null,
      regionalEndpoints: [
        'globalacr.westus2.geo.azurecr.io',
        'other1.eastus.geo.azurecr.io',
        'globalacr.azurecr.io',
      ],
    };
    expect(endpointsToAllow(input)).toEqual([
      'globalacr.azurecr.io',
      'globalacr.westus2.geo.azurecr.io',
      'globalacr.<region>.data.azurecr.io',
      '*.blob.core.windows.net',
    ]);
  });

  test('lists inside sentences use the language’s separator', () => {
    expect(solutionFor('client-firewall', geo, 'zh-TW').summary).toContain(
      'contosoacr.azurecr.io、contosoacr.westeurope.data.azurecr.io',
    );
    expect(solutionFor('client-firewall', geo, 'de').summary).toContain(
      'contosoacr.azurecr.io, contosoacr.westeurope.data.azurecr.io',
    );
    expect(commands(solutionFor('client-firewall', geo, 'zh-TW')).join('\n')).not.toContain('、');
  });

  test('the image fills az acr import, Docker Hub images as Docker Hub names them', () => {
    const hub = notNetworkAdvice('rate-limit', { ...unknown, image: 'redis:7.2' }, 'en').text;
    expect(hub).toContain(
      'az acr import --name <registry-name> --source docker.io/library/redis:7.2 --image redis:7.2',
    );
    expect(hub).not.toContain('service tier');
    const org = notNetworkAdvice(
      'other-registry',
      { ...known, image: 'registry-1.docker.io/bitnami/redis:7' },
      'en',
    );
    expect(org.text).toContain('--source docker.io/bitnami/redis:7 --image bitnami/redis:7');
    const mcr = notNetworkAdvice(
      'other-registry',
      { ...known, image: 'mcr.microsoft.com/dotnet/aspnet:8.0' },
      'de',
    );
    expect(mcr.text).toContain(
      'az acr import --name myregistry --source mcr.microsoft.com/dotnet/aspnet:8.0 --image dotnet/aspnet:8.0',
    );
  });

  test('a rate limit from the registry itself says nothing of Docker Hub', () => {
    const a = notNetworkAdvice('rate-limit', { ...known, image: 'myregistry.azurecr.io/load/gen:1.0' }, 'en');
    expect(a.text).not.toMatch(/Docker Hub|az acr import/);
    expect(a.links.map((l) => l.url).join(' ')).not.toMatch(/docker\.com|import-images/);
  });

  test('the repository of a missing image on this registry is filled in, one elsewhere is not', () => {
    const own = notNetworkAdvice(
      'not-found',
      { ...known, image: 'myregistry.azurecr.io/qa/runner:v9' },
      'en',
    );
    expect(own.text).toContain('--repository qa/runner --output table');
    const other = notNetworkAdvice('not-found', { ...known, image: 'quay.io/qa/runner:v9' }, 'en');
    expect(other.text).toContain('--repository <repository> --output table');
  });

  test('an image reference that is not one is never copied into a command', () => {
    const a = notNetworkAdvice('other-registry', { ...known, image: 'evil.io/x:1; rm -rf /' }, 'en');
    expect(a.text).not.toContain('rm -rf');
    expect(a.text).toContain('--source <registry>/<repository>:<tag>');
  });
});

describe('symptomText and causeText', () => {
  test.each(symptomIds)('symptom %s reads differently in each language', (id) => {
    const texts = supportedLocales.map((l) => symptomText(id, l));
    for (const t of texts) {
      expect(t.title.trim().length).toBeGreaterThan(0);
      expect(t.description.length).toBeGreaterThan(t.title.length);
    }
    expect(new Set(texts.map((t) => t.title)).size).toBe(supportedLocales.length);
  });

  test.each(causeIds)('cause %s reads differently in each language', (id) => {
    const texts = supportedLocales.map((l) => causeText(id, l));
    for (const t of texts) expect(t.summary.trim().length).toBeGreaterThan(0);
    expect(new Set(texts.map((t) => t.summary)).size).toBe(supportedLocales.length);
  });
});

describe('unrecognizedAdvice', () => {
  test.each(supportedLocales)('in %s: what acrcheck recognizes and a paste to try', (locale) => {
    const u = unrecognizedAdvice(locale);
    expect(u.recognizes.split('\n').filter((l) => l.startsWith('- ')).length).toBeGreaterThanOrEqual(5);
    expect(u.example).toContain('no such host');
    expect(u.text).toContain('/acrcheck');
  });
});

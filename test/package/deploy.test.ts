import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';

import { parse as parseYaml } from 'yaml';

import { packageVariables } from '../../scripts/package';
import { loadConfig } from '../../src/config';
import { containerImage, pruneNodeModules, stageWebapp } from '../../scripts/stage-webapp';
import { dockerStages, effective, last, pruneCommand, type Stage } from './dockerfile';

const root = join(__dirname, '..', '..');
const read = (file: string): string => readFileSync(join(root, file), 'utf8');

// Docker and the Bicep compiler cannot run here: these tests check what can be checked without them.

/** Every file under `dir`, relative to it, with `/` separators. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'));
}

describe('Dockerfile', () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'acrcheck-dockerfile-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const stages = dockerStages(read('Dockerfile'));
  const bot = stages[stages.length - 1] as Stage;
  const runner = stages.find((s) => s.name === 'runner') as Stage;
  const build = stages.find((s) => s.name === 'build') as Stage;

  it('builds in one stage with the dev dependencies and runs in others', () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    const runs = build.instructions.filter((i) => i.op === 'RUN').map((i) => i.args);
    expect(runs.some((r) => /\bnpm ci\b/.test(r) && !/--omit=dev/.test(r))).toBe(true);
    expect(runs.some((r) => /\bnpm run build\b/.test(r))).toBe(true);
  });

  it.each([
    ['the bot (the default target, last)', () => bot, 'dist/server.js', '3978'],
    ['the runner service (target runner)', () => runner, 'dist/runner-server.js', '3979'],
  ])(
    '%s: production dependencies only, cards and locales, non-root, health-checked',
    (_what, stage, entry, port) => {
      const all = effective(stages, stage());
      expect(JSON.parse(last(all, 'CMD') ?? 'null')).toEqual(['node', entry]);
      expect(last(all, 'EXPOSE')).toBe(port);
      expect(last(all, 'ENV')).toBe(`PORT=${port}`);

      const user = last(all, 'USER');
      expect(user).toBeDefined();
      expect(['root', '0', '0:0']).not.toContain(user);

      const health = last(all, 'HEALTHCHECK') ?? '';
      expect(health).toMatch(/\/healthz/);
      expect(health).toContain(`process.env.PORT || ${port}`);

      const runs = all.filter((i) => i.op === 'RUN').map((i) => i.args);
      expect(runs.some((r) => /\bnpm ci\b.*--omit=dev/.test(r))).toBe(true);
      expect(runs.filter((r) => /\bnpm (ci|install)\b/.test(r) && !/--omit=dev/.test(r))).toEqual([]);
      const copies = all.filter((i) => i.op === 'COPY').map((i) => i.args);
      expect(copies).toEqual(
        expect.arrayContaining(['--from=build /app/dist ./dist', 'cards ./cards', 'locales ./locales']),
      );
      expect(copies.filter((c) => /node_modules/.test(c))).toEqual([]);
    },
  );

  it('prunes the production dependencies exactly as the App Service upload is pruned', () => {
    const command = pruneCommand(stages);
    expect(command).not.toBeNull();
    const install = effective(stages, bot)
      .filter((i) => i.op === 'RUN')
      .map((i) => i.args)
      .find((r) => r.includes(command ?? '-'));
    expect(install).toMatch(/\bnpm ci\b.*--omit=dev.*&& find node_modules/);

    // The same tree twice: once pruned by the Dockerfile's find, once by scripts/stage-webapp.ts.
    const kept = [
      'a/index.js',
      'a/index.cjs',
      'a/index.mjs',
      'a/data.json',
      'a/LICENSE.md',
      'a/license.md',
      'a/Licence.md',
      'a/NOTICE.md',
      'a/LICENSE',
      'a/ts',
      'a/typescript.js',
      'a/lib/x.tsx',
      'a/node_modules/b/b.js',
    ];
    const removed = [
      'a/index.js.map',
      'a/index.d.ts',
      'a/index.d.mts',
      'a/index.d.cts',
      'a/src/index.ts',
      'a/src/x.mts',
      'a/src/x.cts',
      'a/README.md',
      'a/CHANGELOG.MD',
      'a/docs/api.md',
      'a/node_modules/b/b.js.map',
      'a/node_modules/b/b.d.ts',
    ];
    const trees = ['find', 'script'].map((name) => {
      const dir = join(work, name);
      for (const file of [...kept, ...removed]) {
        mkdirSync(dirname(join(dir, 'node_modules', file)), { recursive: true });
        writeFileSync(join(dir, 'node_modules', file), file);
      }
      return dir;
    });
    execFileSync('sh', ['-c', command ?? 'false'], { cwd: trees[0] });
    const pruned = pruneNodeModules(join(trees[1] ?? '', 'node_modules'));
    expect(pruned.files).toBe(removed.length);
    for (const dir of trees) expect(filesUnder(join(dir, 'node_modules')).sort()).toEqual([...kept].sort());
  });

  it('starts entry points that npm run build produces', () => {
    const build = JSON.parse(read('tsconfig.build.json')) as {
      compilerOptions: { rootDir: string; outDir: string };
    };
    for (const stage of [bot, runner]) {
      const [, entry = ''] = JSON.parse(last(effective(stages, stage), 'CMD') ?? '[]') as string[];
      const source = entry
        .replace(new RegExp(`^${build.compilerOptions.outDir}/`), `${build.compilerOptions.rootDir}/`)
        .replace(/\.js$/, '.ts');
      expect({ entry, source, exists: existsSync(join(root, source)) }).toEqual({
        entry,
        source,
        exists: true,
      });
    }
  });

  it('sends only the sources to the build (.dockerignore)', () => {
    const patterns = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    const ignored = (path: string): boolean =>
      patterns.some((p) => {
        const body = p
          .split('**/')
          .map((part) => part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*'))
          .join('(?:.*/)?');
        const regex = new RegExp(`^${body}(?:/.*)?$`);
        return regex.test(path);
      });
    for (const path of [
      'node_modules',
      'src/node_modules',
      'a/b/node_modules',
      'test',
      'dist',
      'coverage',
      '.env',
      '.localConfigs',
      'env/.env.dev.user',
    ]) {
      expect({ path, ignored: ignored(path) }).toEqual({ path, ignored: true });
    }
    const copied = read('Dockerfile')
      .split('\n')
      .filter((l) => /^COPY (?!--from)/.test(l))
      .flatMap((l) =>
        l
          .replace(/^COPY\s+(--\S+\s+)*/, '')
          .split(/\s+/)
          .slice(0, -1),
      );
    expect(copied.length).toBeGreaterThan(4);
    for (const path of copied) expect({ path, ignored: ignored(path) }).toEqual({ path, ignored: false });
  });
});

interface BicepParam {
  name: string;
  hasDefault: boolean;
  secure: boolean;
}

function bicepParams(text: string): BicepParam[] {
  const params: BicepParam[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    const match = /^param\s+(\w+)\s+\w+(\s*=)?/.exec(line);
    if (!match?.[1]) return;
    let secure = false;
    for (let j = i - 1; j >= 0 && (lines[j] ?? '').startsWith('@'); j--)
      if (/^@secure\(\)/.test(lines[j] ?? '')) secure = true;
    params.push({ name: match[1], hasDefault: Boolean(match[2]), secure });
  });
  return params;
}

/**
 * The `key: value` lines of the object that follows `opener` (to its closing brace at the same indent), looking
 * from the first line that matches `after`, if given.
 */
function bicepBlock(text: string, opener: RegExp, after?: RegExp): Map<string, string> {
  const lines = text.split('\n');
  const from = after ? lines.findIndex((l) => after.test(l)) : 0;
  expect(from).toBeGreaterThanOrEqual(0);
  const start = lines.findIndex((l, i) => i >= from && opener.test(l));
  expect(start).toBeGreaterThanOrEqual(0);
  const indent = /^\s*/.exec(lines[start] ?? '')?.[0].length ?? 0;
  const entries = new Map<string, string>();
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (/^\s*[})]/.test(line) && (/^\s*/.exec(line)?.[0].length ?? 0) <= indent) break;
    const match = /^\s*'?([\w$]+)'?:\s*(.*)$/.exec(line);
    if (match?.[1]) entries.set(match[1], (match[2] ?? '').trim());
  }
  return entries;
}

describe('infra (Bicep) and the Agents Toolkit project', () => {
  const main = read('infra/azure.bicep');
  const botBicep = read('infra/botRegistration/azurebot.bicep');
  const mainParams = bicepParams(main);
  const botParams = bicepParams(botBicep);

  it('passes only parameters the template declares, and every one it requires', () => {
    const given = Object.keys(
      (JSON.parse(read('infra/azure.parameters.json')) as { parameters: Record<string, unknown> }).parameters,
    );
    for (const name of given)
      expect({ name, declared: mainParams.some((p) => p.name === name) }).toEqual({ name, declared: true });
    for (const p of mainParams.filter((q) => !q.hasDefault)) expect(given).toContain(p.name);

    const passed = [...bicepBlock(main, /^module azureBotRegistration/).entries()];
    const moduleParams = bicepBlock(main, /^\s+params: \{/, /^module azureBotRegistration/);
    expect(passed.length).toBeGreaterThan(0);
    for (const name of moduleParams.keys()) {
      expect({ name, declared: botParams.some((p) => p.name === name) }).toEqual({ name, declared: true });
    }
    for (const p of botParams.filter((q) => !q.hasDefault))
      expect([...moduleParams.keys()]).toContain(p.name);
  });

  it('registers the bot as its user-assigned managed identity, with the Teams channel', () => {
    expect(main).toMatch(/resource identity 'Microsoft\.ManagedIdentity\/userAssignedIdentities@2023-01-31'/);
    const bot = bicepBlock(botBicep, /^\s+properties: \{/);
    expect(bot.get('msaAppType')).toBe("'UserAssignedMSI'");
    expect(bot.get('msaAppId')).toBe('identityClientId');
    expect(bot.get('msaAppMSIResourceId')).toBe('identityResourceId');
    expect(bot.get('msaAppTenantId')).toBe('identityTenantId');
    expect(bot.get('endpoint')).toBe("'https://${botAppDomain}/api/messages'");
    expect(botBicep).toMatch(/kind: 'azurebot'/);
    expect(botBicep).toMatch(
      /name: 'MsTeamsChannel'[\s\S]*channelName: 'MsTeamsChannel'[\s\S]*isEnabled: true/,
    );
    const wiring = bicepBlock(main, /^\s+params: \{/, /^module azureBotRegistration/);
    expect(wiring.get('identityClientId')).toBe('identity.properties.clientId');
    expect(wiring.get('identityResourceId')).toBe('identity.id');
    expect(wiring.get('identityTenantId')).toBe('identity.properties.tenantId');
    expect(main).toMatch(/type: 'UserAssigned'\s+userAssignedIdentities: \{\s+'\$\{identity\.id\}': \{\}/);
  });

  it('gives the web app the settings the bot reads, with UserAssignedMSI and no secret written down', () => {
    const settings = bicepBlock(main, /^\s+properties: union\(/);
    expect(settings.get('MicrosoftAppType')).toBe("'UserAssignedMSI'");
    expect(settings.get('MicrosoftAppId')).toBe('identity.properties.clientId');
    expect(settings.get('MicrosoftAppTenantId')).toBe('identity.properties.tenantId');
    expect(settings.get('ACRCHECK_PUBLIC_URL')).toBe("'https://${webApp.properties.defaultHostName}'");
    expect(settings.has('MicrosoftAppPassword')).toBe(false);
    const config = read('src/config.ts');
    for (const name of [...settings.keys()].filter((n) => /^(Microsoft|ACRCHECK_)/.test(n))) {
      expect({ name, readByConfig: config.includes(`'${name}'`) }).toEqual({ name, readByConfig: true });
    }
    for (const [setting, param] of [
      ['ACRCHECK_RUNNER_SECRET', 'runnerSecret'],
      ['ACRCHECK_GITHUB_TOKEN', 'githubToken'],
    ]) {
      expect(settings.get(setting as string)).toBe(`unlessUnset(${param})`);
      expect(mainParams.find((p) => p.name === param)).toEqual({
        name: param,
        hasDefault: true,
        secure: true,
      });
    }
    expect(main).toMatch(/healthCheckPath: '\/healthz'/);
    expect(main).toMatch(/httpsOnly: true/);
    for (const file of [
      'infra/azure.bicep',
      'infra/botRegistration/azurebot.bicep',
      'infra/azure.parameters.json',
      'm365agents.yml',
    ]) {
      expect({
        file,
        secret: /MicrosoftAppPassword|clientSecret|generateClientSecret/.test(read(file)),
      }).toEqual({
        file,
        secret: false,
      });
    }
  });

  interface Action {
    uses: string;
    with?: Record<string, unknown>;
    env?: Record<string, string>;
    writeToEnvironmentFile?: Record<string, string>;
  }
  type Project = Record<'provision' | 'deploy' | 'publish', Action[] | undefined>;
  const builtIn = ['TEAMSFX_ENV', 'APP_NAME_SUFFIX', 'AZURE_SUBSCRIPTION_ID', 'AZURE_RESOURCE_GROUP_NAME'];
  const outputs = [...main.matchAll(/^output (\w+) /gm)].map((m) => m[1] ?? '');

  it.each([
    ['m365agents.yml', 'env/.env.dev'],
    ['m365agents.local.yml', 'env/.env.local'],
  ])('%s only uses variables that %s defines or an earlier action writes', (yml, envFile) => {
    const project = parseYaml(read(yml)) as Project;
    const defined = new Set([
      ...builtIn,
      ...read(envFile)
        .split('\n')
        .map((l) => /^([A-Za-z_]\w*)=/.exec(l)?.[1])
        .filter((n): n is string => Boolean(n)),
      // Secrets live in the git-ignored env/.env.<environment>.user; the committed file names them in comments.
      ...read(envFile)
        .split('\n')
        .map((l) => /^#\s+(SECRET_\w+)=/.exec(l)?.[1])
        .filter((n): n is string => Boolean(n)),
    ]);
    for (const stage of ['provision', 'deploy', 'publish'] as const) {
      for (const action of project[stage] ?? []) {
        const used = [
          ...JSON.stringify([action.with ?? {}, action.env ?? {}]).matchAll(/\$\{\{\s*(\w+)\s*\}\}/g),
        ].map((m) => m[1] ?? '');
        if (action.uses === 'arm/deploy') {
          used.push(
            ...[...read('infra/azure.parameters.json').matchAll(/\$\{\{\s*(\w+)\s*\}\}/g)].map(
              (m) => m[1] ?? '',
            ),
          );
        }
        for (const name of used)
          expect({ yml, action: action.uses, name, defined: defined.has(name) }).toEqual({
            yml,
            action: action.uses,
            name,
            defined: true,
          });
        for (const name of Object.values(action.writeToEnvironmentFile ?? {})) defined.add(name);
        if (action.uses === 'arm/deploy') for (const name of outputs) defined.add(name.toUpperCase());
      }
    }
  });

  it.each(['m365agents.yml', 'm365agents.local.yml'])(
    '%s builds the app package with npm run package from every variable it reads',
    (yml) => {
      const project = parseYaml(read(yml)) as Project;
      const provision = project.provision ?? [];
      const envs = provision.find((a) => a.uses === 'file/createOrUpdateEnvironmentFile')?.with
        ?.envs as Record<string, string>;
      expect(Object.keys(envs).sort()).toEqual(packageVariables.map((v) => v.name).sort());
      const packaging = provision.find((a) => /run package/.test(String(a.with?.args ?? '')));
      const zip = /--out (\S+)/.exec(String(packaging?.with?.args))?.[1];
      for (const action of provision.filter(
        (a) => a.uses.startsWith('teamsApp/') && a.uses !== 'teamsApp/create',
      )) {
        expect(String(action.with?.appPackagePath).replace(/^\.\//, '')).toBe(zip);
      }
      expect(provision.findIndex((a) => a === packaging)).toBeLessThan(
        provision.findIndex((a) => a.uses === 'teamsApp/update'),
      );
    },
  );

  it('deploys the built, pruned web app to the App Service the Bicep outputs', () => {
    const project = parseYaml(read('m365agents.yml')) as Project;
    const deploy = project.deploy ?? [];
    const zipDeploy = deploy.find((a) => a.uses === 'azureAppService/zipDeploy');
    expect(zipDeploy?.with).toEqual({
      artifactFolder: './artifacts/webapp',
      resourceId: '${{AZURE_APP_SERVICE_RESOURCE_ID}}',
    });
    expect(outputs).toEqual(
      expect.arrayContaining(['AZURE_APP_SERVICE_RESOURCE_ID', 'BOT_ID', 'BOT_DOMAIN']),
    );
    const arm = (project.provision ?? []).find((a) => a.uses === 'arm/deploy');
    const template = (arm?.with?.templates as { path: string; parameters: string }[])[0];
    expect(existsSync(join(root, template?.path ?? ''))).toBe(true);
    expect(existsSync(join(root, template?.parameters ?? ''))).toBe(true);
    expect(deploy.map((a) => String(a.with?.run ?? a.with?.args ?? a.uses))).toEqual([
      'ci --no-audit --no-fund',
      'run build',
      'npx tsc -p tsconfig.scripts.json',
      'node dist/tools/scripts/stage-webapp.js',
      'azureAppService/zipDeploy',
    ]);
  });

  it('keeps secrets out of the committed environment files', () => {
    for (const file of ['env/.env.dev', 'env/.env.local']) {
      const assignments = read(file)
        .split('\n')
        .filter((l) => /^\w+=/.test(l));
      expect(assignments.filter((l) => l.startsWith('SECRET_'))).toEqual([]);
      expect(assignments.filter((l) => !/^(TEAMSFX_ENV|APP_NAME_SUFFIX)=/.test(l) && !/=$/.test(l))).toEqual(
        [],
      );
    }
    const ignored = read('.gitignore').split('\n');
    expect(ignored).toEqual(
      expect.arrayContaining(['env/.env.*.user', '.localConfigs', 'appPackage/build/', 'artifacts/']),
    );
  });
  it('feeds the secrets from env/.env.dev.user and the settings from env/.env.dev, never from the committed parameters', () => {
    const given = (
      JSON.parse(read('infra/azure.parameters.json')) as { parameters: Record<string, { value: unknown }> }
    ).parameters;
    const value = (name: string): unknown => given[name]?.value;
    expect(value('runnerSecret')).toBe('${{SECRET_ACRCHECK_RUNNER_SECRET}}');
    expect(value('githubToken')).toBe('${{SECRET_ACRCHECK_GITHUB_TOKEN}}');
    for (const [param, variable] of [
      ['runners', 'ACRCHECK_RUNNERS'],
      ['githubRepo', 'ACRCHECK_GITHUB_REPO'],
      ['githubWorkflow', 'ACRCHECK_GITHUB_WORKFLOW'],
      ['dnsServers', 'ACRCHECK_DNS_SERVERS'],
      ['containerImage', 'CONTAINER_IMAGE'],
    ] as const) {
      expect({ param, value: value(param) }).toEqual({ param, value: `\${{${variable}}}` });
      expect(read('env/.env.dev')).toMatch(new RegExp(`^${variable}=$`, 'm'));
    }
    const devEnv = read('env/.env.dev');
    for (const secret of ['SECRET_ACRCHECK_RUNNER_SECRET', 'SECRET_ACRCHECK_GITHUB_TOKEN'])
      expect(devEnv).toMatch(new RegExp(`^#\\s+${secret}=`, 'm'));
    // The template's expressions: no declarations, decorators or comments.
    const code = main.split('\n').filter((l) => !/^\s*(param |@|\/\/)/.test(l));
    // Only placeholders: a value typed into the committed file would be deployed (and, for a secret, published).
    for (const [name, entry] of Object.entries(given)) {
      if (typeof entry.value !== 'string' || !entry.value.includes('${{')) continue;
      if (name === 'botDisplayName') continue;
      expect({ name, placeholder: /^\$\{\{\w+\}\}$/.test(entry.value) }).toEqual({ name, placeholder: true });
      // The toolkit leaves ${{NAME}} as it is when NAME is empty: the template must read that as "not set".
      const uses = code
        .flatMap((line) => [...line.matchAll(new RegExp(`(\\w*\\()?\\b${name}\\b`, 'g'))])
        .map((m) => m[0]);
      expect({ name, uses: [...new Set(uses)] }).toEqual({ name, uses: [`unlessUnset(${name}`] });
    }
    expect(main).toMatch(
      /^func unlessUnset\(value string\) string => startsWith\(value, '\\\$\{\{'\) \? '' : value$/m,
    );
  });

  it('runs the local bot as a single-tenant Microsoft Entra app, which Azure Bot Service still registers', () => {
    for (const yml of ['m365agents.yml', 'm365agents.local.yml'])
      expect({ yml, multiTenant: /AzureADMultipleOrgs|MultiTenant/.test(read(yml)) }).toEqual({
        yml,
        multiTenant: false,
      });
    const project = parseYaml(read('m365agents.local.yml')) as Project;
    const aad = (project.provision ?? []).find((a) => a.uses === 'aadApp/create');
    expect(aad?.with?.signInAudience).toBe('AzureADMyOrg');
    expect(aad?.writeToEnvironmentFile).toMatchObject({
      clientId: 'BOT_ID',
      clientSecret: 'SECRET_BOT_PASSWORD',
      tenantId: 'BOT_TENANT_ID',
    });
    const localConfigs = (project.deploy ?? []).find(
      (a) => a.uses === 'file/createOrUpdateEnvironmentFile' && a.with?.target === './.localConfigs',
    )?.with?.envs as Record<string, string>;
    expect(localConfigs).toMatchObject({
      MicrosoftAppType: 'SingleTenant',
      MicrosoftAppId: '${{BOT_ID}}',
      MicrosoftAppPassword: '${{SECRET_BOT_PASSWORD}}',
      MicrosoftAppTenantId: '${{BOT_TENANT_ID}}',
    });
    // What the bot reads from .localConfigs once provisioning has filled it in starts the bot.
    const filled = Object.fromEntries(
      Object.entries(localConfigs).map(([k, v]) => [
        k,
        v
          .replace('${{BOT_ID}}', '0f6c4b4e-0000-4000-8000-00000000b07d')
          .replace('${{SECRET_BOT_PASSWORD}}', 'a-client-secret-of-the-entra-app')
          .replace('${{BOT_TENANT_ID}}', '72f988bf-0000-4000-8000-000000000001')
          .replace('${{BOT_ENDPOINT}}', 'https://acrcheck-3978.euw.devtunnels.ms'),
      ]),
    );
    expect(loadConfig(filled)).toMatchObject({
      app: { type: 'SingleTenant', tenantId: '72f988bf-0000-4000-8000-000000000001' },
      publicUrl: 'https://acrcheck-3978.euw.devtunnels.ms',
    });
    // Without the tenant, a single-tenant bot cannot get a token: the bot refuses to start, naming it.
    expect(() => loadConfig({ ...filled, MicrosoftAppTenantId: '' })).toThrow(/MicrosoftAppTenantId/);
  });

  it('turns off FTP and SCM basic-auth publishing, on the current Microsoft.Web API', () => {
    for (const name of ['ftp', 'scm']) {
      const policy = new RegExp(
        `resource \\w+ 'Microsoft\\.Web/sites/basicPublishingCredentialsPolicies@[\\d-]+' = \\{\\s+parent: webApp\\s+name: '${name}'\\s+properties: \\{\\s+allow: false\\s+\\}`,
      );
      expect({ name, disabled: policy.test(main) }).toEqual({ name, disabled: true });
    }
    const versions = [...main.matchAll(/'Microsoft\.Web\/[\w/]+@([\d-]+)'/g)].map((m) => m[1]);
    expect(versions.length).toBeGreaterThanOrEqual(5);
    expect(new Set(versions)).toEqual(new Set(['2024-11-01']));
  });

  it('pulls a container image with the managed identity, which gets AcrPull on that registry', () => {
    const site = bicepBlock(main, /^\s+siteConfig: union\(/);
    expect(site.get('acrUseManagedIdentityCreds')).toBe('true');
    expect(site.get('acrUserManagedIdentityID')).toBe('identity.properties.clientId');
    expect(site.get('linuxFxVersion')).toBe("useContainer ? 'DOCKER|${image}' : 'NODE|22-lts'");
    expect(main).toMatch(/^module acrPull '\.\/acrPull\.bicep' = if \(useContainer\) \{$/m);
    const module = bicepBlock(main, /^module acrPull /);
    expect(module.get('scope')).toBe('resourceGroup(registryResourceGroup)');
    expect(module.get('registryName')).toBe('registryName');
    expect(module.get('principalId')).toBe('identity.properties.principalId');
    expect(bicepBlock(main, /^resource webApp /).get('dependsOn')).toBe('[');
    expect(main).toMatch(/dependsOn: \[\s+acrPull\s+\]/);

    const acr = read('infra/acrPull.bicep');
    const acrParams = bicepParams(acr).map((p) => p.name);
    expect(acrParams.sort()).toEqual(['principalId', 'registryName']);
    expect(acr).toMatch(
      /resource registry 'Microsoft\.ContainerRegistry\/registries@[\d-]+' existing = \{\s+name: registryName\s+\}/,
    );
    expect(acr).toMatch(/var acrPullRoleId = '7f951dda-4ed3-4680-a7ca-43fe172d538d'/);
    const assignment = bicepBlock(acr, /^resource acrPull 'Microsoft\.Authorization\/roleAssignments@/);
    expect(assignment.get('scope')).toBe('registry');
    expect(assignment.get('name')).toBe('guid(registry.id, principalId, acrPullRoleId)');
    expect(assignment.get('roleDefinitionId')).toBe(
      "subscriptionResourceId('Microsoft.Authorization/roleDefinitions', acrPullRoleId)",
    );
    expect(assignment.get('principalId')).toBe('principalId');
    expect(assignment.get('principalType')).toBe("'ServicePrincipal'");
  });

  it('refuses to zip-deploy to a web app that runs a container image, and stages nothing', () => {
    const project = parseYaml(read('m365agents.yml')) as Project;
    const stage = (project.deploy ?? []).find((a) => /stage-webapp/.test(String(a.with?.run)));
    expect(stage?.env).toEqual({ CONTAINER_IMAGE: '${{CONTAINER_IMAGE}}' });

    expect(containerImage({})).toBeNull();
    expect(containerImage({ CONTAINER_IMAGE: '' })).toBeNull();
    expect(containerImage({ CONTAINER_IMAGE: '${{CONTAINER_IMAGE}}' })).toBeNull();
    const image = 'myregistry.azurecr.io/acrcheck:0.1.0';
    expect(containerImage({ CONTAINER_IMAGE: ` ${image} ` })).toBe(image);

    const work = mkdtempSync(join(tmpdir(), 'acrcheck-stage-'));
    try {
      const out = join(work, 'webapp');
      let error: unknown;
      try {
        stageWebapp({ root, out, env: { CONTAINER_IMAGE: image } });
      } catch (err) {
        error = err;
      }
      expect(error).toMatchObject({ code: 'ACRCHECK_BAD_USAGE' });
      expect((error as Error).message).toContain(`runs the container image ${image}`);
      expect((error as Error).message).toMatch(/docker push/);
      expect(existsSync(out)).toBe(false);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});

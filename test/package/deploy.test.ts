import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parse as parseYaml } from 'yaml';

import { packageVariables } from '../../scripts/package';

const root = join(__dirname, '..', '..');
const read = (file: string): string => readFileSync(join(root, file), 'utf8');

// Docker and the Bicep compiler cannot run here: these tests check what can be checked without them.

interface Instruction {
  op: string;
  args: string;
}
interface Stage {
  name: string | null;
  base: string;
  instructions: Instruction[];
}

/** Splits a Dockerfile into stages of instructions, continuation lines joined, comments dropped. */
function dockerStages(text: string): Stage[] {
  const logical: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!pending && (line === '' || line.startsWith('#'))) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    logical.push(pending + line);
    pending = '';
  }
  const stages: Stage[] = [];
  for (const line of logical) {
    const [op = '', ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    if (op.toUpperCase() === 'FROM') {
      const match = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      stages.push({ name: match?.[2] ?? null, base: match?.[1] ?? '', instructions: [] });
    } else if (stages.length) {
      stages[stages.length - 1]?.instructions.push({ op: op.toUpperCase(), args });
    }
  }
  return stages;
}

/** A stage's instructions together with those of the stages it is built FROM, oldest first. */
function effective(stages: Stage[], stage: Stage): Instruction[] {
  const parent = stages.find((s) => s.name === stage.base);
  return [...(parent ? effective(stages, parent) : []), ...stage.instructions];
}

const last = (instructions: Instruction[], op: string): string | undefined =>
  instructions.filter((i) => i.op === op).pop()?.args;

describe('Dockerfile', () => {
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

/** The `key: value` lines of the object that follows `opener` (to its closing brace at the same indent). */
function bicepBlock(text: string, opener: RegExp): Map<string, string> {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => opener.test(l));
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
    const moduleParams = bicepBlock(main, /^\s+params: \{/);
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
    const wiring = bicepBlock(main, /^\s+params: \{/);
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
      expect(settings.get(setting as string)).toBe(param);
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
    ]);
    for (const stage of ['provision', 'deploy', 'publish'] as const) {
      for (const action of project[stage] ?? []) {
        const used = [...JSON.stringify(action.with ?? {}).matchAll(/\$\{\{\s*(\w+)\s*\}\}/g)].map(
          (m) => m[1] ?? '',
        );
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
});

import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import JSZip from 'jszip';
import { PNG } from 'pngjs';

import { AcrcheckError } from '../../src/errors';
import {
  appPackageDir,
  buildAppPackage,
  manifestCommands,
  packageEnv,
  packageValues,
  packageVariables,
} from '../../scripts/package';

const root = join(__dirname, '..', '..');
const schemas = join(root, 'node_modules/@microsoft/app-manifest/build/json-schemas/teams');
const pkgVersion = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string })
  .version;

function validator(schemaPath: string): (doc: unknown) => string[] {
  // Microsoft's localization schema has patterns that only compile without the u flag.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')) as object);
  return (doc) => (validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));
}

interface Unpacked {
  names: string[];
  text: Map<string, string>;
  png: Map<string, PNG>;
  bytes: Buffer;
}

async function unpack(path: string): Promise<Unpacked> {
  const bytes = readFileSync(path);
  const zip = await JSZip.loadAsync(bytes);
  const names = Object.keys(zip.files);
  const text = new Map<string, string>();
  const png = new Map<string, PNG>();
  for (const name of names) {
    const entry = zip.file(name);
    if (!entry) continue;
    if (name.endsWith('.png')) png.set(name, PNG.sync.read(await entry.async('nodebuffer')));
    else text.set(name, await entry.async('string'));
  }
  return { names, text, png, bytes };
}

interface Manifest {
  $schema: string;
  manifestVersion: string;
  version: string;
  id: string;
  developer: { name: string; websiteUrl: string; privacyUrl: string; termsOfUseUrl: string };
  name: { short: string; full: string };
  description: { short: string; full: string };
  icons: { color: string; outline: string };
  supportsChannelFeatures?: string;
  localizationInfo: {
    defaultLanguageTag: string;
    additionalLanguages: { languageTag: string; file: string }[];
  };
  bots: {
    botId: string;
    scopes: string[];
    supportsTargetedMessages?: boolean;
    commandLists: {
      scopes: string[];
      triggers?: string[];
      commands: { title: string; description: string }[];
    }[];
  }[];
  composeExtensions: {
    botId: string;
    commands: {
      id: string;
      type: string;
      context: string[];
      title: string;
      description: string;
      fetchTask?: boolean;
    }[];
  }[];
}

describe('the Teams app package (npm run package)', () => {
  let work: string;
  const appId = randomUUID();
  const teamsAppId = randomUUID();
  const env = {
    MicrosoftAppId: appId,
    TEAMS_APP_ID: teamsAppId,
    ACRCHECK_WEBSITE_URL: 'https://contoso.example/acrcheck',
    ACRCHECK_PRIVACY_URL: 'https://contoso.example/privacy',
    ACRCHECK_TERMS_URL: 'https://contoso.example/terms',
    ACRCHECK_DEVELOPER_NAME: 'Contoso Platform Team',
    APP_NAME_SUFFIX: '-dev',
  };
  let pkg: Unpacked;
  let manifest: Manifest;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'acrcheck-package-'));
    const built = await buildAppPackage({ env, out: join(work, 'acrcheck.zip') });
    expect(built.path).toBe(join(work, 'acrcheck.zip'));
    pkg = await unpack(built.path);
    manifest = JSON.parse(pkg.text.get('manifest.json') ?? '{}') as Manifest;
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('holds the manifest, both icons and both language files, all at the zip root', () => {
    expect([...pkg.names].sort()).toEqual([
      'color.png',
      'de.json',
      'manifest.json',
      'outline.png',
      'zh-tw.json',
    ]);
  });

  it('is valid against the schema Microsoft publishes for its manifest version (1.29 or newer)', () => {
    const [major, minor] = manifest.manifestVersion.split('.').map(Number);
    expect((major ?? 0) * 100 + (minor ?? 0)).toBeGreaterThanOrEqual(129);
    expect(manifest.$schema).toBe(
      `https://developer.microsoft.com/json-schemas/teams/v${manifest.manifestVersion}/MicrosoftTeams.schema.json`,
    );
    const problems = validator(join(schemas, `v${manifest.manifestVersion}`, 'MicrosoftTeams.schema.json'))(
      manifest,
    );
    expect(problems).toEqual([]);
  });

  it('has every language file the manifest lists, each valid against the Localization schema', () => {
    const validate = validator(
      join(schemas, `v${manifest.manifestVersion}`, 'MicrosoftTeams.Localization.schema.json'),
    );
    const tags = manifest.localizationInfo.additionalLanguages.map((l) => l.languageTag);
    expect(manifest.localizationInfo.defaultLanguageTag).toBe('en');
    expect(tags).toEqual(['de', 'zh-tw']);
    for (const { file } of manifest.localizationInfo.additionalLanguages) {
      const strings = JSON.parse(pkg.text.get(file) ?? 'null') as Record<string, string>;
      expect({ file, problems: validate(strings) }).toEqual({ file, problems: [] });
      expect(strings.$schema).toBe(
        `https://developer.microsoft.com/json-schemas/teams/v${manifest.manifestVersion}/MicrosoftTeams.Localization.schema.json`,
      );
    }
  });

  it('carries the configured ids, names and links, and no placeholder', () => {
    for (const [name, text] of pkg.text) {
      expect({ name, leftover: text.match(/\$\{\{[^}]*\}\}|\{\{/g) }).toEqual({ name, leftover: null });
    }
    expect(manifest.id).toBe(teamsAppId);
    expect(manifest.bots[0]?.botId).toBe(appId);
    expect(manifest.composeExtensions[0]?.botId).toBe(appId);
    expect(manifest.version).toBe(pkgVersion);
    expect(manifest.developer).toEqual({
      name: 'Contoso Platform Team',
      websiteUrl: 'https://contoso.example/acrcheck',
      privacyUrl: 'https://contoso.example/privacy',
      termsOfUseUrl: 'https://contoso.example/terms',
    });
    expect(manifest.name.short).toBe('acrcheck-dev');
    for (const file of ['de.json', 'zh-tw.json']) {
      expect((JSON.parse(pkg.text.get(file) ?? '{}') as Record<string, string>)['name.short']).toBe(
        'acrcheck-dev',
      );
    }
  });

  it('tells a person what acrcheck does and for which registry problems, within Teams limits', () => {
    expect(manifest.name.short.length).toBeLessThanOrEqual(30);
    expect(manifest.description.short.length).toBeLessThanOrEqual(80);
    expect(manifest.description.full.length).toBeLessThanOrEqual(4000);
    expect(manifest.description.short).toMatch(/Azure Container Registry/);
    for (const topic of [
      /DNS/,
      /firewall/,
      /proxies/,
      /private endpoints/,
      /acrcheck myregistry/,
      /Diagnose with acrcheck/,
    ]) {
      expect(manifest.description.full).toMatch(topic);
    }
  });

  it('is offered in shared and private channels too (channel features tier 1, as the toolkit templates declare)', () => {
    expect(manifest.supportsChannelFeatures).toBe('tier1');
  });

  it('offers the bot in personal chat, teams and group chats with acrcheck <registry> and help, also as slash commands', () => {
    const bot = manifest.bots[0];
    expect(bot?.scopes.sort()).toEqual(['groupChat', 'personal', 'team']);
    expect(bot?.supportsTargetedMessages).toBe(true);
    const list = bot?.commandLists[0];
    expect(list?.scopes.sort()).toEqual(['groupChat', 'personal', 'team']);
    expect(list?.triggers).toEqual(expect.arrayContaining(['mention', 'slash']));
    expect(list?.commands.map((c) => c.title)).toEqual(['acrcheck', 'help']);
    expect(list?.commands[0]?.description).toMatch(/^acrcheck <registry>/);
  });

  it('declares the message action "Diagnose with acrcheck" that sends the message to the bot', () => {
    const [command, ...others] = manifest.composeExtensions[0]?.commands ?? [];
    expect(others).toEqual([]);
    expect(command).toMatchObject({
      id: 'diagnose',
      type: 'action',
      context: ['message'],
      title: 'Diagnose with acrcheck',
      fetchTask: true,
    });
    expect(command?.title.length).toBeLessThanOrEqual(32);
  });

  it('translates the name, descriptions, command help and the message action into German and Traditional Chinese', () => {
    const de = JSON.parse(pkg.text.get('de.json') ?? '{}') as Record<string, string>;
    const zh = JSON.parse(pkg.text.get('zh-tw.json') ?? '{}') as Record<string, string>;
    const translated = [
      'name.full',
      'description.short',
      'description.full',
      'bots[0].commandLists[0].commands[0].description',
      'bots[0].commandLists[0].commands[1].description',
      'composeExtensions[0].commands[0].title',
      'composeExtensions[0].commands[0].description',
    ];
    const english: Record<string, string> = {
      'name.full': manifest.name.full,
      'description.short': manifest.description.short,
      'description.full': manifest.description.full,
      'bots[0].commandLists[0].commands[0].description':
        manifest.bots[0]?.commandLists[0]?.commands[0]?.description ?? '',
      'bots[0].commandLists[0].commands[1].description':
        manifest.bots[0]?.commandLists[0]?.commands[1]?.description ?? '',
      'composeExtensions[0].commands[0].title': manifest.composeExtensions[0]?.commands[0]?.title ?? '',
      'composeExtensions[0].commands[0].description':
        manifest.composeExtensions[0]?.commands[0]?.description ?? '',
    };
    for (const key of translated) {
      expect({ key, de: de[key] === english[key], zh: zh[key] === english[key] }).toEqual({
        key,
        de: false,
        zh: false,
      });
      expect({ key, zh: /[\u4e00-\u9fff]/.test(zh[key] ?? '') }).toEqual({ key, zh: true });
    }
    expect(de['composeExtensions[0].commands[0].title']).toBe('Mit acrcheck diagnostizieren');
    expect(zh['composeExtensions[0].commands[0].title']).toBe('使用 acrcheck 診斷');
    expect(de['description.full']).toMatch(/Registrierung/);
    // A German compound with a product name is hyphenated throughout ("Azure-Container-Registry-Fehler").
    for (const [key, text] of Object.entries(de)) {
      expect({
        key,
        halfHyphenated: text.match(/\b(?:Azure|Container|Registry) [A-Z][\w ]*-\p{Ll}*\p{L}/gu),
      }).toEqual({
        key,
        halfHyphenated: null,
      });
    }
    expect(de['composeExtensions[0].commands[0].description']).toBe(
      'Den Azure-Container-Registry-Fehler in dieser Nachricht diagnostizieren',
    );
    expect(zh['description.full']).toMatch(/登錄/);
    // Teams sends a command's title as the message text and does not translate it back: keep it the same everywhere.
    for (const strings of [de, zh]) {
      expect(strings['bots[0].commandLists[0].commands[0].title']).toBe('acrcheck');
      expect(strings['bots[0].commandLists[0].commands[1].title']).toBe('help');
    }
  });

  it('carries a full-colour 192×192 icon', () => {
    const color = pkg.png.get(manifest.icons.color);
    expect([color?.width, color?.height]).toEqual([192, 192]);
    let saturated = 0;
    let opaque = 0;
    const data = color?.data ?? Buffer.alloc(0);
    for (let i = 0; i < data.length; i += 4) {
      const [r = 0, g = 0, b = 0, a = 0] = data.subarray(i, i + 4);
      if (a === 255) opaque++;
      if (Math.max(r, g, b) - Math.min(r, g, b) > 80) saturated++;
    }
    expect(opaque).toBe(192 * 192);
    expect(saturated / (192 * 192)).toBeGreaterThan(0.5);
  });

  it('carries a 32×32 outline icon that is white on transparent', () => {
    const outline = pkg.png.get(manifest.icons.outline);
    expect([outline?.width, outline?.height]).toEqual([32, 32]);
    const data = outline?.data ?? Buffer.alloc(0);
    const offWhite: number[] = [];
    let drawn = 0;
    for (let i = 0; i < data.length; i += 4) {
      const [r = 0, g = 0, b = 0, a = 0] = data.subarray(i, i + 4);
      if (a === 0) continue;
      if (a > 128) drawn++;
      if (Math.min(r, g, b) < 0xf0) offWhite.push(i / 4);
    }
    expect(offWhite).toEqual([]);
    for (const [x, y] of [
      [0, 0],
      [31, 0],
      [0, 31],
      [31, 31],
    ] as const) {
      expect({ x, y, alpha: data[(y * 32 + x) * 4 + 3] }).toEqual({ x, y, alpha: 0 });
    }
    expect(drawn).toBeGreaterThan(100);
  });

  it('gives the same bytes for the same sources', async () => {
    const again = await buildAppPackage({ env, out: join(work, 'again.zip') });
    expect(readFileSync(again.path).equals(pkg.bytes)).toBe(true);
  });

  it('uses MicrosoftAppId as the Teams app id and the website for privacy and terms when those are not set', async () => {
    const built = await buildAppPackage({
      env: {
        MicrosoftAppId: appId,
        ACRCHECK_WEBSITE_URL: 'https://contoso.example/acrcheck',
        // What the Agents Toolkit leaves when TEAMS_APP_ID is empty.
        TEAMS_APP_ID: '${{TEAMS_APP_ID}}',
      },
      out: join(work, 'defaults.zip'),
    });
    const m = built.manifest as unknown as Manifest;
    expect(m.id).toBe(appId);
    expect(m.name.short).toBe('acrcheck');
    expect(m.developer).toEqual({
      name: 'acrcheck',
      websiteUrl: 'https://contoso.example/acrcheck',
      privacyUrl: 'https://contoso.example/acrcheck',
      termsOfUseUrl: 'https://contoso.example/acrcheck',
    });
  });

  it('refuses to build without MicrosoftAppId or ACRCHECK_WEBSITE_URL, naming each, and writes nothing', async () => {
    const out = join(work, 'missing.zip');
    const failure = await buildAppPackage({
      env: { ACRCHECK_PRIVACY_URL: 'https://contoso.example/p' },
      out,
    }).then(
      () => null,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(AcrcheckError);
    expect((failure as AcrcheckError).code).toBe('ACRCHECK_BAD_CONFIG');
    const message = (failure as AcrcheckError).message;
    expect(message).toMatch(/MicrosoftAppId is not set/);
    expect(message).toMatch(/ACRCHECK_WEBSITE_URL is not set/);
    expect(message).not.toMatch(/TEAMS_APP_ID|ACRCHECK_PRIVACY_URL|ACRCHECK_TERMS_URL/);
    expect(existsSync(out)).toBe(false);
  });

  it('names each malformed variable with what is wrong with it', async () => {
    const failure = (await buildAppPackage({
      env: {
        MicrosoftAppId: 'my-bot',
        TEAMS_APP_ID: '1234',
        ACRCHECK_WEBSITE_URL: 'http://contoso.example/acrcheck',
        ACRCHECK_TERMS_URL: 'terms',
        ACRCHECK_DEVELOPER_NAME: 'A developer name that is far longer than Teams allows',
      },
      out: join(work, 'bad.zip'),
    }).catch((err: unknown) => err)) as AcrcheckError;
    expect(failure.code).toBe('ACRCHECK_BAD_CONFIG');
    expect(failure.message).toMatch(/MicrosoftAppId=my-bot is not a GUID/);
    expect(failure.message).toMatch(/TEAMS_APP_ID=1234 is not a GUID/);
    expect(failure.message).toMatch(
      /ACRCHECK_WEBSITE_URL=http:\/\/contoso.example\/acrcheck is not an https URL/,
    );
    expect(failure.message).toMatch(/ACRCHECK_TERMS_URL=terms is not an https URL/);
    expect(failure.message).toMatch(/ACRCHECK_DEVELOPER_NAME is 53 characters long/);
  });

  describe('with broken sources', () => {
    let sources: string;
    beforeEach(() => {
      sources = mkdtempSync(join(tmpdir(), 'acrcheck-appsrc-'));
      cpSync(appPackageDir(), sources, {
        recursive: true,
        filter: (p) => !p.includes(join('appPackage', 'build')),
      });
    });
    afterEach(() => rmSync(sources, { recursive: true, force: true }));

    const edit = (file: string, change: (text: string) => string): void =>
      writeFileSync(join(sources, file), change(readFileSync(join(sources, file), 'utf8')));
    const failure = (): Promise<AcrcheckError> =>
      buildAppPackage({ env, sourceDir: sources, out: join(sources, 'out.zip') }).then(
        () => {
          throw new Error('built a package from broken sources');
        },
        (err: unknown) => err as AcrcheckError,
      );

    it('refuses a placeholder it does not fill', async () => {
      edit('manifest.json', (t) => t.replace('"accentColor": "#0F5BB5"', '"accentColor": "${{ACCENT}}"'));
      const err = await failure();
      expect(err.code).toBe('ACRCHECK_BAD_FILE');
      expect(err.message).toMatch(/\$\{\{ACCENT\}\}/);
    });

    it('refuses a manifest the schema rejects, saying where', async () => {
      edit('manifest.json', (t) =>
        t.replace(
          '"title": "Diagnose with acrcheck"',
          '"title": "Diagnose this error with acrcheck, please"',
        ),
      );
      const err = await failure();
      expect(err.code).toBe('ACRCHECK_BAD_FILE');
      expect(err.message).toMatch(
        /manifest\.json: \/composeExtensions\/0\/commands\/0\/title must NOT have more than 32 characters/,
      );
    });

    it('refuses a language file with a key Teams does not know', async () => {
      edit('de.json', (t) => t.replace('"name.full"', '"name.long"'));
      const err = await failure();
      expect(err.message).toMatch(/de\.json: .*must NOT have additional properties/);
    });

    it('refuses an icon of the wrong size', async () => {
      const small = new PNG({ width: 16, height: 16 });
      writeFileSync(join(sources, 'outline.png'), PNG.sync.write(small));
      const err = await failure();
      expect(err.message).toMatch(/outline\.png is 16×16; Teams wants 32×32/);
    });
  });

  describe('from the command line', () => {
    const exec = promisify(execFile);
    // Only what npm needs, so that no variable of this machine leaks in; and no update check (no network).
    const baseEnv = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? tmpdir(),
      npm_config_update_notifier: 'false',
      npm_config_audit: 'false',
      npm_config_fund: 'false',
    };

    it('fails with a message that names each missing variable', async () => {
      const result = await exec('npm', ['run', '--silent', 'package'], { cwd: root, env: baseEnv }).then(
        () => null,
        (err: { code: number; stderr: string }) => err,
      );
      expect(result?.code).not.toBe(0);
      expect(result?.stderr).toMatch(/MicrosoftAppId is not set/);
      expect(result?.stderr).toMatch(/ACRCHECK_WEBSITE_URL is not set/);
    }, 60_000);

    it('builds the zip from the env file it is given, which a stray shell variable does not override', async () => {
      const envFile = join(work, 'package.env');
      writeFileSync(
        envFile,
        `MicrosoftAppId=${appId}\nACRCHECK_WEBSITE_URL=https://file.example/acrcheck\nAPP_NAME_SUFFIX=-file\n`,
      );
      const out = join(work, 'cli.zip');
      const { stdout, stderr } = await exec(
        'npm',
        ['run', '--silent', 'package', '--', '--env-file', envFile, '--out', out],
        {
          cwd: root,
          // The file leaves the developer name out: the shell's applies.
          env: { ...baseEnv, APP_NAME_SUFFIX: '-shell', ACRCHECK_DEVELOPER_NAME: 'Shell Team' },
        },
      );
      expect(stdout).toMatch(
        /Wrote .*cli\.zip: manifest\.json, de\.json, zh-tw\.json, color\.png, outline\.png/,
      );
      expect(stderr).toBe(`Using APP_NAME_SUFFIX from ${envFile}, not the shell's APP_NAME_SUFFIX\n`);
      const m = JSON.parse((await unpack(out)).text.get('manifest.json') ?? '{}') as Manifest;
      expect(m.bots[0]?.botId).toBe(appId);
      expect(m.developer.websiteUrl).toBe('https://file.example/acrcheck');
      expect(m.name.short).toBe('acrcheck-file');
      expect(m.developer.name).toBe('Shell Team');
    }, 60_000);
  });

  it('documents every variable it reads in the toolkit environments', () => {
    for (const file of ['env/.env.dev', 'env/.env.local']) {
      const text = readFileSync(join(root, file), 'utf8');
      for (const { name } of packageVariables) {
        if (name === 'MicrosoftAppId' || name === 'TEAMS_APP_ID') continue;
        expect({ file, name, defined: new RegExp(`^${name}=`, 'm').test(text) }).toEqual({
          file,
          name,
          defined: true,
        });
      }
    }
  });
});

describe('packageEnv: an --env-file and the shell', () => {
  const file = 'appPackage/build/package.dev.env';
  const id = '0f6c4b4e-0000-4000-8000-00000000b07d';

  it('takes every variable the file names from the file, even one it leaves empty, and says which shell values lost', () => {
    const { env, overruled } = packageEnv(
      { MicrosoftAppId: id, APP_NAME_SUFFIX: '', ACRCHECK_TERMS_URL: '${{ACRCHECK_TERMS_URL}}' },
      {
        MicrosoftAppId: 'ffffffff-0000-4000-8000-000000000000',
        APP_NAME_SUFFIX: '-stray',
        ACRCHECK_TERMS_URL: 'https://shell.example/terms',
        ACRCHECK_WEBSITE_URL: 'https://shell.example/acrcheck',
        HOME: '/root',
      },
      file,
    );
    expect(env).toMatchObject({
      MicrosoftAppId: id,
      APP_NAME_SUFFIX: '',
      ACRCHECK_TERMS_URL: '${{ACRCHECK_TERMS_URL}}',
      ACRCHECK_WEBSITE_URL: 'https://shell.example/acrcheck',
    });
    expect(env).not.toHaveProperty('HOME');
    expect(overruled).toEqual([
      `MicrosoftAppId from ${file}, not the shell's MicrosoftAppId`,
      `ACRCHECK_TERMS_URL from ${file}, not the shell's ACRCHECK_TERMS_URL`,
      `APP_NAME_SUFFIX from ${file}, not the shell's APP_NAME_SUFFIX`,
    ]);
    // The file's empty suffix and unset terms page are what the package gets.
    const values = packageValues(env);
    expect(values).toMatchObject({
      APP_NAME_SUFFIX: '',
      ACRCHECK_TERMS_URL: 'https://shell.example/acrcheck',
    });
  });

  it('says nothing when the shell agrees with the file or does not set the variable', () => {
    expect(packageEnv({ MicrosoftAppId: id }, { MicrosoftAppId: ` ${id}` }, file).overruled).toEqual([]);
    expect(packageEnv({ MicrosoftAppId: id }, {}, file)).toEqual({
      env: expect.objectContaining({ MicrosoftAppId: id }) as unknown,
      overruled: [],
    });
  });
});

describe('manifestCommands: what the app package offers, per language', () => {
  const commands = manifestCommands();

  it('lists acrcheck and help for the bot and the message action, in en, de and zh-tw', () => {
    for (const language of ['en', 'de', 'zh-tw']) {
      const mine = commands.filter((c) => c.language === language);
      expect(mine.filter((c) => c.kind === 'bot').map((c) => c.title)).toEqual(['acrcheck', 'help']);
      expect(mine.filter((c) => c.kind === 'message-action').map((c) => c.id)).toEqual(['diagnose']);
      for (const c of mine)
        expect(c.scopes).toEqual(expect.arrayContaining(['personal', 'team', 'groupChat']));
    }
    const action = (language: string): string | undefined =>
      commands.find((c) => c.kind === 'message-action' && c.language === language)?.title;
    expect([action('en'), action('de'), action('zh-tw')]).toEqual([
      'Diagnose with acrcheck',
      'Mit acrcheck diagnostizieren',
      '使用 acrcheck 診斷',
    ]);
    const help = commands.find((c) => c.kind === 'bot' && c.language === 'de' && c.title === 'help');
    expect(help?.description).toBe('Zeigt, was acrcheck kann und wie Sie es verwenden');
    expect(help?.triggers).toEqual(['mention', 'slash']);
  });
});

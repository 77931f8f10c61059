import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseEnv } from 'node:util';

import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import JSZip from 'jszip';
import { PNG } from 'pngjs';

import { AcrcheckError } from '../src/errors';
import { packageRoot, packageVersion } from '../src/paths';

type Env = Record<string, string | undefined>;

/** A setting `npm run package` reads from the environment; its name is also the manifest's `${{name}}` placeholder. */
export interface PackageVariable {
  name: string;
  kind: 'guid' | 'https-url' | 'text';
  /** Unset means required, unless `fallbackTo` names another variable. */
  fallback?: string;
  /** Take this other variable's value when unset. */
  fallbackTo?: string;
  maxLength?: number;
  /** What it is, for the error message that names it. */
  purpose: string;
}

/** Every variable the app package is built from, in the order problems are reported. */
export const packageVariables = [
  {
    name: 'MicrosoftAppId',
    kind: 'guid',
    purpose: "the bot's id: the client id of its user-assigned managed identity or Microsoft Entra app",
  },
  {
    name: 'TEAMS_APP_ID',
    kind: 'guid',
    fallbackTo: 'MicrosoftAppId',
    purpose: "the Teams app's own id (the Agents Toolkit creates one; defaults to MicrosoftAppId)",
  },
  {
    name: 'ACRCHECK_WEBSITE_URL',
    kind: 'https-url',
    purpose: "the https page Teams links as the app's website, where people find help with acrcheck",
  },
  {
    name: 'ACRCHECK_PRIVACY_URL',
    kind: 'https-url',
    fallbackTo: 'ACRCHECK_WEBSITE_URL',
    purpose: 'the https page with your privacy statement (defaults to ACRCHECK_WEBSITE_URL)',
  },
  {
    name: 'ACRCHECK_TERMS_URL',
    kind: 'https-url',
    fallbackTo: 'ACRCHECK_WEBSITE_URL',
    purpose: 'the https page with your terms of use (defaults to ACRCHECK_WEBSITE_URL)',
  },
  {
    name: 'ACRCHECK_DEVELOPER_NAME',
    kind: 'text',
    fallback: 'acrcheck',
    maxLength: 32,
    purpose: 'who publishes the app, as Teams shows it (at most 32 characters)',
  },
  {
    name: 'APP_NAME_SUFFIX',
    kind: 'text',
    fallback: '',
    maxLength: 22,
    purpose: 'appended to the app name to tell environments apart, e.g. -dev (at most 22 characters)',
  },
] as const satisfies readonly PackageVariable[];

/** Placeholders filled from the project rather than the environment. */
export const derivedPlaceholders = ['APP_VERSION'] as const;

/** The icons Teams requires, each rendered from an SVG source by `npm run icons`. */
export interface AppIcon {
  source: string;
  output: string;
  /** Width and height in pixels. */
  size: number;
  /** Teams' outline icon: white on a transparent background, nothing else. */
  whiteOnly: boolean;
}

/** Colour 192×192 and outline 32×32, under the file names the manifest uses. */
export const appIcons = [
  { source: 'color.svg', output: 'color.png', size: 192, whiteOnly: false },
  { source: 'outline.svg', output: 'outline.png', size: 32, whiteOnly: true },
] as const satisfies readonly AppIcon[];

/** The folder holding the manifest, the localization files and the icons. */
export function appPackageDir(): string {
  return join(packageRoot(), 'appPackage');
}

/** Where `npm run package` writes the zip unless told otherwise (git-ignored). */
export function defaultPackagePath(): string {
  return join(appPackageDir(), 'build', 'acrcheck.zip');
}

const placeholderPattern = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
const guidPattern = /^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;

/**
 * Resolves every package variable from `env`, applying fallbacks.
 *
 * @throws AcrcheckError `ACRCHECK_BAD_CONFIG` naming each missing or malformed variable
 */
export function packageValues(env: Env): Record<string, string> {
  const problems: string[] = [];
  const values: Record<string, string> = {};
  for (const variable of packageVariables as readonly PackageVariable[]) {
    let value = env[variable.name]?.trim() ?? '';
    // The Agents Toolkit leaves `${{NAME}}` untouched when NAME is empty; that means "not set".
    if (/^\$\{\{\s*[A-Za-z_][A-Za-z0-9_]*\s*\}\}$/.test(value)) value = '';
    if (value === '') {
      if (variable.fallbackTo !== undefined) {
        const other = values[variable.fallbackTo];
        // When the other one is missing too, that is the problem already reported.
        if (other === undefined) continue;
        value = other;
      } else if (variable.fallback !== undefined) {
        value = variable.fallback;
      } else {
        problems.push(`${variable.name} is not set: ${variable.purpose}`);
        continue;
      }
    } else if (variable.kind === 'guid' && !guidPattern.test(value)) {
      problems.push(`${variable.name}=${value} is not a GUID: ${variable.purpose}`);
      continue;
    } else if (variable.kind === 'https-url' && !isHttpsUrl(value)) {
      problems.push(`${variable.name}=${value} is not an https URL: ${variable.purpose}`);
      continue;
    } else if (variable.maxLength !== undefined && value.length > variable.maxLength) {
      problems.push(`${variable.name} is ${value.length} characters long: ${variable.purpose}`);
      continue;
    }
    values[variable.name] = value;
  }
  if (problems.length) {
    throw new AcrcheckError(
      'ACRCHECK_BAD_CONFIG',
      `Cannot build the Teams app package:\n  ${problems.join('\n  ')}`,
      { problems: problems.join('; ') },
    );
  }
  return values;
}

function isHttpsUrl(text: string): boolean {
  try {
    return new URL(text).protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * Replaces each `${{NAME}}` in a JSON file's text with its value, escaped for a JSON string.
 *
 * @throws AcrcheckError `ACRCHECK_BAD_FILE` for a placeholder the packager does not know
 */
export function fillPlaceholders(text: string, values: Record<string, string>, file: string): string {
  const unknown = new Set<string>();
  const filled = text.replace(placeholderPattern, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) {
      unknown.add(name);
      return whole;
    }
    return JSON.stringify(value).slice(1, -1);
  });
  if (unknown.size) {
    throw new AcrcheckError(
      'ACRCHECK_BAD_FILE',
      `${file} uses ${[...unknown].map((n) => `\${{${n}}}`).join(', ')}, which npm run package does not fill`,
      { file },
    );
  }
  return filled;
}

const schemaRoot = (): string =>
  join(packageRoot(), 'node_modules/@microsoft/app-manifest/build/json-schemas/teams');

/** The bundled JSON schema file of a manifest version: the app manifest or the localization file. */
export function schemaFile(manifestVersion: string, kind: 'manifest' | 'localization'): string {
  const name = kind === 'manifest' ? 'MicrosoftTeams.schema.json' : 'MicrosoftTeams.Localization.schema.json';
  return join(schemaRoot(), `v${manifestVersion}`, name);
}

/** The `$schema` URL Microsoft publishes for a manifest version. */
export function schemaUrl(manifestVersion: string, kind: 'manifest' | 'localization'): string {
  return `https://developer.microsoft.com/json-schemas/teams/v${manifestVersion}/${basename(schemaFile(manifestVersion, kind))}`;
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Validates a JSON document against a bundled schema, offline; returns one line per violation. */
export function schemaProblems(document: unknown, schemaPath: string): string[] {
  // Microsoft's localization schema has patterns that are valid only without the u flag (e.g. `\b]`).
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')) as object);
  if (validate(document)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
}

interface ManifestShape {
  manifestVersion: string;
  $schema?: string;
  icons: { color: string; outline: string };
  localizationInfo?: { additionalLanguages?: { languageTag: string; file: string }[] };
}

/** What `buildAppPackage` wrote. */
export interface BuiltPackage {
  path: string;
  /** The zip's entries, all at its root. */
  files: string[];
  manifest: Record<string, unknown>;
}

/**
 * Builds the Teams app package: fills the placeholders of the manifest and the localization files,
 * validates each against the schema bundled for its manifest version, checks the icons' sizes and
 * zips them all at the zip's root.
 *
 * @throws AcrcheckError `ACRCHECK_BAD_CONFIG` naming each missing or malformed variable,
 *   `ACRCHECK_BAD_FILE` for a source file that does not produce a valid package; nothing is written then
 */
export async function buildAppPackage(options: {
  env: Env;
  out?: string;
  sourceDir?: string;
}): Promise<BuiltPackage> {
  const sourceDir = options.sourceDir ?? appPackageDir();
  const out = options.out ?? defaultPackagePath();
  const values = { ...packageValues(options.env), APP_VERSION: packageVersion() };

  const readBytes = (file: string): Buffer => {
    const path = join(sourceDir, file);
    if (!existsSync(path))
      throw new AcrcheckError('ACRCHECK_BAD_FILE', `appPackage/${file} is missing`, { file });
    return readFileSync(path);
  };
  const read = (file: string): string => readBytes(file).toString('utf8');
  const problems: string[] = [];
  const entries = new Map<string, Buffer>();

  const manifestText = fillPlaceholders(read('manifest.json'), values, 'appPackage/manifest.json');
  const manifest = JSON.parse(manifestText) as ManifestShape & Record<string, unknown>;
  entries.set('manifest.json', Buffer.from(manifestText));
  const version = manifest.manifestVersion;
  if (!existsSync(schemaFile(version, 'manifest'))) {
    throw new AcrcheckError('ACRCHECK_BAD_FILE', `No bundled schema for manifestVersion ${version}`, {
      file: 'manifest.json',
    });
  }
  if (manifest.$schema !== schemaUrl(version, 'manifest')) {
    problems.push(`manifest.json: $schema should be ${schemaUrl(version, 'manifest')}`);
  }
  problems.push(
    ...schemaProblems(manifest, schemaFile(version, 'manifest')).map((p) => `manifest.json: ${p}`),
  );

  for (const { file } of manifest.localizationInfo?.additionalLanguages ?? []) {
    const text = fillPlaceholders(read(file), values, `appPackage/${file}`);
    const strings = JSON.parse(text) as Record<string, unknown>;
    if (strings.$schema !== schemaUrl(version, 'localization')) {
      problems.push(`${file}: $schema should be ${schemaUrl(version, 'localization')}`);
    }
    problems.push(
      ...schemaProblems(strings, schemaFile(version, 'localization')).map((p) => `${file}: ${p}`),
    );
    entries.set(file, Buffer.from(text));
  }

  for (const icon of appIcons) {
    const file = icon.output;
    if (file !== manifest.icons.color && file !== manifest.icons.outline) continue;
    const png = readBytes(file);
    const { width, height } = PNG.sync.read(png);
    if (width !== icon.size || height !== icon.size) {
      problems.push(
        `${file} is ${width}×${height}; Teams wants ${icon.size}×${icon.size} (npm run icons renders it)`,
      );
    }
    entries.set(file, png);
  }
  for (const file of [manifest.icons.color, manifest.icons.outline]) {
    if (!entries.has(file))
      problems.push(`manifest.json names the icon ${file}, which npm run icons does not render`);
  }

  if (problems.length) {
    throw new AcrcheckError(
      'ACRCHECK_BAD_FILE',
      `The Teams app package is not valid:\n  ${problems.join('\n  ')}`,
      {
        file: 'manifest.json',
      },
    );
  }

  const zip = new JSZip();
  // A fixed date makes the same sources produce the same bytes.
  const date = new Date(Date.UTC(2024, 0, 1));
  for (const [name, data] of entries) zip.file(name, data, { date });
  const bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', platform: 'UNIX' });
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, bytes);
  return { path: out, files: [...entries.keys()], manifest };
}

/** A command the app package shows in Teams, in one of its languages. */
export interface ManifestCommand {
  /** `en` (the manifest itself) or an additional language tag, e.g. `de`, `zh-tw`. */
  language: string;
  /** `bot`: typed to the bot (its title is what Teams sends); `message-action`: on a message's More actions menu. */
  kind: 'bot' | 'message-action';
  /** The message action's command id (what `composeExtension/*` invokes carry as `commandId`); null for bot commands. */
  id: string | null;
  title: string;
  description: string;
  scopes: readonly string[];
  /** For bot commands: `mention` and/or `slash`. */
  triggers: readonly string[];
}

interface CommandManifest {
  bots?: {
    scopes: string[];
    commandLists?: {
      scopes: string[];
      triggers?: string[];
      commands: { title: string; description?: string }[];
    }[];
  }[];
  composeExtensions?: {
    commands: { id: string; title: string; description?: string; context?: string[] }[];
  }[];
  localizationInfo?: {
    defaultLanguageTag: string;
    additionalLanguages?: { languageTag: string; file: string }[];
  };
}

/**
 * Every command the app package lists, once per language, as Teams shows them: bot commands
 * (`acrcheck <registry>`, `help`; their titles are what a user's message starts with) and the
 * message action. Read from the committed sources, so a test can check the bot answers each one.
 */
export function manifestCommands(sourceDir: string = appPackageDir()): ManifestCommand[] {
  const manifest = JSON.parse(readFileSync(join(sourceDir, 'manifest.json'), 'utf8')) as CommandManifest;
  const languages = [
    { tag: manifest.localizationInfo?.defaultLanguageTag ?? 'en', strings: {} as Record<string, string> },
    ...(manifest.localizationInfo?.additionalLanguages ?? []).map((l) => ({
      tag: l.languageTag,
      strings: JSON.parse(readFileSync(join(sourceDir, l.file), 'utf8')) as Record<string, string>,
    })),
  ];
  const commands: ManifestCommand[] = [];
  for (const { tag, strings } of languages) {
    const text = (key: string, fallback: string | undefined): string => strings[key] ?? fallback ?? '';
    (manifest.bots?.[0]?.commandLists ?? []).forEach((list, i) => {
      list.commands.forEach((command, j) => {
        const key = `bots[0].commandLists[${i}].commands[${j}]`;
        commands.push({
          language: tag,
          kind: 'bot',
          id: null,
          title: text(`${key}.title`, command.title),
          description: text(`${key}.description`, command.description),
          scopes: list.scopes,
          triggers: list.triggers ?? ['mention'],
        });
      });
    });
    (manifest.composeExtensions?.[0]?.commands ?? []).forEach((command, i) => {
      if (!command.context?.includes('message')) return;
      const key = `composeExtensions[0].commands[${i}]`;
      commands.push({
        language: tag,
        kind: 'message-action',
        id: command.id,
        title: text(`${key}.title`, command.title),
        description: text(`${key}.description`, command.description),
        scopes: manifest.bots?.[0]?.scopes ?? [],
        triggers: [],
      });
    });
  }
  return commands;
}

/** Parses `npm run package` arguments: `[--env-file FILE] [--out FILE]`. */
export function parsePackageArgs(args: readonly string[]): { envFile: string | null; out: string | null } {
  const result: { envFile: string | null; out: string | null } = { envFile: null, out: null };
  for (let i = 0; i < args.length; i++) {
    const flag = args[i];
    const value = args[i + 1];
    if ((flag === '--env-file' || flag === '--out') && value !== undefined && !value.startsWith('--')) {
      if (flag === '--env-file') result.envFile = value;
      else result.out = value;
      i++;
    } else {
      throw new AcrcheckError(
        'ACRCHECK_BAD_USAGE',
        `Unexpected argument '${flag}'. Usage: npm run package -- [--env-file FILE] [--out FILE.zip]`,
      );
    }
  }
  return result;
}

/**
 * The package variables from an `--env-file` and the shell: a variable the file names (even as empty, which
 * means not set) comes from the file, since it was asked for explicitly; one it leaves out comes from the shell.
 * Each shell value the file overrules is named in `overruled`, so a stray variable in the shell is seen, not used.
 */
export function packageEnv(
  fileEnv: Env,
  shellEnv: Env,
  file: string,
): { env: Record<string, string | undefined>; overruled: string[] } {
  const env: Record<string, string | undefined> = {};
  const overruled: string[] = [];
  for (const { name } of packageVariables) {
    const shell = shellEnv[name];
    if (!Object.hasOwn(fileEnv, name)) {
      env[name] = shell;
      continue;
    }
    const fromFile = fileEnv[name];
    env[name] = fromFile;
    if (shell !== undefined && shell.trim() !== (fromFile ?? '').trim()) {
      overruled.push(`${name} from ${file}, not the shell's ${name}`);
    }
  }
  return { env, overruled };
}

async function main(): Promise<void> {
  const args = parsePackageArgs(process.argv.slice(2));
  let env: Env = process.env;
  if (args.envFile) {
    let fileEnv: Env;
    try {
      fileEnv = parseEnv(readFileSync(args.envFile, 'utf8'));
    } catch (err) {
      throw new AcrcheckError('ACRCHECK_BAD_FILE', `Cannot read ${args.envFile}: ${(err as Error).message}`, {
        file: args.envFile,
      });
    }
    const merged = packageEnv(fileEnv, process.env, args.envFile);
    for (const line of merged.overruled) process.stderr.write(`Using ${line}\n`);
    env = merged.env;
  }
  const built = await buildAppPackage({
    env,
    out: args.out ? resolve(args.out) : defaultPackagePath(),
  });
  const where = relative(process.cwd(), built.path) || built.path;
  process.stdout.write(`Wrote ${where}: ${built.files.join(', ')}\n`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}

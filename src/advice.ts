/**
 * Binds the catalogue to one registry and one language: localized titles and steps, commands with the
 * registry's name, regions and client address filled in, the hosts a firewall must allow and doc links in
 * the user's language. Pure functions of their arguments; no I/O besides the (cached) locale files.
 */

import { isIP } from 'node:net';

import { causes } from './catalogue/causes';
import { clouds, type Cloud } from './catalogue/clouds';
import { chinaDocs, docs, type Doc, type DocId } from './catalogue/docs';
import { further } from './catalogue/further';
import { kinds } from './catalogue/kinds';
import {
  defaultCloud,
  focusRules,
  placeholders,
  regionVars,
  solutions,
  storageHosts,
  templateVars,
  type FocusId,
  type RegionVar,
  type SolutionSpec,
  type StepSpec,
  type TemplateVar,
} from './catalogue/solutions';
import type { CauseId, NotNetworkKind, Registry, SymptomId, SymptomMatch } from './contract';
import { learnLocale, translator, type Locale, type Translate } from './i18n';
import { formatImage, imageParts, isDockerHub, type ImageParts } from './recognize/images';
import { classifyHost, dataEndpoint, isRegionName } from './target';

/**
 * What advice is bound to: the registry (null when the text named none), its regions and the client's address;
 * optionally the leading symptom with its evidence (it puts the fix in focus: an untrusted certificate leads
 * with TLS inspection), the image the failure is about (it fills `az acr import` and `--repository`) and the
 * regional endpoints the paste named (listed among the hosts to allow as they stand).
 */
export interface AdviceInput {
  registry: Registry | null;
  regions: string[];
  clientIp: string | null;
  symptom?: SymptomMatch | null;
  image?: string | null;
  regionalEndpoints?: string[];
}

/** One thing to do: localized text and commands ready to copy. */
export interface Step {
  text: string;
  commands: string[];
}

/** A documentation link, in the user's language where the site has one. */
export interface Link {
  title: string;
  url: string;
}

/** The fix for one cause, bound to a registry and a language. */
export interface Solution {
  cause: CauseId;
  title: string;
  summary: string;
  steps: Step[];
  endpoints: string[];
  links: Link[];
}

/** What the bot says when it recognizes nothing: what it can recognize and an example paste. */
export interface UnrecognizedAdvice {
  title: string;
  text: string;
  recognizes: string;
  exampleIntro: string;
  example: string;
}

interface Context {
  vars: Record<TemplateVar, string>;
  perRegion: Record<RegionVar, string>[];
  known: { clientIp: boolean; regions: boolean };
  endpoints: string[];
  cloud: Cloud;
}

const docById: ReadonlyMap<DocId, (typeof docs)[number]> = new Map(docs.map((d) => [d.id, d]));
const publicCloud: Cloud = clouds[0];
const variablePattern = /\{\{(\w+)\}\}/g;

/** The registry's host taken apart, or null when there is none or it is not an Azure registry host. */
function registryHost(registry: Registry | null): ReturnType<typeof classifyHost> {
  if (!registry) return null;
  const host = classifyHost(registry.loginServer);
  return host?.kind === 'login' ? host : null;
}

/** Regions of the registry: from its data endpoints, then those given (lower-cased); only region-shaped names. */
function regionsOf(input: AdviceInput): string[] {
  const fromEndpoints = (input.registry?.dataEndpoints ?? []).map((h) => classifyHost(h)?.region ?? null);
  const given = input.regions.map((r) => r.trim().toLowerCase());
  const all = [...fromEndpoints, ...given].filter((r): r is string => !!r && isRegionName(r));
  return [...new Set(all)];
}

/** Regional endpoints of the registry as named: only its own hosts, only `geo` ones. */
function regionalEndpointsOf(input: AdviceInput, loginServer: string | null): string[] {
  const hosts = (input.regionalEndpoints ?? []).flatMap((h) => {
    const parsed = classifyHost(h);
    return parsed?.kind === 'geo' && parsed.loginServer === loginServer ? [parsed.host] : [];
  });
  return [...new Set(hosts)];
}

/** The values `az acr import` and `--repository` take from the image, or placeholders. */
function imageVars(
  input: AdviceInput,
  host: ReturnType<typeof registryHost>,
): Pick<Record<TemplateVar, string>, 'source' | 'targetImage' | 'repository'> {
  const parts = input.image ? imageParts(input.image) : null;
  const onRegistry = parts !== null && host !== null && parts.host === host.loginServer;
  if (!parts || (parts.host !== null && classifyHost(parts.host) !== null)) {
    return {
      source: placeholders.importSource,
      targetImage: placeholders.importTarget,
      repository: onRegistry ? parts.repository : placeholders.repository,
    };
  }
  const hub = isDockerHub(parts.host);
  const repository =
    hub && parts.repository.startsWith('library/') ? parts.repository.slice(8) : parts.repository;
  const source: ImageParts = hub
    ? {
        ...parts,
        host: 'docker.io',
        repository: repository.includes('/') ? repository : `library/${repository}`,
      }
    : parts;
  return {
    source: formatImage(source),
    targetImage: formatImage({ ...parts, host: null, repository }),
    repository: placeholders.repository,
  };
}

function context(input: AdviceInput, separator = ', '): Context {
  const host = registryHost(input.registry);
  const cloud: Cloud = host?.cloud ?? publicCloud;
  const label = host?.label ?? placeholders.name;
  const name = host?.name ?? placeholders.name;
  const loginServer = host?.loginServer ?? `${placeholders.name}.${cloud.suffix}`;
  const regions = regionsOf(input);
  const clientIp = input.clientIp && isIP(input.clientIp.trim()) ? input.clientIp.trim() : null;
  const storage = storageHosts[cloud.id as keyof typeof storageHosts];

  const endpointOf = (region: string): string =>
    host ? dataEndpoint(host.loginServer, region) : `${label}.${region}.data.${cloud.suffix}`;
  const perRegion = (regions.length ? regions : [placeholders.region]).map((region) => ({
    region,
    dataEndpoint: endpointOf(region),
    dataRecord: `${label}.${region}.data`,
  }));
  const dataEndpoints = perRegion.map((r) => r.dataEndpoint);
  const regional = regionalEndpointsOf(input, host?.loginServer ?? null);
  const endpoints = [loginServer, ...regional, ...dataEndpoints, ...(regions.length ? [] : [storage])];

  return {
    vars: {
      name,
      target: host ? loginServer : placeholders.name,
      loginServer,
      label,
      suffix: cloud.suffix,
      privateZone: cloud.privateZone ?? placeholders.privateZone,
      storage,
      clientIp: clientIp ?? placeholders.clientIp,
      endpoints: endpoints.join(separator),
      dataEndpoints: dataEndpoints.join(separator),
      dataRecords: perRegion.map((r) => r.dataRecord).join(separator),
      regions: regions.length ? regions.join(separator) : placeholders.region,
      noProxy: [loginServer, ...regional, ...dataEndpoints].join(','),
      regionFlags: regions.map((r) => ` --region ${r}`).join(''),
      cloud: cloud.id,
      ...imageVars(input, host),
    },
    perRegion,
    known: { clientIp: clientIp !== null, regions: regions.length > 0 },
    endpoints,
    cloud,
  };
}

/** The separator of a list inside a sentence, in the user's language (`a, b` or `a、b`). */
function separatorOf(t: Translate): string {
  return t('catalogue:separator');
}

/**
 * Outside the public cloud, a step that points the Azure CLI at the registry's cloud, put just before the
 * first step that runs an az command (so that a fix without az commands still comes first).
 */
function withCloudStep(steps: Step[], ctx: Context, t: Translate): Step[] {
  const first = steps.findIndex((s) => s.commands.some((c) => c.startsWith('az ')));
  if (ctx.cloud.id === defaultCloud || first === -1) return steps;
  const cloud = {
    text: t('catalogue:cloud.step', ctx.vars),
    commands: [`az cloud set --name ${ctx.cloud.id}`],
  };
  return [...steps.slice(0, first), cloud, ...steps.slice(first)];
}

/**
 * What a fix concentrates on, from the leading symptom: an untrusted certificate, a certificate for other
 * names, no route to the address; null for everything else.
 */
export function adviceFocus(symptom: SymptomMatch | null | undefined): FocusId | null {
  if (!symptom) return null;
  const evidence = symptom.evidence.toLowerCase();
  for (const rule of focusRules as readonly {
    focus: FocusId;
    symptom: SymptomId;
    evidence?: readonly string[];
  }[]) {
    if (rule.symptom !== symptom.id) continue;
    if (!rule.evidence || rule.evidence.some((words) => evidence.includes(words))) return rule.focus;
  }
  return null;
}

/** The focus a cause's fix has for this input, when its solution knows that focus. */
function focusOf(cause: CauseId, input: AdviceInput): FocusId | null {
  const focus = adviceFocus(input.symptom);
  const spec: SolutionSpec = solutions[cause];
  return focus && spec.focus?.[focus] ? focus : null;
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(variablePattern, (_, key: string) => {
    const value = values[key];
    if (value === undefined)
      throw new Error(`catalogue template names an unknown value {{${key}}}: ${template}`);
    return value;
  });
}

/** A command template bound to the context: once, or once per region when it names a per-region value. */
function bindCommand(template: string, ctx: Context): string[] {
  const names = [...template.matchAll(variablePattern)].map((m) => m[1]);
  if (!names.some((n) => (regionVars as readonly (string | undefined)[]).includes(n)))
    return [fill(template, ctx.vars)];
  return ctx.perRegion.map((r) => fill(template, { ...ctx.vars, ...r }));
}

function bindStep(spec: StepSpec, keyPrefix: string, ctx: Context, t: Translate): Step {
  const suffix = spec.variesWith ? (ctx.known[spec.variesWith] ? '.known' : '.unknown') : '';
  return {
    text: t(`catalogue:${keyPrefix}.${spec.id}${suffix}`, ctx.vars),
    commands: spec.commands.flatMap((c) => bindCommand(c, ctx)),
  };
}

/** A document in the user's language; for a registry in Azure China, its docs.azure.cn page where there is one. */
function link(id: DocId, locale: Locale, t: Translate, cloud: Cloud, anchor = ''): Link {
  const doc: Doc | undefined = docById.get(id);
  if (!doc) throw new Error(`unknown doc ${id}`);
  let url =
    doc.site === 'learn' ? `https://learn.microsoft.com/${learnLocale(locale)}/${doc.path}` : doc.path;
  if (cloud.id === 'AzureChinaCloud' && doc.china)
    url = `${chinaDocs.base}/${chinaDocs.languages[locale]}/${doc.china}`;
  return { title: t(`catalogue:docs.${id}`), url: anchor ? `${url}#${anchor}` : url };
}

/**
 * The hosts a firewall or proxy must let through (HTTPS, port 443): the login server, then each regional data
 * endpoint; when no region is known, a `<region>` pattern for them and the cloud's blob storage wildcard.
 */
export function endpointsToAllow(input: AdviceInput): string[] {
  return context(input).endpoints;
}

/** The steps of a fix in the order its focus asks for: the focus's own steps first, the rest as listed. */
function orderedSteps(spec: SolutionSpec, focus: FocusId | null): StepSpec[] {
  const shown = spec.steps.filter((s) => !s.only || (focus !== null && s.only.includes(focus)));
  const lead = focus ? (spec.focus?.[focus] ?? []) : [];
  const first = lead.flatMap((id) => shown.filter((s) => s.id === id));
  return [...first, ...shown.filter((s) => !lead.includes(s.id))];
}

/**
 * The fix for `cause` as concrete steps for this registry, in `locale`. With a leading symptom that puts it
 * in focus (an untrusted certificate, a certificate for other names, no route), its title, summary and first
 * steps are about that. Outside the public cloud, the first step points the Azure CLI at the right cloud.
 */
export function solutionFor(cause: CauseId, input: AdviceInput, locale: Locale): Solution {
  const t = translator(locale);
  const ctx = context(input, separatorOf(t));
  const spec: SolutionSpec = solutions[cause];
  const focus = focusOf(cause, input);
  const key = focus ? `catalogue:solutions.${cause}.focus.${focus}` : `catalogue:solutions.${cause}`;
  const section = causes.find((c) => c.id === cause)?.section ?? '';
  return {
    cause,
    title: t(`${key}.title`),
    summary: t(`${key}.summary`, ctx.vars),
    steps: withCloudStep(
      orderedSteps(spec, focus).map((s) => bindStep(s, `solutions.${cause}.steps`, ctx, t)),
      ctx,
      t,
    ),
    endpoints: ctx.endpoints,
    links: [
      link('troubleshoot-access', locale, t, ctx.cloud, section),
      ...spec.docs.map((d: DocId) => link(d, locale, t, ctx.cloud)),
    ],
  };
}

/** What to run next when the cause is unclear: acrcheck's probe, check-health, check-acr, the login log. */
export function furtherDiagnosis(
  input: AdviceInput,
  locale: Locale,
): { title: string; steps: Step[]; links: Link[] } {
  const t = translator(locale);
  const ctx = context(input, separatorOf(t));
  return {
    title: t('catalogue:further.title'),
    steps: withCloudStep(
      further.steps.map((s: StepSpec) => bindStep(s, 'further.steps', ctx, t)),
      ctx,
      t,
    ),
    links: further.docs.map((d: DocId) => link(d, locale, t, ctx.cloud)),
  };
}

/** Documents that do not apply to a rate limit from one side. */
const offTopic: Record<'acr' | 'docker-hub', readonly DocId[]> = {
  acr: ['docker-hub-limits', 'import-images'],
  'docker-hub': ['skus'],
};

/** Where a rate limit came from, by the image that hit it: an Azure registry, Docker Hub, or not known. */
function limitedBy(input: AdviceInput): 'acr' | 'docker-hub' | null {
  const parts = input.image ? imageParts(input.image) : null;
  if (!parts) return null;
  if (parts.host !== null && classifyHost(parts.host) !== null) return 'acr';
  return isDockerHub(parts.host) ? 'docker-hub' : null;
}

/**
 * Advice for a recognized paste that is not an ACR network problem (sign-in, missing image, limits, other
 * registry), with the image the paste names filled into its commands. A rate limit from an Azure registry
 * or from Docker Hub gets only that one's advice.
 */
export function notNetworkAdvice(
  kind: NotNetworkKind,
  input: AdviceInput,
  locale: Locale,
): { title: string; text: string; links: Link[] } {
  const t = translator(locale);
  const ctx = context(input, separatorOf(t));
  const hub = kind === 'rate-limit' && limitedBy(input) === 'docker-hub';
  const vars = hub
    ? ctx.vars
    : {
        ...ctx.vars,
        ...(kind === 'rate-limit'
          ? { source: placeholders.hubSource, targetImage: placeholders.hubTarget }
          : {}),
      };
  const variant = kind === 'rate-limit' ? limitedBy(input) : null;
  const text = t(
    variant ? `catalogue:kinds.${kind}.variants.${variant}` : `catalogue:kinds.${kind}.text`,
    vars,
  );
  const cloud = ctx.cloud.id === defaultCloud ? '' : `${t('catalogue:cloud.line', ctx.vars)}\n`;
  const docIds: readonly DocId[] = kinds[kind].docs;
  return {
    title: t(`catalogue:kinds.${kind}.title`),
    text: `${cloud}${text}`,
    links: docIds
      .filter((d) => !(variant && offTopic[variant].includes(d)))
      .map((d) => link(d, locale, t, ctx.cloud)),
  };
}

/** A symptom's short title (what the user sees) and description (what it means, where it comes from). */
export function symptomText(id: SymptomId, locale: Locale): { title: string; description: string } {
  const t = translator(locale);
  return {
    title: t(`catalogue:symptoms.${id}.title`),
    description: t(`catalogue:symptoms.${id}.description`),
  };
}

/**
 * A cause's title and one-paragraph summary; with a focus its solution knows (see {@link adviceFocus}), the
 * cause as that focus puts it (an untrusted certificate is TLS inspection, not a blocked port).
 */
export function causeText(
  id: CauseId,
  locale: Locale,
  focus: FocusId | null = null,
): { title: string; summary: string } {
  const t = translator(locale);
  const spec: SolutionSpec = solutions[id];
  const key =
    focus && spec.focus?.[focus] ? `catalogue:causes.${id}.focus.${focus}` : `catalogue:causes.${id}`;
  return { title: t(`${key}.title`), summary: t(`${key}.summary`) };
}

/** The answer to a paste with nothing recognizable in it: what acrcheck knows and an example to try. */
export function unrecognizedAdvice(locale: Locale): UnrecognizedAdvice {
  const t = translator(locale);
  return {
    title: t('catalogue:unrecognized.title'),
    text: t('catalogue:unrecognized.text'),
    recognizes: t('catalogue:unrecognized.recognizes'),
    exampleIntro: t('catalogue:unrecognized.exampleIntro'),
    example: t('catalogue:unrecognized.example'),
  };
}

/** Every value name a catalogue template may use (for tests of the tables). */
export const knownTemplateValues: readonly string[] = [...templateVars, ...regionVars];

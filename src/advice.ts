/**
 * Binds the catalogue to one registry and one language: localized titles and steps, commands with the
 * registry's name, regions and client address filled in, the hosts a firewall must allow and doc links in
 * the user's language. Pure functions of their arguments; no I/O besides the (cached) locale files.
 */

import { isIP } from 'node:net';

import { causes } from './catalogue/causes';
import { clouds, type Cloud } from './catalogue/clouds';
import { docs, type DocId } from './catalogue/docs';
import { further } from './catalogue/further';
import { kinds } from './catalogue/kinds';
import {
  placeholders,
  regionVars,
  solutions,
  storageHosts,
  templateVars,
  type RegionVar,
  type StepSpec,
  type TemplateVar,
} from './catalogue/solutions';
import type { CauseId, NotNetworkKind, Registry, SymptomId } from './contract';
import { learnLocale, translator, type Locale, type Translate } from './i18n';
import { classifyHost, dataEndpoint, isRegionName } from './target';

/** What advice is bound to: the registry (null when the text named none), its regions and the client's address. */
export interface AdviceInput {
  registry: Registry | null;
  regions: string[];
  clientIp: string | null;
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

function context(input: AdviceInput): Context {
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
  const endpoints = [loginServer, ...dataEndpoints, ...(regions.length ? [] : [storage])];

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
      endpoints: endpoints.join(', '),
      dataEndpoints: dataEndpoints.join(', '),
      dataRecords: perRegion.map((r) => r.dataRecord).join(', '),
      regions: regions.length ? regions.join(', ') : placeholders.region,
      noProxy: [loginServer, ...dataEndpoints].join(','),
      regionFlags: regions.map((r) => ` --region ${r}`).join(''),
    },
    perRegion,
    known: { clientIp: clientIp !== null, regions: regions.length > 0 },
    endpoints,
  };
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

function link(id: DocId, locale: Locale, t: Translate, anchor = ''): Link {
  const doc = docById.get(id);
  if (!doc) throw new Error(`unknown doc ${id}`);
  const url =
    doc.site === 'learn' ? `https://learn.microsoft.com/${learnLocale(locale)}/${doc.path}` : doc.path;
  return { title: t(`catalogue:docs.${id}`), url: anchor ? `${url}#${anchor}` : url };
}

/**
 * The hosts a firewall or proxy must let through (HTTPS, port 443): the login server, then each regional data
 * endpoint; when no region is known, a `<region>` pattern for them and the cloud's blob storage wildcard.
 */
export function endpointsToAllow(input: AdviceInput): string[] {
  return context(input).endpoints;
}

/** The fix for `cause` as concrete steps for this registry, in `locale`. */
export function solutionFor(cause: CauseId, input: AdviceInput, locale: Locale): Solution {
  const t = translator(locale);
  const ctx = context(input);
  const spec = solutions[cause];
  const section = causes.find((c) => c.id === cause)?.section ?? '';
  return {
    cause,
    title: t(`catalogue:solutions.${cause}.title`),
    summary: t(`catalogue:solutions.${cause}.summary`, ctx.vars),
    steps: spec.steps.map((s: StepSpec) => bindStep(s, `solutions.${cause}.steps`, ctx, t)),
    endpoints: ctx.endpoints,
    links: [
      link('troubleshoot-access', locale, t, section),
      ...spec.docs.map((d: DocId) => link(d, locale, t)),
    ],
  };
}

/** What to run next when the cause is unclear: acrcheck's probe, check-health, check-acr, the login log. */
export function furtherDiagnosis(
  input: AdviceInput,
  locale: Locale,
): { title: string; steps: Step[]; links: Link[] } {
  const t = translator(locale);
  const ctx = context(input);
  return {
    title: t('catalogue:further.title'),
    steps: further.steps.map((s: StepSpec) => bindStep(s, 'further.steps', ctx, t)),
    links: further.docs.map((d: DocId) => link(d, locale, t)),
  };
}

/** Advice for a recognized paste that is not an ACR network problem (sign-in, missing image, limits, other registry). */
export function notNetworkAdvice(
  kind: NotNetworkKind,
  input: AdviceInput,
  locale: Locale,
): { title: string; text: string; links: Link[] } {
  const t = translator(locale);
  const ctx = context(input);
  return {
    title: t(`catalogue:kinds.${kind}.title`),
    text: t(`catalogue:kinds.${kind}.text`, ctx.vars),
    links: kinds[kind].docs.map((d: DocId) => link(d, locale, t)),
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

/** A cause's title and one-paragraph summary. */
export function causeText(id: CauseId, locale: Locale): { title: string; summary: string } {
  const t = translator(locale);
  return { title: t(`catalogue:causes.${id}.title`), summary: t(`catalogue:causes.${id}.summary`) };
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

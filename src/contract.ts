/**
 * The shapes promised in CONTRACT.md: identifiers, the diagnosis, the probe report.
 * Every stage (recognizer, probe, runners, cards, CLI) takes and returns these; nothing redefines them.
 */

/** Symptom ids (CONTRACT.md §1): the seed article's eleven, then the real-world signatures. */
export const symptomIds = [
  'dns-lookup',
  'client-timeout',
  'cli-cannot-connect',
  'azure-service-pull',
  'proxy-login-failed',
  'network-settings-save-failed',
  'portal-cli-management',
  'network-rules-change',
  'acr-tasks',
  'defender-scan',
  'private-endpoint-unreachable',
  'ip-denied',
  'tls-interception',
  'connection-refused',
  'no-route',
] as const;
export type SymptomId = (typeof symptomIds)[number];

/** Cause ids (CONTRACT.md §1): the seed article's four. */
export const causeIds = [
  'client-firewall',
  'registry-public-access',
  'vnet-config',
  'service-access',
] as const;
export type CauseId = (typeof causeIds)[number];

/** What a paste turned out to be. */
export const verdicts = ['network', 'not-network', 'unrecognized'] as const;
export type Verdict = (typeof verdicts)[number];

/** Why a recognized paste is not an ACR network problem. */
export const notNetworkKinds = ['auth', 'not-found', 'rate-limit', 'other-registry'] as const;
export type NotNetworkKind = (typeof notNetworkKinds)[number];

/** A registry as the user named it: the name, its login server and the data endpoints known so far. */
export interface Registry {
  name: string;
  loginServer: string;
  dataEndpoints: string[];
}

/** A symptom the recognizer matched, with the (redacted) line that matched it. */
export interface SymptomMatch {
  id: SymptomId;
  score: number;
  evidence: string;
}

/** A cause with its score, best first wherever a list of them appears. */
export interface CauseScore {
  id: CauseId;
  score: number;
}

/** Facts the recognizer pulled out of a paste besides the symptoms (not part of `diagnose --json`). */
export interface PasteFacts {
  /** Azure regions named by data endpoints or regional endpoints, e.g. `westeurope`. */
  regions: string[];
  /** The source address ACR reported in a `DENIED … client with IP '…'` answer. */
  clientIp: string | null;
  /** IP addresses seen in the paste (registry or proxy addresses), redaction applied. */
  ips: string[];
  /** TCP ports seen next to hosts or addresses. */
  ports: number[];
  /** HTTP status codes the paste reports. */
  statusCodes: number[];
  /** Hosts that are not Azure container registries but appear as the failing endpoint. */
  otherHosts: string[];
  /** For a `not-network` verdict, the (redacted, trimmed) line that showed its kind; null otherwise. */
  kindEvidence: string | null;
  /** The image reference the failure is about, as the paste names it (`redis:7.2`, `myreg.azurecr.io/app:1`). */
  image?: string | null;
  /** Regional endpoints of the registry the paste names (`<r>.<region>.geo.azurecr.io`), as they stand. */
  regionalEndpoints?: string[];
}

/** `acrcheck diagnose --json` (CONTRACT.md §2), plus the facts the cards use. */
export interface Diagnosis {
  verdict: Verdict;
  kind: NotNetworkKind | null;
  registry: Registry | null;
  symptoms: SymptomMatch[];
  causes: CauseScore[];
  facts?: PasteFacts;
}

/** Probe check ids; each is also the file name under `src/probe/checks/`. */
export const checkIds = ['dns', 'tcp', 'tls', 'challenge', 'token', 'data-endpoint', 'proxy'] as const;
export type CheckId = (typeof checkIds)[number];

export const checkStatuses = ['pass', 'warn', 'fail', 'skip'] as const;
export type CheckStatus = (typeof checkStatuses)[number];

/**
 * The id of a check in a report: one of {@link checkIds}, or, in a report from a runner newer than this
 * version, an id it does not know (CONTRACT.md grows by adding ids), shown as it is.
 */
export type ReportedCheckId = CheckId | (string & Record<never, never>);

/** One check against one host. `code` is a stable machine code (e.g. `ETIMEDOUT`, `NXDOMAIN`, `ACR_DENIED`). */
export interface CheckResult {
  id: ReportedCheckId;
  host: string;
  status: CheckStatus;
  ms: number;
  code?: string;
  detail: Record<string, unknown>;
}

/** A conclusion drawn from check results: a finding id (a locale key), its cause and its evidence. */
export interface Finding {
  id: string;
  cause: CauseId | null;
  host?: string;
  /** Values interpolated into the finding's sentence (addresses, issuer, client IP, times). */
  params: Record<string, string | number>;
  /** The raw fact that raised it, e.g. `tcp 127.0.0.9:443 timed out after 5000 ms`. */
  evidence: string;
}

/** A cause the probe concluded, with the ids of the findings that raised it. */
export interface ProbeCause extends CauseScore {
  findings: string[];
}

/** `acrcheck probe --json` (CONTRACT.md §2) and the runner protocol's report (§6). */
export interface ProbeReport {
  /** The job id, present when the report answers a runner job. */
  id?: string;
  target: Registry;
  runner: { name: string };
  checks: CheckResult[];
  verdict: 'healthy' | 'unhealthy';
  causes: ProbeCause[];
  /** One English sentence; cards and the localized report rebuild it from `findings`. */
  summary: string;
  findings?: Finding[];
}

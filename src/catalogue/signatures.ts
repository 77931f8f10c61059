/**
 * Recognition rules as pure data: literal needles matched case-insensitively on one normalized line
 * (`src/recognize/` is the one engine that reads them). Adding a symptom adds rows here, never code.
 *
 * A rule matches a line when one of its `needles` is on it, one of `with` too (when given) and none of
 * `without`. `word` asks for needles standing as whole words. Needles are written as tools print them,
 * in ASCII (the normalizer turns curly quotes and dashes into ASCII before matching).
 */
import type { CauseId, NotNetworkKind, SymptomId } from '../contract';

/** Facts that shift the ranking of causes without being a symptom on their own. */
export const hintIds = [
  'proxy',
  'private-endpoint',
  'vnet',
  'registry-firewall',
  'azure-service',
  'corporate-network',
  'private-ip',
  'private-dns-server',
  'private-dns-public',
  'client-ip-private',
  'client-ip-public',
  'data-path',
  'tasks-denied',
] as const;
export type HintId = (typeof hintIds)[number];

/**
 * A hint multiplies the score of each named cause by `1 + boost` (only causes the symptoms already raised).
 * `text` hints come from needles below; `fact` hints from what the extractor found (addresses, hosts);
 * `symptoms` hints from symptoms found together.
 */
export interface Hint {
  id: HintId;
  source: 'text' | 'fact' | 'symptoms';
  /** For `symptoms` hints: every one of these symptoms is in the diagnosis. */
  symptoms?: readonly SymptomId[];
  /** The hint does not apply when any of these is active (a stronger explanation of the same fact). */
  unless?: readonly HintId[];
  boost: Partial<Record<CauseId, number>>;
}

export const hints = [
  { id: 'proxy', source: 'text', boost: { 'client-firewall': 1 } },
  { id: 'private-endpoint', source: 'text', boost: { 'vnet-config': 1 } },
  { id: 'vnet', source: 'text', boost: { 'vnet-config': 0.5 } },
  { id: 'registry-firewall', source: 'text', boost: { 'registry-public-access': 0.8 } },
  { id: 'azure-service', source: 'text', boost: { 'service-access': 2 } },
  { id: 'corporate-network', source: 'text', boost: { 'client-firewall': 0.5 } },
  // A connection to a private address (a private endpoint, whatever the tool): the VNet path is involved.
  { id: 'private-ip', source: 'fact', boost: { 'vnet-config': 2 } },
  // A DNS server at a private address: every home, office and VNet resolver has one, so it says little.
  { id: 'private-dns-server', source: 'fact', boost: { 'vnet-config': 0.3 } },
  // The registry's privatelink name resolves to a public front end: a private endpoint this network's DNS
  // does not use. Opening public access would hide the fault and widen the registry's exposure.
  { id: 'private-dns-public', source: 'fact', boost: { 'vnet-config': 6 } },
  // ACR saw a private source address: a service endpoint without a matching network rule.
  { id: 'client-ip-private', source: 'fact', boost: { 'vnet-config': 4 } },
  {
    id: 'client-ip-public',
    source: 'fact',
    unless: ['private-dns-public'],
    boost: { 'registry-public-access': 0.5 },
  },
  // The login server answered but a data endpoint or storage did not: the firewall lacks the data FQDNs.
  // Not when the data endpoint's address is private: then its private endpoint's path is at fault.
  { id: 'data-path', source: 'fact', unless: ['private-ip'], boost: { 'client-firewall': 0.8 } },
  // An ACR Tasks agent refused by the registry's firewall: the agent's address is Azure's, not the user's.
  {
    id: 'tasks-denied',
    source: 'symptoms',
    symptoms: ['acr-tasks', 'ip-denied'],
    boost: { 'service-access': 3 },
  },
] as const satisfies readonly Hint[];

interface RuleBase {
  /** Stable rule id, kebab-case, unique. */
  id: string;
  needles: readonly string[];
  with?: readonly string[];
  without?: readonly string[];
  word?: boolean;
}

/**
 * A rule for a network symptom. `error` rules are specific error strings a tool prints about a
 * connection. `wrapper` rules are a tool's generic report of a failed connection that hides the cause
 * (`Could not connect to the registry login server`, `CONNECTIVITY_CHALLENGE_ERROR`): they count as
 * errors for the verdict but rank after any specific error. `context` rules name the situation (a
 * kubelet pull, an ACR Tasks run, plain-language descriptions): they never outweigh a not-network
 * finding. Only the strongest wrapper and the strongest context rule of a symptom count.
 */
export interface SymptomRule extends RuleBase {
  symptom: SymptomId;
  /**
   * The symptom instead, when the paste connects to a private address or names a private endpoint
   * (`no route to host` to 10.x is a private endpoint out of reach; to a public address, a client without a route).
   */
  privateSymptom?: SymptomId;
  role: 'error' | 'wrapper' | 'context';
  /** How sure a matching line makes us of the symptom, 0–1. */
  weight: number;
  kind?: never;
  hint?: never;
}

/** A rule for a finding that is not an ACR network problem. */
export interface KindRule extends RuleBase {
  kind: Exclude<NotNetworkKind, 'other-registry'>;
  weight: number;
  symptom?: never;
  hint?: never;
}

/** A rule that raises a hint. */
export interface HintRule extends RuleBase {
  hint: HintId;
  symptom?: never;
  kind?: never;
}

export type Signature = SymptomRule | KindRule | HintRule;

const proxyWords = ['proxyconnect', 'proxyerror', 'cannot connect to proxy'];
const failWords = [
  'cannot',
  "can't",
  'unable',
  'not able',
  'fail',
  'error',
  'nicht',
  'kein',
  'fehl',
  '無法',
  '失敗',
  '錯誤',
  '不能',
];

/** A certificate for other names than the host asked for (Go, Node.js, Python, .NET), in their words. */
export const nameMismatchNeedles = [
  'x509: certificate is valid for',
  'err_tls_cert_altname_invalid',
  "doesn't match either of",
  'certificate is not valid for',
  'remotecertificatenamemismatch',
] as const;

export const signatures = [
  // --- dns-lookup ---------------------------------------------------------------------------------
  {
    id: 'go-no-such-host',
    symptom: 'dns-lookup',
    role: 'error',
    weight: 0.92,
    needles: ['no such host'],
    without: proxyWords,
  },
  {
    id: 'go-server-misbehaving',
    symptom: 'dns-lookup',
    role: 'error',
    weight: 0.88,
    needles: ['server misbehaving'],
    without: proxyWords,
  },
  {
    id: 'go-dns-server-timeout',
    symptom: 'dns-lookup',
    role: 'error',
    weight: 0.88,
    needles: [':53: read udp', ':53: i/o timeout', ':53: dial udp'],
    without: proxyWords,
  },
  {
    id: 'go-lookup-timeout',
    symptom: 'dns-lookup',
    role: 'error',
    weight: 0.85,
    needles: ['i/o timeout'],
    with: ['lookup '],
    without: proxyWords,
  },
  {
    id: 'go-dial-lookup',
    symptom: 'dns-lookup',
    role: 'error',
    weight: 0.6,
    needles: ['dial tcp: lookup'],
    without: proxyWords,
  },
  {
    id: 'check-health-dns',
    symptom: 'dns-lookup',
    role: 'error',
    weight: 0.95,
    needles: ['connectivity_dns_error', 'failed to reach dns for registry'],
  },
  {
    id: 'canipull-dns',
    symptom: 'dns-lookup',
    role: 'error',
    weight: 0.9,
    needles: ['failed to resolve specified fqdn', 'dnsresolutionfailure'],
  },
  {
    id: 'canipull-dns-check',
    symptom: 'dns-lookup',
    role: 'error',
    weight: 0.9,
    needles: ['checking host name resolution'],
    with: ['failed'],
  },
  {
    id: 'glibc-no-name',
    symptom: 'dns-lookup',
    role: 'error',
    weight: 0.88,
    needles: ['name or service not known', 'nodename nor servname provided'],
    without: proxyWords,
  },
  {
    id: 'glibc-temporary-failure',
    symptom: 'dns-lookup',
    role: 'error',
    weight: 0.85,
    needles: ['temporary failure in name resolution'],
    without: proxyWords,
  },
  {
    id: 'windows-no-such-host',
    symptom: 'dns-lookup',
    role: 'error',
    weight: 0.88,
    needles: [
      'getaddrinfo failed',
      'no such host is known',
      'non-existent domain',
      'temporary error during hostname resolution',
    ],
    without: proxyWords,
  },
  // Test-NetConnection: `WARNING: Name resolution of myreg.azurecr.io failed`.
  {
    id: 'test-netconnection-name',
    symptom: 'dns-lookup',
    role: 'error',
    weight: 0.85,
    needles: ['name resolution of '],
    with: ['failed'],
  },
  {
    id: 'node-enotfound',
    symptom: 'dns-lookup',
    role: 'error',
    weight: 0.9,
    needles: ['enotfound', 'eai_again'],
  },
  {
    id: 'curl-resolve-host',
    symptom: 'dns-lookup',
    role: 'error',
    weight: 0.9,
    needles: ['could not resolve host', 'resolving timed out'],
  },
  {
    id: 'nslookup-nxdomain',
    symptom: 'dns-lookup',
    role: 'error',
    weight: 0.8,
    needles: ['nxdomain', "server can't find"],
  },
  {
    id: 'java-unknown-host',
    symptom: 'dns-lookup',
    role: 'error',
    weight: 0.88,
    needles: ['unknownhostexception'],
  },
  {
    id: 'azureml-resolve-registry',
    symptom: 'dns-lookup',
    role: 'error',
    weight: 0.9,
    needles: ['unable to resolve container registry'],
  },
  {
    id: 'dns-described',
    symptom: 'dns-lookup',
    role: 'context',
    weight: 0.5,
    needles: [
      'dns resolution',
      'name resolution',
      'cannot resolve',
      "can't resolve",
      'unable to resolve',
      'does not resolve',
      "doesn't resolve",
      'namensauflösung',
      'dns-auflösung',
      'nicht aufgelöst',
      'nicht auflösen',
      '無法解析',
      '名稱解析',
      'dns 解析',
    ],
  },

  // --- client-timeout -----------------------------------------------------------------------------
  {
    id: 'go-client-timeout',
    symptom: 'client-timeout',
    role: 'error',
    weight: 0.95,
    needles: ['client.timeout exceeded while awaiting headers'],
  },
  {
    id: 'go-request-canceled',
    symptom: 'client-timeout',
    role: 'error',
    weight: 0.92,
    needles: ['request canceled while waiting for connection'],
  },
  {
    id: 'go-io-timeout',
    symptom: 'client-timeout',
    role: 'error',
    weight: 0.88,
    needles: ['i/o timeout'],
    without: ['lookup ', ...proxyWords],
  },
  {
    id: 'go-tls-handshake-timeout',
    symptom: 'client-timeout',
    role: 'error',
    weight: 0.9,
    needles: ['tls handshake timeout'],
    without: proxyWords,
  },
  {
    id: 'go-deadline',
    symptom: 'client-timeout',
    role: 'error',
    weight: 0.8,
    needles: ['context deadline exceeded'],
    without: proxyWords,
  },
  {
    id: 'go-header-timeout',
    symptom: 'client-timeout',
    role: 'error',
    weight: 0.88,
    needles: ['timeout awaiting response headers'],
  },
  {
    id: 'os-timed-out',
    symptom: 'client-timeout',
    role: 'error',
    weight: 0.88,
    needles: ['connection timed out', 'operation timed out'],
    without: proxyWords,
  },
  {
    id: 'python-timeout',
    symptom: 'client-timeout',
    role: 'error',
    weight: 0.85,
    needles: ['connecttimeout', 'read timed out', 'readtimeouterror'],
    without: proxyWords,
  },
  {
    id: 'node-timeout',
    symptom: 'client-timeout',
    role: 'error',
    weight: 0.88,
    needles: ['etimedout', 'und_err_connect_timeout', 'und_err_headers_timeout'],
  },
  {
    id: 'node-abort-timeout',
    symptom: 'client-timeout',
    role: 'error',
    weight: 0.7,
    needles: ['the operation was aborted due to timeout'],
  },
  {
    id: 'windows-timeout',
    symptom: 'client-timeout',
    role: 'error',
    weight: 0.88,
    needles: ['did not properly respond after a period of time', 'httpclient.timeout'],
  },
  {
    id: 'containerd-no-progress',
    symptom: 'client-timeout',
    role: 'error',
    weight: 0.7,
    needles: ['cancel pulling image'],
    with: ['no progress'],
  },
  {
    id: 'timeout-described',
    symptom: 'client-timeout',
    role: 'context',
    weight: 0.5,
    word: true,
    needles: ['timeout', 'timed out', 'times out', 'zeitüberschreitung', 'zeitlimit', '逾時', '超時'],
    // Settings and flags (`timeout=10`, `--timeout 30s`) are not failures.
    without: ['timeout=', '--timeout', 'timeout:'],
  },

  // PowerShell's Test-NetConnection: `WARNING: TCP connect to (10.40.1.6 : 443) failed`, `TcpTestSucceeded : False`.
  {
    id: 'test-netconnection-failed',
    symptom: 'client-timeout',
    privateSymptom: 'private-endpoint-unreachable',
    role: 'error',
    weight: 0.8,
    needles: ['tcp connect to ('],
    with: ['failed'],
  },
  {
    id: 'test-netconnection-result',
    symptom: 'client-timeout',
    privateSymptom: 'private-endpoint-unreachable',
    role: 'error',
    weight: 0.75,
    needles: ['tcptestsucceeded'],
    with: [': false'],
  },

  // --- cli-cannot-connect -------------------------------------------------------------------------
  {
    id: 'az-could-not-connect',
    symptom: 'cli-cannot-connect',
    role: 'wrapper',
    weight: 0.8,
    needles: ['could not connect to the registry login server'],
  },
  {
    id: 'check-health-challenge',
    symptom: 'cli-cannot-connect',
    role: 'wrapper',
    weight: 0.75,
    needles: ['connectivity_challenge_error', 'did not issue a challenge'],
  },
  {
    id: 'check-health-www-authenticate',
    symptom: 'cli-cannot-connect',
    role: 'wrapper',
    weight: 0.7,
    needles: [
      'connectivity_www_authenticate_error',
      'did not ask properly for a basic or a bearer authentication',
    ],
  },
  {
    id: 'python-max-retries',
    symptom: 'cli-cannot-connect',
    role: 'wrapper',
    weight: 0.5,
    needles: ['max retries exceeded with url'],
  },
  {
    id: 'az-login-described',
    symptom: 'cli-cannot-connect',
    role: 'context',
    weight: 0.5,
    needles: ['az acr login'],
    with: failWords,
  },

  // --- azure-service-pull -------------------------------------------------------------------------
  {
    id: 'kubelet-pull',
    symptom: 'azure-service-pull',
    role: 'context',
    weight: 0.6,
    needles: [
      'failed to pull image',
      'errimagepull',
      'imagepullbackoff',
      'back-off pulling image',
      'failed to pull and unpack image',
    ],
  },
  {
    id: 'app-service-pull',
    symptom: 'azure-service-pull',
    role: 'context',
    weight: 0.65,
    needles: [
      'image pull failed',
      'dockerapiexception',
      'over vnet failed',
      'imagepullfailure',
      'pull image threw exception',
    ],
  },
  {
    id: 'aci-inaccessible-image',
    symptom: 'azure-service-pull',
    role: 'context',
    weight: 0.65,
    needles: ['inaccessibleimage', 'registryerrorresponse'],
  },
  {
    id: 'aci-not-accessible',
    symptom: 'azure-service-pull',
    role: 'context',
    weight: 0.65,
    needles: ['in container group'],
    with: ['is not accessible'],
  },
  {
    id: 'azureml-pull',
    symptom: 'azure-service-pull',
    role: 'context',
    weight: 0.65,
    needles: [
      'failedpullingimage',
      'unable to pull docker image',
      'run docker command to pull',
      'azuremlcompute job failed',
      'job environment preparation failed',
    ],
  },
  {
    id: 'service-pull-described',
    symptom: 'azure-service-pull',
    role: 'context',
    weight: 0.5,
    word: true,
    needles: [
      'aks',
      'kubernetes',
      'kubelet',
      'app service',
      'web app',
      'webapp',
      'container instances',
      'container apps',
      'azureml',
      'azure ml',
      'aci',
    ],
    with: ['pull', 'ziehen', '提取', '拉取', '拉不'],
  },

  // --- proxy-login-failed -------------------------------------------------------------------------
  {
    id: 'go-proxyconnect',
    symptom: 'proxy-login-failed',
    role: 'error',
    weight: 0.95,
    needles: ['proxyconnect tcp'],
  },
  {
    id: 'docker-login-attempt-forbidden',
    symptom: 'proxy-login-failed',
    role: 'error',
    weight: 0.9,
    needles: ['login attempt to', 'login attempt failed'],
    with: ['status: 403', 'status: 407'],
  },
  {
    id: 'python-proxy-error',
    symptom: 'proxy-login-failed',
    role: 'error',
    weight: 0.92,
    needles: ['tunnel connection failed', 'cannot connect to proxy', 'proxyerror'],
  },
  {
    id: 'proxy-auth-required',
    symptom: 'proxy-login-failed',
    role: 'error',
    weight: 0.92,
    needles: ['proxy authentication required'],
  },
  // Go's transport reports a refused CONNECT with the bare status text after the URL.
  {
    id: 'go-connect-forbidden',
    symptom: 'proxy-login-failed',
    role: 'error',
    weight: 0.7,
    needles: ['": forbidden'],
  },
  {
    id: 'curl-proxy',
    symptom: 'proxy-login-failed',
    role: 'error',
    weight: 0.9,
    needles: ['from proxy after connect', 'connect tunnel failed', 'could not resolve proxy'],
  },
  {
    id: 'squid-error',
    symptom: 'proxy-login-failed',
    role: 'error',
    weight: 0.75,
    needles: ['x-squid-error'],
  },
  {
    id: 'proxy-described',
    symptom: 'proxy-login-failed',
    role: 'context',
    weight: 0.5,
    word: true,
    needles: ['proxy', 'proxyserver', '代理伺服器'],
    with: ['403', '407', 'login', 'anmeld', 'block', '登入', ...failWords],
    // check-health's own question after a TLS failure.
    without: ['are you using a proxy server'],
  },

  // --- network-settings-save-failed ---------------------------------------------------------------
  {
    id: 'portal-save-firewall',
    symptom: 'network-settings-save-failed',
    role: 'error',
    weight: 0.98,
    needles: ['failed to save firewall and virtual network settings'],
  },
  {
    id: 'save-described',
    symptom: 'network-settings-save-failed',
    role: 'context',
    weight: 0.6,
    needles: [
      'firewall',
      'network settings',
      'networking settings',
      'netzwerkeinstellungen',
      '防火牆',
      '網路設定',
    ],
    with: ['save', 'speicher', '儲存', '保存'],
  },

  // --- portal-cli-management ----------------------------------------------------------------------
  {
    id: 'portal-described',
    symptom: 'portal-cli-management',
    role: 'context',
    weight: 0.55,
    word: true,
    needles: ['portal', 'azure-portal', '入口網站'],
    with: [
      'access denied',
      'not allowed',
      'no access',
      'kein zugriff',
      'keinen zugriff',
      '拒絕',
      '沒有權限',
      ...failWords,
    ],
  },
  {
    id: 'az-acr-data-commands',
    symptom: 'portal-cli-management',
    role: 'context',
    weight: 0.45,
    needles: ['az acr repository', 'az acr manifest', 'az acr show-usage', 'az acr import'],
  },

  // --- network-rules-change -----------------------------------------------------------------------
  {
    id: 'arm-public-access-sku',
    symptom: 'network-rules-change',
    role: 'error',
    weight: 0.9,
    needles: ['disablingpublicnetworkaccessnotsupported', 'disabling public network access is not supported'],
  },
  {
    id: 'arm-sku-not-supported',
    symptom: 'network-rules-change',
    role: 'error',
    weight: 0.75,
    needles: ['is not supported for the sku'],
  },
  {
    id: 'arm-network-rule-validation',
    symptom: 'network-rules-change',
    role: 'error',
    weight: 0.88,
    needles: ['networkrulevalidationerror', 'could not validate network rule'],
  },
  {
    id: 'arm-subnet-service-endpoint',
    symptom: 'network-rules-change',
    role: 'error',
    weight: 0.85,
    needles: ['do not have serviceendpoints for microsoft.containerregistry', 'taggedtrafficconsumers'],
  },
  {
    id: 'arm-provider-not-registered',
    symptom: 'network-rules-change',
    role: 'error',
    weight: 0.8,
    needles: [
      'is not registered to use namespace',
      'missingsubscriptionregistration',
      'resourceprovidernotregistered',
    ],
    with: ['microsoft.containerregistry'],
  },
  {
    id: 'arm-network-rule-code',
    symptom: 'network-rules-change',
    role: 'error',
    weight: 0.7,
    needles: ['(featurenotsupported)', '(invalidvirtualnetworkrule)', 'invalidvirtualnetworkrule'],
    with: ['network', 'subnet', 'firewall', 'public', 'iprule', 'ip rule', 'private'],
  },
  {
    id: 'az-network-rule-commands',
    symptom: 'network-rules-change',
    role: 'context',
    weight: 0.5,
    needles: [
      'az acr network-rule',
      '--public-network-enabled',
      '--default-action',
      'az acr private-endpoint-connection',
    ],
  },
  {
    id: 'network-rules-described',
    symptom: 'network-rules-change',
    role: 'context',
    weight: 0.5,
    needles: [
      'network rule',
      'firewall rule',
      'ip rule',
      'public access',
      'public network access',
      'netzwerkregel',
      'firewallregel',
      'ip-regel',
      'öffentlichen zugriff',
      '網路規則',
      'ip 規則',
      '公用存取',
      '公用網路存取',
    ],
    // Changing the rules is the situation; a rule merely mentioned beside a failure is not.
    with: [
      'add',
      'change',
      'update',
      'remove',
      'delete',
      'configure',
      'hinzufüg',
      'änder',
      'entfern',
      'konfigurier',
      'einricht',
      '新增',
      '變更',
      '修改',
      '移除',
      '設定',
    ],
  },

  // --- acr-tasks ----------------------------------------------------------------------------------
  {
    id: 'tasks-login-retries',
    symptom: 'acr-tasks',
    role: 'context',
    weight: 0.55,
    needles: ['failed to login, ran out of retries'],
  },
  // A failed run on its own says nothing about the network: too weak for a verdict, context for one.
  {
    id: 'tasks-run-failed',
    symptom: 'acr-tasks',
    role: 'context',
    weight: 0.45,
    needles: ['run id:'],
    with: ['failed after', 'failed during run'],
  },
  {
    id: 'tasks-log-markers',
    symptom: 'acr-tasks',
    role: 'context',
    weight: 0.45,
    needles: [
      'failed to run step id',
      'container failed during run',
      'acb_step_',
      'acb_vol_',
      'acb_default_network',
      'queued a build with id',
      'queued a run with id',
      'waiting for an agent',
    ],
  },
  {
    id: 'tasks-sending-context',
    symptom: 'acr-tasks',
    role: 'context',
    weight: 0.45,
    needles: ['sending context'],
    with: ['to registry'],
  },
  {
    id: 'tasks-described',
    symptom: 'acr-tasks',
    role: 'context',
    weight: 0.5,
    needles: ['acr task', 'acr-task', 'az acr build', 'az acr run', 'acr-aufgabe', 'acr 工作', 'acr工作'],
    with: ['push', 'pull', 'login', 'denied', 'timeout', '推送', '提取', ...failWords],
  },

  // --- defender-scan ------------------------------------------------------------------------------
  {
    id: 'defender-recommendation-unscanned',
    symptom: 'defender-scan',
    role: 'context',
    weight: 0.65,
    needles: [
      'vulnerabilities in azure container registry images should be remediated',
      'container images in azure registry should have vulnerability findings resolved',
      'azure registry container images should have vulnerabilities resolved',
      'container registry images should have vulnerability findings resolved',
    ],
    with: [
      'not applicable',
      'unverified',
      'no results',
      'not scanned',
      'unable to scan',
      'nicht anwendbar',
      '不適用',
    ],
  },
  {
    id: 'defender-described',
    symptom: 'defender-scan',
    role: 'context',
    weight: 0.6,
    needles: [
      'defender',
      'qualys',
      'vulnerability assessment',
      'vulnerability scan',
      'image scan',
      'schwachstellenbewertung',
      'sicherheitsrisikobewertung',
      'überprüfung von images',
      '弱點評定',
      '弱點評估',
      '弱點掃描',
      '映像掃描',
    ],
    with: [
      'no result',
      'no vulnerability',
      'no scan',
      'no findings',
      'no assessment',
      'not scan',
      'cannot scan',
      "can't scan",
      'unable to scan',
      'missing',
      'not show',
      'not applicable',
      'unverified',
      'keine ergebnisse',
      'nicht gescannt',
      'nicht überprüf',
      'nicht angezeigt',
      'kann keine',
      '沒有結果',
      '無結果',
      '無法掃描',
      '沒有掃描',
      '沒有顯示',
    ],
  },

  // --- private-endpoint-unreachable ---------------------------------------------------------------
  {
    id: 'host-not-reachable',
    symptom: 'private-endpoint-unreachable',
    role: 'error',
    weight: 0.9,
    needles: ['host is not reachable'],
  },
  {
    id: 'no-route',
    symptom: 'no-route',
    privateSymptom: 'private-endpoint-unreachable',
    role: 'error',
    weight: 0.72,
    needles: [
      'no route to host',
      'host is unreachable',
      'ehostunreach',
      'network is unreachable',
      'enetunreach',
      'unreachable host',
      'unreachable network',
    ],
    without: proxyWords,
  },
  {
    id: 'private-endpoint-described',
    symptom: 'private-endpoint-unreachable',
    role: 'context',
    weight: 0.55,
    needles: [
      'private endpoint',
      'private link',
      'private endpunkt',
      'privater endpunkt',
      'privaten endpunkt',
      '私人端點',
      '私有端點',
    ],
    with: [
      'unreachable',
      'not reachable',
      'cannot reach',
      "can't reach",
      'cannot connect',
      "can't connect",
      'nicht erreichbar',
      'keine verbindung',
      '無法連線',
      '無法連接',
      '無法存取',
    ],
  },

  // --- ip-denied ----------------------------------------------------------------------------------
  {
    id: 'acr-denied-client-ip',
    symptom: 'ip-denied',
    role: 'error',
    weight: 0.97,
    needles: ['client with ip', 'is not allowed access'],
  },
  {
    id: 'acr-firewall-link',
    symptom: 'ip-denied',
    role: 'error',
    weight: 0.85,
    needles: ['aka.ms/acr/firewall'],
  },
  {
    id: 'check-health-forbidden',
    symptom: 'ip-denied',
    role: 'error',
    weight: 0.9,
    needles: ['connectivity_forbidden_error', "looks like you don't have access to registry"],
  },
  {
    id: 'az-response-403',
    symptom: 'ip-denied',
    role: 'error',
    weight: 0.75,
    needles: ['response code: 403'],
  },
  {
    id: 'containerd-token-forbidden',
    symptom: 'ip-denied',
    role: 'error',
    weight: 0.82,
    needles: ['failed to fetch anonymous token', 'failed to fetch oauth token', 'failed to authorize'],
    with: ['403'],
  },
  {
    id: 'app-service-denied',
    symptom: 'ip-denied',
    role: 'error',
    weight: 0.6,
    needles: ['"message":"denied"', '"message": "denied"'],
  },
  {
    id: 'http-403',
    symptom: 'ip-denied',
    role: 'error',
    weight: 0.55,
    needles: ['403 forbidden', 'status: 403', 'status code 403', 'statuscode=403'],
    without: ['proxy', 'login attempt', 'tunnel'],
  },

  // --- tls-interception ---------------------------------------------------------------------------
  {
    id: 'go-unknown-authority',
    symptom: 'tls-interception',
    role: 'error',
    weight: 0.95,
    needles: ['certificate signed by unknown authority'],
  },
  {
    id: 'verify-failed',
    symptom: 'tls-interception',
    role: 'error',
    weight: 0.88,
    needles: ['tls: failed to verify certificate', 'certificate_verify_failed', 'certificate verify failed'],
  },
  {
    id: 'self-signed-chain',
    symptom: 'tls-interception',
    role: 'error',
    weight: 0.9,
    needles: [
      'self-signed certificate',
      'self signed certificate',
      'self_signed_cert_in_chain',
      'depth_zero_self_signed_cert',
    ],
  },
  {
    id: 'missing-issuer',
    symptom: 'tls-interception',
    role: 'error',
    weight: 0.88,
    needles: [
      'unable to get local issuer certificate',
      'unable_to_get_issuer_cert_locally',
      'unable to verify the first certificate',
      'unable_to_verify_leaf_signature',
    ],
  },
  {
    id: 'java-pkix',
    symptom: 'tls-interception',
    role: 'error',
    weight: 0.9,
    needles: ['pkix path building failed', 'unable to find valid certification path'],
  },
  {
    id: 'dotnet-untrusted',
    symptom: 'tls-interception',
    role: 'error',
    weight: 0.85,
    needles: ['the remote certificate is invalid', 'untrustedroot', 'remotecertificatechainerrors'],
  },
  {
    id: 'check-health-ssl',
    symptom: 'tls-interception',
    role: 'error',
    weight: 0.88,
    needles: ['connectivity_ssl_error', 'unable to establish a secure connection to the registry'],
  },
  {
    id: 'name-mismatch',
    symptom: 'tls-interception',
    role: 'error',
    weight: 0.65,
    needles: nameMismatchNeedles,
  },
  {
    id: 'certificate-expired',
    symptom: 'tls-interception',
    role: 'error',
    weight: 0.6,
    needles: [
      'certificate has expired',
      'cert_has_expired',
      'certificate is not yet valid',
      'cert_not_yet_valid',
    ],
  },
  {
    id: 'non-tls-peer',
    symptom: 'tls-interception',
    role: 'error',
    weight: 0.6,
    needles: [
      'first record does not look like a tls handshake',
      'wrong version number',
      'wrong_version_number',
      'server gave http response to https client',
    ],
    without: proxyWords,
  },

  // --- connection-refused -------------------------------------------------------------------------
  {
    id: 'refused',
    symptom: 'connection-refused',
    role: 'error',
    weight: 0.9,
    needles: ['connection refused', 'econnrefused', 'actively refused'],
    without: proxyWords,
  },
  {
    id: 'reset',
    symptom: 'connection-refused',
    role: 'error',
    weight: 0.85,
    needles: [
      'connection reset by peer',
      'econnreset',
      'connectionreseterror',
      'forcibly closed by the remote host',
      'socket disconnected before secure tls connection was established',
      'ssl_error_syscall',
    ],
    without: proxyWords,
  },
  {
    id: 'tls-handshake-failure',
    symptom: 'connection-refused',
    role: 'error',
    weight: 0.75,
    needles: ['remote error: tls: handshake failure'],
  },
  {
    id: 'go-eof',
    symptom: 'connection-refused',
    role: 'error',
    weight: 0.6,
    needles: ['": eof'],
    without: proxyWords,
  },
  {
    id: 'curl-could-not-connect',
    symptom: 'connection-refused',
    role: 'error',
    weight: 0.65,
    needles: ["couldn't connect to server"],
  },

  // --- auth ---------------------------------------------------------------------------------------
  {
    id: 'acr-unauthorized',
    kind: 'auth',
    weight: 0.9,
    needles: ['authentication required'],
    without: ['proxy authentication required'],
  },
  {
    id: 'http-401',
    kind: 'auth',
    weight: 0.85,
    needles: [
      '401 unauthorized',
      'status: 401',
      'response code: 401',
      'status code 401',
      'statuscode=401',
      '"code":"unauthorized"',
    ],
  },
  {
    id: 'bad-credentials',
    kind: 'auth',
    weight: 0.85,
    needles: [
      'incorrect username or password',
      'invalid username/password',
      'no basic auth credentials',
      'admin user is disabled',
      'unable to authenticate using aad or admin login credentials',
      'insufficient_scope',
      'requested access to the resource is denied',
    ],
  },
  { id: 'pull-access-denied', kind: 'auth', weight: 0.75, needles: ['pull access denied'] },
  { id: 'bare-unauthorized', kind: 'auth', weight: 0.6, word: true, needles: ['unauthorized'] },
  {
    id: 'aad-login',
    kind: 'auth',
    weight: 0.7,
    needles: ['aadsts', 'connectivity_aad_login_error', 'does not support aad login'],
  },
  {
    id: 'az-login-needed',
    kind: 'auth',
    weight: 0.7,
    needles: ["please run 'az login'", 'access token has expired', 'refresh token has expired'],
  },
  {
    id: 'check-health-token',
    kind: 'auth',
    weight: 0.5,
    needles: ['connectivity_refresh_token_error', 'connectivity_access_token_error'],
  },
  {
    id: 'arm-authorization-failed',
    kind: 'auth',
    weight: 0.7,
    needles: ['authorizationfailed', 'does not have authorization to perform action'],
  },
  {
    id: 'tasks-not-permitted',
    kind: 'auth',
    weight: 0.75,
    needles: ['tasksoperationsnotallowed', 'acr tasks requests for the registry'],
  },

  // --- not-found ----------------------------------------------------------------------------------
  {
    id: 'manifest-unknown',
    kind: 'not-found',
    weight: 0.92,
    needles: ['manifest unknown', 'manifest_unknown', 'manifest tagged by'],
  },
  {
    id: 'name-unknown',
    kind: 'not-found',
    weight: 0.9,
    needles: ['name unknown', 'name_unknown', 'repository name not known to registry'],
  },
  {
    id: 'containerd-not-found',
    kind: 'not-found',
    weight: 0.88,
    needles: [': not found'],
    with: ['failed to resolve reference'],
  },
  {
    id: 'docker-manifest-not-found',
    kind: 'not-found',
    weight: 0.88,
    needles: ['manifest for'],
    with: ['not found'],
  },
  { id: 'tag-missing', kind: 'not-found', weight: 0.7, needles: ['tag does not exist', 'no such image'] },
  { id: 'repository-missing', kind: 'not-found', weight: 0.6, needles: ['repository does not exist'] },
  // Helm and ORAS: `Error: <reference>: not found`.
  {
    id: 'reference-not-found',
    kind: 'not-found',
    weight: 0.7,
    needles: [': not found'],
    with: ['error', 'failed'],
    without: ['command not found', 'no such file'],
  },
  { id: 'platform-missing', kind: 'not-found', weight: 0.85, needles: ['no match for platform in manifest'] },
  {
    id: 'arm-not-found',
    kind: 'not-found',
    weight: 0.7,
    needles: ['resourcenotfound', 'could not be found in subscription'],
  },

  // --- rate-limit ---------------------------------------------------------------------------------
  {
    id: 'too-many-requests',
    kind: 'rate-limit',
    weight: 0.95,
    needles: [
      'toomanyrequests',
      'too many requests',
      'you have reached your pull rate limit',
      'pull rate limit',
      'response code: 429',
      'status: 429',
      'pull qps exceeded',
    ],
  },
  {
    id: 'rate-limit-described',
    kind: 'rate-limit',
    weight: 0.6,
    needles: ['rate limit', 'ratelimit', 'throttl'],
  },

  // --- hints --------------------------------------------------------------------------------------
  {
    id: 'proxy-mentioned',
    hint: 'proxy',
    needles: [
      'proxy',
      'zscaler',
      'squid',
      'bluecoat',
      'netskope',
      'forcepoint',
      'websense',
      '代理伺服器',
      'ssl inspection',
      'tls inspection',
      'ssl-inspection',
      'tls-inspection',
    ],
  },
  {
    id: 'private-endpoint-mentioned',
    hint: 'private-endpoint',
    needles: [
      'privatelink',
      'private endpoint',
      'private link',
      'private-endpoint',
      'private endpunkt',
      'privater endpunkt',
      'privaten endpunkt',
      '私人端點',
      '私有端點',
      'private dns',
      'privates dns',
      '--vnet',
    ],
  },
  {
    id: 'vnet-mentioned',
    hint: 'vnet',
    word: true,
    needles: [
      'vnet',
      'virtual network',
      'virtuelles netzwerk',
      'virtuellen netzwerk',
      '虛擬網路',
      'subnet',
      'peering',
      'nsg',
      'network security group',
      'udr',
      'route table',
      'azure firewall',
      '168.63.129.16',
      'coredns',
      'kube-dns',
      'custom dns',
      'service endpoint',
      'dienstendpunkt',
    ],
  },
  {
    id: 'registry-firewall-mentioned',
    hint: 'registry-firewall',
    needles: [
      'selected networks',
      'ausgewählte netzwerke',
      'ausgewählten netzwerken',
      '選取的網路',
      'public network access',
      'publicnetworkaccess',
      'public-network-enabled',
      'networkruleset',
      'iprules',
      'ip rules',
      'network-rule',
      'default-action',
      'öffentlichen netzwerkzugriff',
      'ip-regel',
      'ip-regeln',
      '公用網路存取',
      'ip 規則',
    ],
  },
  {
    id: 'azure-service-mentioned',
    hint: 'azure-service',
    needles: [
      'app service',
      'web app',
      'webapp',
      'azurewebsites',
      'container instances',
      'container instance',
      'container-instanz',
      'containerinstanz',
      'container apps',
      'azure machine learning',
      'azureml',
      'defender',
      'trusted services',
      'trusted microsoft services',
      'vertrauenswürdige',
      '受信任的',
      'allowtrustedservices',
      'network-rule-bypass-options',
      'acr task',
      'az acr build',
      'az acr run',
      'agent pool',
      'agentpool',
      // Log lines only App Service, Container Instances and Azure Machine Learning print.
      'dockerapiexception',
      'image pull failed',
      'inaccessibleimage',
      'failedpullingimage',
      'azuremlcompute',
    ],
  },
  {
    id: 'corporate-network-mentioned',
    hint: 'corporate-network',
    word: true,
    needles: ['corporate', 'on-prem', 'on-premises', 'firmennetz', 'unternehmensnetz', 'vpn', '公司網路'],
  },
] as const satisfies readonly Signature[];

/** When several not-network kinds match and none is stronger, the earlier kind wins (most specific first). */
export const kindPriority = ['rate-limit', 'not-found', 'auth'] as const satisfies readonly NotNetworkKind[];

/** What a non-registry host means when it appears in a paste. The longest matching suffix decides. */
export type HostRole = 'other-registry' | 'acr-storage' | 'azure' | 'doc';

/** Host suffixes with a known role. Azure registry suffixes are never listed here: `src/target.ts` owns them. */
export const hostRoles = [
  { suffix: 'docker.io', role: 'other-registry' },
  { suffix: 'registry.hub.docker.com', role: 'other-registry' },
  { suffix: 'production.cloudflare.docker.com', role: 'other-registry' },
  { suffix: 'ghcr.io', role: 'other-registry' },
  { suffix: 'pkg-containers.githubusercontent.com', role: 'other-registry' },
  { suffix: 'docker.pkg.github.com', role: 'other-registry' },
  { suffix: 'mcr.microsoft.com', role: 'other-registry' },
  { suffix: 'quay.io', role: 'other-registry' },
  { suffix: 'gcr.io', role: 'other-registry' },
  { suffix: 'pkg.dev', role: 'other-registry' },
  { suffix: 'registry.k8s.io', role: 'other-registry' },
  { suffix: 'amazonaws.com', role: 'other-registry' },
  { suffix: 'ecr.aws', role: 'other-registry' },
  { suffix: 'nvcr.io', role: 'other-registry' },
  { suffix: 'jfrog.io', role: 'other-registry' },
  { suffix: 'registry.gitlab.com', role: 'other-registry' },
  { suffix: 'icr.io', role: 'other-registry' },
  { suffix: 'ocir.io', role: 'other-registry' },
  { suffix: 'cgr.dev', role: 'other-registry' },
  { suffix: 'registry.redhat.io', role: 'other-registry' },
  { suffix: 'registry.access.redhat.com', role: 'other-registry' },
  { suffix: 'docker.elastic.co', role: 'other-registry' },
  { suffix: 'blob.core.windows.net', role: 'acr-storage' },
  { suffix: 'blob.core.chinacloudapi.cn', role: 'acr-storage' },
  { suffix: 'blob.core.usgovcloudapi.net', role: 'acr-storage' },
  { suffix: 'azure.com', role: 'azure' },
  { suffix: 'azure.net', role: 'azure' },
  { suffix: 'azure.cn', role: 'azure' },
  { suffix: 'windows.net', role: 'azure' },
  { suffix: 'chinacloudapi.cn', role: 'azure' },
  { suffix: 'usgovcloudapi.net', role: 'azure' },
  { suffix: 'microsoftonline.com', role: 'azure' },
  { suffix: 'azcr.io', role: 'azure' },
  { suffix: 'trafficmanager.net', role: 'azure' },
  { suffix: 'azurewebsites.net', role: 'azure' },
  { suffix: 'azureedge.net', role: 'azure' },
  { suffix: 'microsoft.com', role: 'doc' },
  { suffix: 'aka.ms', role: 'doc' },
  { suffix: 'docker.com', role: 'doc' },
  { suffix: 'github.com', role: 'doc' },
  { suffix: 'stackoverflow.com', role: 'doc' },
  { suffix: 'skype.com', role: 'doc' },
] as const satisfies readonly { suffix: string; role: HostRole }[];

/** First labels that stand for a registry name someone masked (`redacted.azurecr.io`). */
export const maskedLabels = [
  'redacted',
  'masked',
  'hidden',
  'removed',
  'anonymized',
  'yourregistry',
  'your-registry',
  'registryname',
  'registry-name',
  'yourregistryname',
  'your-registry-name',
  'acrname',
  'acr-name',
  'myacrname',
  'xxxx',
] as const;

/** Text right before a host name that makes it the endpoint that failed (`lookup quay.io: …`). */
export const failingHostPrefixes = [
  'lookup ',
  'enotfound ',
  "host='",
  'host: ',
  'resolve host: ',
  "can't find ",
  'eai_again ',
  'image "',
  "image '",
  'pinging container registry ',
  'connect to ',
  'registry: ',
] as const;

/**
 * Text right before an image reference (`docker pull redis:7.2`, `FROM mcr.microsoft.com/…`, kubelet's
 * `image "…"`, podman's `docker://…`, BuildKit's `metadata for …`). Only references with a tag, a digest
 * or a registry host count, so `pull access denied` or `from the registry` name no image.
 */
export const imagePrefixes = ['pull ', 'from ', 'image "', "image '", 'docker://', 'metadata for '] as const;

/** Host names of Docker Hub's registry, which image references without a host also mean. */
export const dockerHubHosts = [
  'docker.io',
  'index.docker.io',
  'registry-1.docker.io',
  'registry.hub.docker.com',
] as const;

/**
 * Labels that make the address after them a machine's own rather than one it connected to: `kubectl describe`'s
 * `Node: aks-…/10.224.0.5` and `IP: 10.244.1.7`, Test-NetConnection's `SourceAddress : 192.168.10.55`.
 */
export const ownAddressLabels = ['node:', 'ip:', 'ips:', 'pod ip', 'podip', 'host ip', 'hostip'] as const;
/** Words anywhere shortly before an address that make it a connection's source. */
export const sourceAddressWords = ['source', 'src=', 'local address'] as const;
/** Azure's DNS and metadata address: only reachable from inside an Azure virtual network. */
export const azureDnsAddress = '168.63.129.16';

/** Paths that make `https://host/…` a registry API call (so the host is a registry that failed). */
export const registryApiPaths = ['/v2', '/oauth2', '/token', '/service/token', '/v1/'] as const;

/** HTTP reason phrases that identify a status code written without the word "status". */
export const httpReasons = [
  { code: 400, phrase: 'bad request' },
  { code: 401, phrase: 'unauthorized' },
  { code: 403, phrase: 'forbidden' },
  { code: 404, phrase: 'not found' },
  { code: 407, phrase: 'proxy authentication required' },
  { code: 429, phrase: 'too many requests' },
  { code: 500, phrase: 'internal server error' },
  { code: 502, phrase: 'bad gateway' },
  { code: 503, phrase: 'service unavailable' },
  { code: 504, phrase: 'gateway timeout' },
] as const satisfies readonly { code: number; phrase: string }[];

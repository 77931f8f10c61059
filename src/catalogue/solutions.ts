/**
 * The fix for each cause as concrete steps. A step's text is the locale key
 * `catalogue:solutions.<cause>.steps.<step>` (or `….known` / `….unknown` when it varies with a fact);
 * its commands are templates that `src/advice.ts` fills in. Commands are never translated.
 */

import type { CauseId, SymptomId } from '../contract';
import type { clouds } from './clouds';
import type { DocId } from './docs';
import { nameMismatchNeedles } from './signatures';

/**
 * Values a template may name as `{{var}}`. Lists are joined for text (`endpoints`, `dataEndpoints`,
 * `dataRecords`, `regions`) with the language's separator and comma-joined for `noProxy`; `regionFlags` is
 * ` --region R` per region; `target` is what to hand acrcheck's probe (the login server, or the name
 * placeholder); `cloud` is the registry's cloud as `az cloud set` names it. `source`, `targetImage` and
 * `repository` come from the image the paste names (placeholders when it names none).
 */
export const templateVars = [
  'name',
  'target',
  'loginServer',
  'label',
  'suffix',
  'privateZone',
  'storage',
  'clientIp',
  'endpoints',
  'dataEndpoints',
  'dataRecords',
  'regions',
  'noProxy',
  'regionFlags',
  'cloud',
  'source',
  'targetImage',
  'repository',
] as const;
export type TemplateVar = (typeof templateVars)[number];

/** Per-region values: a command naming one of them is repeated once for each region of the registry. */
export const regionVars = ['region', 'dataEndpoint', 'dataRecord'] as const;
export type RegionVar = (typeof regionVars)[number];

/** A fact a step's wording depends on: the text key gets `.known` or `.unknown` appended. */
export type StepFact = 'clientIp' | 'regions';

/**
 * What a fix concentrates on when the leading symptom says more than its cause: an untrusted certificate
 * (TLS inspection), a certificate for other names (the name leads somewhere else), no route to the address.
 */
export const focusIds = ['tls-untrusted', 'tls-mismatch', 'no-route'] as const;
export type FocusId = (typeof focusIds)[number];

/** Which leading symptom (and, where given, which words in its evidence) sets a focus; the first rule that fits wins. */
export const focusRules = [
  { focus: 'tls-mismatch', symptom: 'tls-interception', evidence: nameMismatchNeedles },
  { focus: 'tls-untrusted', symptom: 'tls-interception' },
  { focus: 'no-route', symptom: 'no-route' },
] as const satisfies readonly { focus: FocusId; symptom: SymptomId; evidence?: readonly string[] }[];

export interface StepSpec {
  id: string;
  commands: readonly string[];
  variesWith?: StepFact;
  /** Shown only in these focuses (a step that helps with nothing else). */
  only?: readonly FocusId[];
}

/**
 * A cause's fix. `focus` lists, per focus, the steps that come first; such a focus also has its own title
 * and summary (`catalogue:solutions.<cause>.focus.<focus>.title|summary`) and its own cause text
 * (`catalogue:causes.<cause>.focus.<focus>.title|summary`).
 */
export interface SolutionSpec {
  steps: readonly StepSpec[];
  docs: readonly DocId[];
  focus?: Partial<Record<FocusId, readonly string[]>>;
}

/** An Azure cloud's id in `clouds`. */
export type CloudId = (typeof clouds)[number]['id'];

/** Where layers come from when a registry has no dedicated data endpoints: the cloud's blob storage. */
export const storageHosts = {
  AzureCloud: '*.blob.core.windows.net',
  AzureChinaCloud: '*.blob.core.chinacloudapi.cn',
  AzureUSGovernment: '*.blob.core.usgovcloudapi.net',
  AzureGermanCloud: '*.blob.core.cloudapi.de',
  USNat: '*.blob.core.eaglex.ic.gov',
  USSec: '*.blob.core.microsoft.scloud',
} as const satisfies Record<CloudId, string>;

/** Placeholders for what acrcheck cannot know; shown as-is in commands for the user to replace. */
export const placeholders = {
  name: '<registry-name>',
  region: '<region>',
  clientIp: '<your-egress-ip>',
  privateZone: '<private-dns-zone>',
  repository: '<repository>',
  importSource: '<registry>/<repository>:<tag>',
  importTarget: '<repository>:<tag>',
  hubSource: 'docker.io/library/<image>:<tag>',
  hubTarget: '<image>:<tag>',
} as const;

/** The public cloud's name for `az cloud set`: registries there need no step to choose their cloud. */
export const defaultCloud = 'AzureCloud';

const curlStatus = 'curl -sS -o /dev/null -w "%{http_code}\\n"';

/** The steps for every cause. */
export const solutions = {
  'client-firewall': {
    steps: [
      {
        id: 'name-mismatch',
        only: ['tls-mismatch'],
        commands: [
          'nslookup {{loginServer}}',
          'grep -i {{loginServer}} /etc/hosts',
          'Select-String -Path C:\\Windows\\System32\\drivers\\etc\\hosts -Pattern {{loginServer}}',
          'openssl s_client -connect {{loginServer}}:443 -servername {{loginServer}} </dev/null 2>/dev/null | openssl x509 -noout -subject -issuer -ext subjectAltName',
        ],
      },
      {
        id: 'routes',
        only: ['no-route'],
        commands: [
          'getent ahosts {{loginServer}}',
          'ip route show default',
          'ip -6 route show default',
          `${curlStatus} -4 https://{{loginServer}}/v2/`,
        ],
      },
      { id: 'allow-hosts', variesWith: 'regions', commands: ['az acr show-endpoints --name {{name}}'] },
      {
        id: 'storage',
        commands: [
          'az acr show --name {{name}} --query dataEndpointEnabled',
          'az acr update --name {{name}} --data-endpoint-enabled true',
        ],
      },
      { id: 'service-tags', commands: [] },
      {
        id: 'test-path',
        commands: [`${curlStatus} https://{{loginServer}}/v2/`, `${curlStatus} https://{{dataEndpoint}}/`],
      },
      {
        id: 'docker-proxy',
        commands: [
          'sudo systemctl daemon-reload',
          'sudo systemctl restart docker',
          'sudo systemctl show --property=Environment docker',
        ],
      },
      {
        id: 'tls-inspection',
        commands: [
          'openssl s_client -connect {{loginServer}}:443 -servername {{loginServer}} -showcerts </dev/null',
        ],
      },
      { id: 'no-proxy', commands: ['export NO_PROXY="$NO_PROXY,{{noProxy}}"'] },
      {
        id: 'login-events',
        commands: [
          [
            'ContainerRegistryLoginEvents',
            '| where TimeGenerated > ago(1d) and LoginServer =~ "{{loginServer}}"',
            '| summarize attempts = count() by CallerIpAddress, ResultDescription',
          ].join('\n'),
        ],
      },
    ],
    docs: [
      'firewall-access-rules',
      'dedicated-data-endpoints',
      'docker-proxy',
      'geo-replication',
      'monitor-service',
    ],
    focus: {
      'tls-untrusted': ['tls-inspection'],
      'tls-mismatch': ['name-mismatch', 'tls-inspection'],
      'no-route': ['routes'],
    },
  },
  'registry-public-access': {
    steps: [
      {
        id: 'check-rules',
        commands: [
          'az acr show --name {{name}} --query "{publicNetworkAccess: publicNetworkAccess, defaultAction: networkRuleSet.defaultAction, ipRules: networkRuleSet.ipRules}"',
        ],
      },
      {
        id: 'allow-ip',
        variesWith: 'clientIp',
        commands: ['az acr network-rule add --name {{name}} --ip-address {{clientIp}}'],
      },
      {
        id: 'open-public',
        commands: [
          'az acr update --name {{name}} --public-network-enabled true',
          'az acr update --name {{name}} --default-action Allow',
        ],
      },
      { id: 'other-paths', commands: [] },
    ],
    docs: ['selected-networks', 'private-link', 'vnet-service-endpoint'],
  },
  'vnet-config': {
    steps: [
      {
        id: 'endpoint-kind',
        commands: [
          'az acr private-endpoint-connection list --registry-name {{name}} --output table',
          'az acr network-rule list --name {{name}}',
        ],
      },
      {
        id: 'approve',
        commands: [
          'az acr private-endpoint-connection approve --registry-name {{name}} --name <connection-name>',
        ],
      },
      { id: 'resolve', commands: ['nslookup {{loginServer}}', 'nslookup {{dataEndpoint}}'] },
      {
        id: 'zone',
        commands: [
          'az network private-dns zone show --resource-group <resource-group> --name {{privateZone}}',
          'az network private-dns link vnet list --resource-group <resource-group> --zone-name {{privateZone}} --output table',
          'az network private-dns record-set a list --resource-group <resource-group> --zone-name {{privateZone}} --output table',
        ],
      },
      {
        id: 'check-health',
        commands: ['az acr check-health --name {{name}} --vnet <vnet-name-or-id> --ignore-errors --yes'],
      },
      { id: 'custom-dns', commands: ['nslookup {{loginServer}} 168.63.129.16'] },
      {
        id: 'nsg',
        commands: [
          'az network watcher test-connectivity --resource-group <resource-group> --source-resource <vm-name-or-id> --dest-address {{loginServer}} --dest-port 443',
        ],
      },
      { id: 'firewall-egress', commands: [] },
      { id: 'service-endpoint', commands: ['az acr network-rule add --name {{name}} --subnet <subnet-id>'] },
      {
        id: 'other-subscription',
        commands: [
          'az provider register --namespace Microsoft.ContainerRegistry --subscription <vnet-subscription-id>',
        ],
      },
    ],
    docs: [
      'private-link',
      'private-endpoint-dns',
      'private-endpoint-troubleshoot',
      'vnet-service-endpoint',
      'service-tags',
      'aks-egress',
      'kubernetes-dns-debugging',
      'resource-providers',
    ],
  },
  'service-access': {
    steps: [
      { id: 'affected', commands: [] },
      {
        id: 'trusted-services',
        commands: [
          'az acr update --name {{name}} --allow-trusted-services true',
          'az acr show --name {{name}} --query networkRuleBypassOptions',
        ],
      },
      {
        id: 'agent-pool',
        commands: [
          'az acr agentpool create --registry {{name}} --name <pool-name> --tier S1 --subnet-id <subnet-id>',
          'az acr build --registry {{name}} --agent-pool <pool-name> --image <image>:<tag> .',
        ],
      },
      { id: 'lift', commands: ['az acr update --name {{name}} --default-action Allow'] },
    ],
    docs: ['trusted-services', 'tasks-agent-pools', 'selected-networks', 'private-link'],
  },
} as const satisfies Record<CauseId, SolutionSpec>;

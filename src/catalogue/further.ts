/**
 * Further diagnosis: what to run when the cause is still unclear, first acrcheck's own probe, then the Azure
 * CLI's checks and the registry's login log. Text keys are `catalogue:further.steps.<id>`.
 */

import type { DocId } from './docs';
import type { StepSpec } from './solutions';

/** Failed sign-ins from the registry's resource logs (columns of the ContainerRegistryLoginEvents table). */
export const loginFailuresQuery = [
  'ContainerRegistryLoginEvents',
  '| where TimeGenerated > ago(7d) and LoginServer =~ "{{loginServer}}"',
  '| where ResultDescription != "200"',
  '| project TimeGenerated, Identity, CallerIpAddress, ResultDescription, UserAgent',
  '| order by TimeGenerated desc',
].join('\n');

export const further = {
  steps: [
    { id: 'probe', commands: ['/acrcheck {{target}}', 'acrcheck probe {{target}}{{regionFlags}}'] },
    { id: 'check-health', commands: ['az acr check-health --name {{name}} --ignore-errors --yes'] },
    {
      id: 'check-health-vnet',
      commands: ['az acr check-health --name {{name}} --vnet <vnet-name-or-id> --ignore-errors --yes'],
    },
    {
      id: 'aks',
      commands: [
        'az aks check-acr --resource-group <resource-group> --name <aks-cluster> --acr {{loginServer}}',
      ],
    },
    { id: 'login-events', commands: [loginFailuresQuery] },
    { id: 'login-note', commands: [] },
  ],
  docs: [
    'check-health',
    'health-error-reference',
    'monitor-service',
    'troubleshoot-login',
    'troubleshoot-access',
  ],
} as const satisfies { steps: readonly StepSpec[]; docs: readonly DocId[] };

import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';

import { parse } from 'yaml';

import { childEnv } from './checkout';
import { workflowPath } from './github-fake';

/** One step of the committed workflow. */
export interface WorkflowStep {
  name?: string;
  uses?: string;
  run?: string;
  shell?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}

/** The committed workflow, parsed. */
export interface Workflow {
  on: { workflow_dispatch: { inputs: Record<string, unknown> } };
  permissions?: Record<string, string>;
  jobs: Record<string, { 'runs-on': string; steps: WorkflowStep[] }>;
}

export function readWorkflow(): Workflow {
  return parse(readFileSync(workflowPath, 'utf8')) as Workflow;
}

/** The step that probes and posts the report. */
export function probeStep(workflow = readWorkflow()): WorkflowStep {
  const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
  const step = steps.find((s) => s.run?.includes('acrcheck-probe.sh'));
  if (!step) throw new Error('the workflow has no step that runs .github/scripts/acrcheck-probe.sh');
  return step;
}

/** What a run of the workflow is given: the dispatch inputs, the repository's secrets and variables. */
export interface RunContext {
  inputs: Record<string, string>;
  secrets: Record<string, string>;
  vars: Record<string, string>;
}

/**
 * Evaluates a step's `env:` the way Actions does for the only expressions we allow there: a whole value
 * `${{ inputs.X }}`, `${{ secrets.X }}` or `${{ vars.X }}` (unset secrets and variables are empty strings).
 */
export function stepEnv(step: WorkflowStep, context: RunContext): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(step.env ?? {})) {
    const expression = /^\$\{\{\s*(inputs|secrets|vars)\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/.exec(
      String(value),
    );
    if (!expression) {
      if (String(value).includes('${{')) throw new Error(`env ${name}: unsupported expression ${value}`);
      env[name] = String(value);
      continue;
    }
    const [, scope, key] = expression as unknown as [string, keyof RunContext, string];
    env[name] = context[scope][key] ?? '';
  }
  return env;
}

/** The outcome of the step. */
export interface StepResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the probe step's `run:` with bash in `checkout`, with the step's env and `machine` (what the runner
 * machine's environment holds, e.g. `RUNNER_OS` and the probe's loopback DNS settings).
 */
export function runProbeStep(
  checkout: string,
  context: RunContext,
  machine: Record<string, string>,
): Promise<StepResult> {
  const step = probeStep();
  const env = childEnv({ RUNNER_OS: 'Linux', ...machine, ...stepEnv(step, context) });
  return new Promise((resolve) => {
    // `shell: bash` in Actions is `bash --noprofile --norc -eo pipefail {0}`.
    execFile(
      'bash',
      ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run ?? ''],
      { cwd: checkout, env, timeout: 60_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Reads a Dockerfile the way the tests need it: stages, their instructions, and the pruning command. */

/** One instruction: `RUN`, `COPY`… and its arguments, continuation lines joined. */
export interface Instruction {
  op: string;
  args: string;
}

/** A `FROM … AS name` stage and its instructions. */
export interface Stage {
  name: string | null;
  base: string;
  instructions: Instruction[];
}

/** Splits a Dockerfile into stages of instructions, continuation lines joined, comments dropped. */
export function dockerStages(text: string): Stage[] {
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
export function effective(stages: Stage[], stage: Stage): Instruction[] {
  const parent = stages.find((s) => s.name === stage.base);
  return [...(parent ? effective(stages, parent) : []), ...stage.instructions];
}

/** The arguments of the last `op` instruction. */
export const last = (instructions: Instruction[], op: string): string | undefined =>
  instructions.filter((i) => i.op === op).pop()?.args;

/** The `find node_modules … -delete` that prunes the production dependencies after `npm ci`, or null. */
export function pruneCommand(stages: Stage[]): string | null {
  for (const stage of stages) {
    for (const { op, args } of stage.instructions) {
      if (op !== 'RUN') continue;
      const part = args.split('&&').find((p) => /^\s*find node_modules\b.*-delete\s*$/.test(p));
      if (part) return part.trim();
    }
  }
  return null;
}

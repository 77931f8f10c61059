import { readFile } from 'node:fs/promises';

import { solutionFor } from '../advice';
import { loadProbeSettings, parseDnsServer } from '../config';
import type { ProbeReport } from '../contract';
import { AcrcheckError, isAcrcheckError, refusalMessage } from '../errors';
import { translator, type Locale } from '../i18n';
import { checkName, findingSeverity, renderFinding } from '../probe/assess';
import { probe } from '../probe';
import { jobLimits } from '../runners/job';
import { classifyHost, namedRegions, parseRegistry } from '../target';
import { badUsage, parseFlags, reportLocale, write, type CliIo, type Command } from './io';
import { pushCauses, pushLinks, pushSteps } from './report-text';

const timeoutRange = { min: 100, max: 120_000 } as const;
const marks = { problem: '✗', notice: '!', ok: '✓' } as const;

/** Columns as wide as a terminal shows them (CJK characters take two cells). */
function width(text: string): number {
  return [...text].reduce(
    (w, ch) =>
      w +
      (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(
        ch,
      )
        ? 2
        : 1),
    0,
  );
}

function pad(text: string, to: number): string {
  return text + ' '.repeat(Math.max(0, to - width(text)));
}

/** The localized, readable report: checks, findings, verdict, causes and the fix for the likeliest cause. */
export function renderReport(report: ProbeReport, locale: Locale): string {
  const t = translator(locale);
  const lines: string[] = [
    t('probe:report.title', { host: report.target.loginServer, runner: report.runner.name }),
    '',
  ];
  lines.push(t('probe:report.checks'));
  const rows = report.checks.map((c) => {
    const after =
      typeof c.detail.after === 'string'
        ? t('probe:report.after', { check: checkName(c.detail.after, t) })
        : '';
    const via =
      c.detail.via === 'proxy' && typeof c.detail.proxy === 'string'
        ? t('probe:report.via', { proxy: c.detail.proxy })
        : '';
    return [
      t(`probe:status.${c.status}`),
      checkName(c.id, t),
      c.host,
      `${c.ms} ms`,
      [c.code, after, via].filter(Boolean).join(' '),
    ];
  });
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => width(r[i] ?? ''))));
  for (const row of rows) {
    lines.push(
      `  ${row
        .slice(0, 4)
        .map((cell, i) =>
          i === 3 ? ' '.repeat((widths[i] ?? 0) - width(cell)) + cell : pad(cell, widths[i] ?? 0),
        )
        .join('  ')}  ${row[4]}`.trimEnd(),
    );
  }
  lines.push('', t('probe:report.findings'));
  const findings = report.findings ?? [];
  if (!findings.length) lines.push(`  ${t('probe:report.noFindings')}`);
  for (const f of findings) lines.push(`  ${marks[findingSeverity(f.id)]} ${renderFinding(f, locale)}`);
  lines.push('', t('probe:report.verdict', { verdict: t(`probe:verdict.${report.verdict}`) }));
  if (report.causes.length) {
    lines.push('', t('probe:report.causes'));
    pushCauses(lines, report.causes, locale);
    const top = report.causes[0];
    if (top) {
      const regions = report.target.dataEndpoints.flatMap((h) => classifyHost(h)?.region ?? []);
      const clientIp = findings.find((f) => typeof f.params.clientIp === 'string')?.params.clientIp;
      const solution = solutionFor(
        top.id,
        { registry: report.target, regions, clientIp: typeof clientIp === 'string' ? clientIp : null },
        locale,
      );
      lines.push('', t('probe:report.fix', { title: solution.title }), `  ${solution.summary}`);
      pushSteps(lines, solution.steps);
      if (solution.endpoints.length)
        lines.push('', t('probe:report.allow'), ...solution.endpoints.map((e) => `  ${e}`));
      pushLinks(lines, t('diagnose:links'), solution.links, t);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Runs `parse`; a refused target is refused again in the reader's language (`errors:ACRCHECK_NOT_ACR_HOST.<reason>`). */
function inLanguage<T>(locale: Locale, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (!isAcrcheckError(err) || err.code !== 'ACRCHECK_NOT_ACR_HOST') throw err;
    throw new AcrcheckError(err.code, refusalMessage(err, locale), err.params, { cause: err });
  }
}

/**
 * `acrcheck probe <registry> [--json] [--region R]... [--dns-server HOST[:PORT]]... [--ca-file PEM] [--timeout MS]`
 * (CONTRACT.md §2), plus `--locale`. Defaults come from the probe variables only (`loadProbeSettings`: a bad bot
 * variable in the shell does not stop a probe); flags override.
 */
export const probeCommand: Command = {
  usage: [
    'acrcheck probe <registry> [--json] [--region R]... [--dns-server HOST[:PORT]]... [--ca-file PEM] [--timeout MS] [--locale en|de|zh-TW]',
  ],
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseFlags({
      args,
      options: {
        json: { type: 'boolean' },
        region: { type: 'string', multiple: true },
        'dns-server': { type: 'string', multiple: true },
        'ca-file': { type: 'string' },
        timeout: { type: 'string' },
        locale: { type: 'string' },
      },
      allowPositionals: true,
    });
    if (positionals.length !== 1) badUsage('probe takes exactly one registry: a name or a login server');
    const locale = reportLocale(values.locale, io.env);
    const registry = inLanguage(locale, () =>
      parseRegistry(positionals[0] ?? '', namedRegions(values.region ?? [], jobLimits.maxRegions)),
    );

    const env = { ...io.env };
    if (values['dns-server']) {
      for (const server of values['dns-server']) {
        if (!parseDnsServer(server))
          badUsage(`--dns-server ${server} is not an IP address with an optional port (e.g. 10.0.0.10:53)`);
      }
      env.ACRCHECK_DNS_SERVERS = values['dns-server'].join(',');
    }
    const caFile = values['ca-file'];
    if (caFile !== undefined) {
      const text = await readFile(caFile, 'utf8').catch((err: NodeJS.ErrnoException) => {
        throw new AcrcheckError(
          'ACRCHECK_BAD_FILE',
          `--ca-file ${caFile} cannot be read (${err.code ?? err.message})`,
          {
            file: caFile,
            detail: err.code ?? err.message,
          },
        );
      });
      if (!text.includes('-----BEGIN CERTIFICATE-----')) {
        throw new AcrcheckError('ACRCHECK_BAD_FILE', `--ca-file ${caFile} holds no PEM certificate`, {
          file: caFile,
          detail: 'no PEM certificate',
        });
      }
      env.ACRCHECK_CA_FILE = caFile;
    }
    if (values.timeout !== undefined) {
      const ms = Number(values.timeout);
      if (!/^\d+$/.test(values.timeout) || ms < timeoutRange.min || ms > timeoutRange.max) {
        badUsage(
          `--timeout ${values.timeout} is not a number of milliseconds between ${timeoutRange.min} and ${timeoutRange.max}`,
        );
      }
      env.ACRCHECK_PROBE_TIMEOUT_MS = values.timeout;
    }
    const settings = loadProbeSettings(env);
    const report = await probe(registry, { ...settings, runnerName: 'local', env: io.env });
    await write(
      io.stdout,
      values.json ? `${JSON.stringify(report, null, 2)}\n` : renderReport(report, locale),
    );
    return 0;
  },
};

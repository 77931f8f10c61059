import { causeText, type Link, type Step } from '../advice';
import type { FocusId } from '../catalogue/solutions';
import type { CauseScore } from '../contract';
import { translator, type Locale, type Translate } from '../i18n';

/** A score from 0 to 1 as the readable reports show it: a whole percentage (`60%`). */
export function percent(score: number, t: Translate): string {
  return t('diagnose:percent', { value: Math.round(score * 100) });
}

/** Ranked causes, each as `1. <title> (60%)` with its summary beneath (as `focus` puts it, when given). */
export function pushCauses(
  lines: string[],
  causes: readonly CauseScore[],
  locale: Locale,
  focus: FocusId | null = null,
): void {
  const t = translator(locale);
  causes.forEach((c, i) => {
    const text = causeText(c.id, locale, focus);
    lines.push(`  ${t('diagnose:cause', { rank: i + 1, title: text.title, score: percent(c.score, t) })}`);
    lines.push(`     ${text.summary}`);
  });
}

/** Numbered steps, each command under its step as `$ command`, a command's further lines indented beneath it. */
export function pushSteps(lines: string[], steps: readonly Step[]): void {
  steps.forEach((step, i) => {
    lines.push(`  ${i + 1}. ${step.text}`);
    for (const command of step.commands) {
      const [first = '', ...rest] = command.split('\n');
      lines.push(`       $ ${first}`, ...rest.map((line) => `         ${line}`));
    }
  });
}

/** Links under a heading, one `- title: url` a line in the language of `t` (`diagnose:link`); nothing when there are none. */
export function pushLinks(lines: string[], heading: string, links: readonly Link[], t: Translate): void {
  if (!links.length) return;
  lines.push('', heading);
  for (const link of links) lines.push(`  - ${t('diagnose:link', { title: link.title, url: link.url })}`);
}

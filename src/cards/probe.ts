import type { Translate } from '../i18n';
import { bind, buttonViews, type Button, type Card } from './bind';

/** Adaptive Card text colours (Teams' host config names them so). */
export type TextColor = 'Default' | 'Good' | 'Attention' | 'Warning' | 'Accent';

/** A sentence and the raw fact behind it (shown in monospace; empty when there is none). Neither is Markdown. */
export interface EvidenceLine {
  text: string;
  evidence: string;
}

/** One host a runner probed, and its checks on one line, each with its status, code and time. */
export interface HostChecks {
  /** Only letters, digits, dots and hyphens: it is shown in Markdown. */
  host: string;
  checks: string;
}

/** One runner's section: who it is, where it stands, why, and its checks (behind the card's toggle). */
export interface RunnerSection {
  /** The runner's name on the card (`local`, `vnet-prod`, `github`). */
  title: string;
  /** What it is, and the name it reports when that differs; plain text. */
  label: string;
  /** Probing, healthy, unhealthy, or why it could not report. */
  state: string;
  color: TextColor;
  /** The likely cause (Teams Markdown), or empty. */
  cause: string;
  lines: EvidenceLine[];
  hosts: HostChecks[];
}

/** What the probe card shows: the registry, where the probe stands, what differs, and each runner. */
export interface ProbeModel {
  registry: string;
  status: string;
  statusColor: TextColor;
  comparisons: EvidenceLine[];
  runners: RunnerSection[];
  buttons: Button[];
}

/** Binds `cards/probe.json`. Each runner's checks are one container the "Checks" toggle opens. */
export function probeCard(model: ProbeModel, t: Translate): Card {
  const runners = model.runners.map((runner, i) => ({
    ...runner,
    checksId: `checks-${i}`,
    hosts: runner.hosts.map((h) => ({ line: `**${h.host}** · ${h.checks}` })),
  }));
  return bind('probe', {
    heading: t('probe-card:heading'),
    registry: model.registry,
    status: model.status,
    statusColor: model.statusColor,
    comparisons: model.comparisons,
    runners,
    checksIds: runners.filter((r) => r.hosts.length > 0).map((r) => r.checksId),
    labels: { compare: t('probe-card:compare'), checks: t('probe-card:buttons.checks') },
    buttons: buttonViews(model.buttons),
  });
}

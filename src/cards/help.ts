import type { Translate } from '../i18n';
import { bind, buttonViews, type Button, type Card } from './bind';

/** What the help card shows; the welcome card is the same card with a greeting. */
export interface HelpModel {
  welcome: boolean;
  /** A paste to show as an example (an error line, not prose). */
  example: string;
  /** Each command's usage line, e.g. `acrcheck <registry> [region …]`, and its locale key under `cards:help.commands`. */
  commands: { usage: string; key: string }[];
  buttons: Button[];
}

/** A usage line with its placeholders (the word after `<` or `[`) in the reader's language: `acrcheck <Registry>`. */
function localUsage(usage: string, t: Translate): string {
  return usage.replace(/(?<=[<[])[a-z]+/g, (word) => t(`cards:help.placeholders.${word}`));
}

/** Binds `cards/help.json`. */
export function helpCard(model: HelpModel, t: Translate): Card {
  return bind('help', {
    title: model.welcome ? t('cards:help.welcomeTitle') : t('cards:help.title'),
    intro: t('cards:help.intro'),
    paste: t('cards:help.paste'),
    example: model.example,
    commands: model.commands.map((c) => ({
      usage: localUsage(c.usage, t),
      description: t(`cards:help.commands.${c.key}`),
    })),
    mention: t('cards:help.mention'),
    languages: t('cards:help.languages'),
    labels: { paste: t('cards:help.pasteLabel'), commands: t('cards:help.commandsLabel') },
    buttons: buttonViews(model.buttons),
  });
}

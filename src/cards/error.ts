import type { Translate } from '../i18n';
import { bind, type Card } from './bind';

/** The kinds of refusal a user can meet; each has a title and a hint under `cards:error.<kind>`. */
export const errorKinds = ['registry', 'too-large', 'bad-action', 'internal'] as const;
export type ErrorKind = (typeof errorKinds)[number];

/** What the error card shows: a refusal in plain words. `message` may quote user input and is shown without Markdown. */
export interface ErrorModel {
  kind: ErrorKind;
  message: string;
}

/** Binds `cards/error.json`. */
export function errorCard(model: ErrorModel, t: Translate): Card {
  return bind('error', {
    title: t(`cards:error.${model.kind}.title`),
    message: model.message,
    hint: t(`cards:error.${model.kind}.hint`),
  });
}

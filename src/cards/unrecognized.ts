import type { UnrecognizedAdvice } from '../advice';
import type { Translate } from '../i18n';
import { bind, buttonViews, type Button, type Card } from './bind';

/** What the unrecognized card shows: what acrcheck can recognize and an example paste. */
export interface UnrecognizedModel extends UnrecognizedAdvice {
  buttons: Button[];
}

/** Binds `cards/unrecognized.json`. All its text comes with the model. */
export function unrecognizedCard(model: UnrecognizedModel, _t: Translate): Card {
  return bind('unrecognized', { ...model, buttons: buttonViews(model.buttons) });
}

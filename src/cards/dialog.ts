import { bind, type Card } from './bind';

type Element = Record<string, unknown>;

/** What a dialog (Teams task module) around a card shows: who wrote the message, and a button that shares the card. */
export interface DialogModel {
  /** The card to show, already read-only (see {@link readOnly}). */
  card: Card;
  /** "Message from …", shown without Markdown; empty when the author is unknown. */
  from: string;
  /** The `Action.Submit` that shares the card, with the hint above it; null when there is nothing to share. */
  share: { title: string; hint: string; data: Record<string, unknown> } | null;
}

const isElement = (value: unknown): value is Element =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Container-like properties whose arrays hold elements (`columns` holds columns, which hold `items`). */
const elementLists = ['items', 'columns'] as const;

function strip(elements: readonly unknown[]): Element[] {
  const kept: Element[] = [];
  for (const element of elements) {
    if (!isElement(element)) continue;
    const type = String(element.type ?? '');
    if (type.startsWith('Input.')) continue;
    const copy: Element = { ...element };
    if (isElement(copy.selectAction) && copy.selectAction.type === 'Action.Execute') delete copy.selectAction;
    if (type === 'ActionSet') {
      const actions = (Array.isArray(copy.actions) ? copy.actions : []).filter(
        (a) => !isElement(a) || a.type !== 'Action.Execute',
      );
      if (actions.length === 0) continue;
      copy.actions = actions;
    }
    for (const key of elementLists) if (Array.isArray(copy[key])) copy[key] = strip(copy[key] as unknown[]);
    kept.push(copy);
  }
  return kept;
}

/**
 * The card as a dialog shows it. Teams does not run `Action.Execute` inside dialogs, and a dialog's
 * `Action.Submit` would end it, so the card's buttons and the inputs that feed them are dropped; they stay on
 * the card once it is shared in the chat. Toggles (`Action.ToggleVisibility`) and links keep working.
 */
export function readOnly(card: Card): Card {
  const actions = Array.isArray(card.actions)
    ? (card.actions as unknown[]).filter((a) => !isElement(a) || a.type !== 'Action.Execute')
    : undefined;
  return { ...card, body: strip(card.body), ...(actions ? { actions } : {}) };
}

/** Binds `cards/dialog.json`: the read-only card, its author line and the share button. */
export function dialogCard(model: DialogModel): Card {
  const actions = Array.isArray(model.card.actions) ? model.card.actions : [];
  return bind('dialog', {
    from: model.from,
    body: actions.length ? [...model.card.body, { type: 'ActionSet', actions }] : model.card.body,
    shareHint: model.share?.hint ?? '',
    share: model.share ? { title: model.share.title, data: model.share.data } : null,
  });
}

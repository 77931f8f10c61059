/** Card action verbs (`noun.verb`); each has one entry in the actions table (`actions.ts`). */
export const verbs = {
  /** Shows the same card again in another language. */
  translate: 'card.translate',
  /** Shows a diagnosis card again with another cause's fix open. */
  focus: 'cause.show',
  /** Diagnoses the example paste and sends its card. */
  example: 'example.show',
  /** Shows a view in a new message: a probe's fix, a registry's checklist. */
  show: 'card.show',
  /** Starts a live probe of a registry on the clicked card (or shows the one already running). */
  probe: 'probe.run',
  /** Shows a live probe's card again in another language. */
  probeShow: 'probe.show',
} as const;
export type Verb = (typeof verbs)[keyof typeof verbs];

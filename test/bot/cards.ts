/** Reading cards the way a user sees them: their text, their code blocks, their buttons. */

export type Json = Record<string, unknown>;

function visit(value: unknown, fn: (node: Json) => void): void {
  if (Array.isArray(value)) value.forEach((v) => visit(v, fn));
  else if (typeof value === 'object' && value !== null) {
    fn(value as Json);
    for (const [key, v] of Object.entries(value)) if (key !== 'data' && key !== 'fallback') visit(v, fn);
  }
}

/** The Adaptive Card in an activity (a connector call's body), or null. */
export function cardOf(activity: unknown): Json | null {
  const attachments =
    (activity as { attachments?: { contentType?: string; content?: Json }[] }).attachments ?? [];
  return (
    attachments.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content ?? null
  );
}

/** Every text a user reads on the card: text blocks, text runs, code blocks, choices and button titles. */
export function textOf(card: unknown): string {
  const parts: string[] = [];
  visit(card, (node) => {
    for (const key of ['text', 'codeSnippet', 'title', 'label'])
      if (typeof node[key] === 'string') parts.push(node[key] as string);
  });
  return parts.join('\n');
}

/** The copyable code blocks of a card. */
export function codeOf(card: unknown): string[] {
  const blocks: string[] = [];
  visit(card, (node) => {
    if (node.type === 'CodeBlock') blocks.push(String(node.codeSnippet));
  });
  return blocks;
}

/** The card's `Action.Execute` buttons. */
export function buttonsOf(card: unknown): { title: string; verb: string; data: Json }[] {
  const buttons: { title: string; verb: string; data: Json }[] = [];
  visit(card, (node) => {
    if (node.type === 'Action.Execute')
      buttons.push({ title: String(node.title), verb: String(node.verb), data: node.data as Json });
  });
  return buttons;
}

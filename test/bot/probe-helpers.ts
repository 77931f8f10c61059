/** Reading probe cards the way a user sees them (checking any card against Teams: `cardProblems` in `cards.ts`). */
import { walk, type Json } from './cards';

/** Everything a user reads in a part of a card: text blocks, text runs, button titles, fact titles and values. */
export function allText(node: unknown): string {
  const parts: string[] = [];
  walk(node, (n) => {
    for (const key of ['text', 'title', 'value', 'codeSnippet'])
      if (typeof n[key] === 'string') parts.push(n[key] as string);
  });
  return parts.join('\n');
}

/** Each runner section of a probe card: its name, its state word and everything it says. */
export function runnerSections(card: unknown): { name: string; state: string; text: string }[] {
  const sections: { name: string; state: string; text: string }[] = [];
  walk(card, (node) => {
    if (node.type !== 'Container' || !Array.isArray(node.items)) return;
    const head = (node.items as Json[])[0];
    if (head?.type !== 'ColumnSet') return;
    const [left, right] = head.columns as Json[];
    const name = String(((left?.items as Json[])[0] as Json).text);
    const state = String(((right?.items as Json[])[0] as Json).text);
    sections.push({ name, state, text: allText(node) });
  });
  return sections;
}

/** A runner's state word on a probe card, by runner name. */
export function statesOf(card: unknown): Record<string, string> {
  return Object.fromEntries(runnerSections(card).map((s) => [s.name, s.state]));
}

/** The probe card's headline (the third text block: heading, registry, headline). */
export function headlineOf(card: unknown): string {
  return String(((card as Json).body as Json[])[2]?.text);
}

/** The sentences of the "what differs" section. */
export function comparisonsOf(card: unknown): string[] {
  const body = (card as Json).body as Json[];
  const section = body.find((n) => n.type === 'Container' && n.style === 'emphasis');
  if (!section) return [];
  return ((section.items as Json[]).slice(1) as Json[]).map((c) => {
    const first = (c.items as Json[])[0] as Json;
    return String(((first.inlines as Json[])[0] as Json).text);
  });
}

/** Every string on the card that Teams reads as Markdown (TextBlock text, FactSet titles and values). */
export function markdownOf(card: unknown): string[] {
  const texts: string[] = [];
  walk(card, (node) => {
    if (node.type === 'TextBlock') texts.push(String(node.text));
    if (node.type === 'FactSet')
      for (const fact of node.facts as Json[]) texts.push(String(fact.title), String(fact.value));
  });
  return texts;
}

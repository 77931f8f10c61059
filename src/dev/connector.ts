/** An activity the bot posted or updated, as the page receives it. */
export interface ConnectorEvent {
  kind: 'activity' | 'update';
  activity: Record<string, unknown>;
}

type Listener = (event: ConnectorEvent) => void;

/**
 * The Bot Framework connector the local chat page plays Teams with: it takes the bot's replies
 * (`POST v3/conversations/{id}/activities[/{replyToId}]`) and updates (`PUT …/activities/{id}`), gives each
 * new activity an id as Teams does, and hands them to whoever watches that conversation.
 */
export class DevConnector {
  private next = 1;
  private readonly listeners = new Map<string, Set<Listener>>();

  /** A new activity from the bot; returns the `ResourceResponse` the bot stores to update it later. */
  post(conversationId: string, activity: Record<string, unknown>, replyToId?: string): { id: string } {
    const id = `bot-${this.next++}`;
    this.emit(conversationId, {
      kind: 'activity',
      activity: { ...activity, id, replyToId, timestamp: new Date().toISOString() },
    });
    return { id };
  }

  /** The bot replaced one of its activities (a card update). */
  put(conversationId: string, activityId: string, activity: Record<string, unknown>): { id: string } {
    this.emit(conversationId, { kind: 'update', activity: { ...activity, id: activityId } });
    return { id: activityId };
  }

  /** Watches one conversation; returns the function that stops watching. */
  subscribe(conversationId: string, listener: Listener): () => void {
    let set = this.listeners.get(conversationId);
    if (!set) {
      set = new Set();
      this.listeners.set(conversationId, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(conversationId);
    };
  }

  private emit(conversationId: string, event: ConnectorEvent): void {
    for (const listener of this.listeners.get(conversationId) ?? []) listener(event);
  }
}

/**
 * A bounded in-memory set of keys that forgets each key after `ttlMs`, oldest first past `max`: enough to do
 * something once per conversation when two events announce the same thing (Teams sends both
 * `conversationUpdate` and `installationUpdate` on install), or to recall what this process sent. No timers:
 * expiry is checked on use.
 */
export class RecentKeys {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly max = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Remembers `key`; true when it was not seen within the last `ttlMs`. */
  add(key: string): boolean {
    const now = this.now();
    const at = this.seen.get(key);
    if (at !== undefined && now - at < this.ttlMs) return false;
    this.seen.delete(key);
    this.seen.set(key, now);
    if (this.seen.size > this.max) {
      const oldest = this.seen.keys().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
    return true;
  }

  /** True when `key` was added within the last `ttlMs` (and not pushed out since). */
  has(key: string): boolean {
    const at = this.seen.get(key);
    return at !== undefined && this.now() - at < this.ttlMs;
  }
}

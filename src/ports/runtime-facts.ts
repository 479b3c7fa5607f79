// Small facts the running bot observes and other processes (`status`, another replica) show:
// the GitHub budget left, how the last round of scheduled checks went. Last write wins.

export interface RuntimeFacts {
  get<T>(key: string): { value: T; updatedAt: string } | null;
  set(key: string, value: unknown): void;
}

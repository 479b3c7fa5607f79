// Who asked for a piece of work, and from where: every job and audit row carries one.

export type ActorKind = 'slack' | 'cli' | 'cron' | 'webhook' | 'bot' | 'github';

export interface Actor {
  kind: ActorKind;
  /** Slack user id, GitHub login, OS user, pipeline id for cron… */
  id: string;
  /** Where the request came from: Slack channel id, webhook delivery id, host name. */
  via?: string;
  /** A readable name (Slack username, GitHub login) when the request carried one; ids stay the key. */
  name?: string;
}

import { actorName } from '../../core/wording.js';
import type { Config, ReleaseSyncConfig } from '../../config/schema.js';
import { isAppError } from '../../errors.js';
import type { Actor, AuditLog, GitHubPort, PullRequest } from '../../ports.js';
import { checkActor, checkPull, resolveAllowList, type GateResult } from '../../core/resolve/gate.js';

// The gate in front of the resolver, with its audit row. Slack users are checked by the Slack
// authorizer (user groups need Slack); without one, only users named in the list directly pass.

export type AllowSlackResolve = (actor: Actor, pipeline: ReleaseSyncConfig) => Promise<GateResult>;

/** What the Slack Authorizer offers; structural, so jobs do not depend on the Slack module. */
export interface ResolveAuthorizer {
  authorize(req: {
    userId: string;
    pipeline: ReleaseSyncConfig;
    permission: 'resolve';
    surface: 'home';
    channelId: null;
  }): Promise<{ allowed: boolean; message?: string }>;
}

export function allowSlackWith(authorizer: ResolveAuthorizer | null, config: Config): AllowSlackResolve {
  return async (actor, pipeline) => {
    if (authorizer) {
      const d = await authorizer.authorize({
        userId: actor.id,
        pipeline,
        permission: 'resolve',
        surface: 'home',
        channelId: null,
      });
      return d.allowed ? { ok: true } : { ok: false, reason: d.message ?? `${actorName(actor)} may not resolve` };
    }
    const list = resolveAllowList(pipeline, config.access.resolve) ?? [];
    return list.includes(actor.id)
      ? { ok: true }
      : { ok: false, reason: `${actorName(actor)} is not on the resolve allow-list` };
  };
}

export interface GateDeps {
  config: Config;
  github: GitHubPort;
  audit: AuditLog;
  allowSlack: AllowSlackResolve;
}

export type GateOutcome = { ok: true; pr: PullRequest } | { ok: false; reason: string; pr: PullRequest | null };

export async function runGate(deps: GateDeps, p: ReleaseSyncConfig, pr: number, actor: Actor): Promise<GateOutcome> {
  const target = `pr:${p.fork.repo}#${pr}`;
  const refuse = (reason: string, pull: PullRequest | null): GateOutcome => {
    deps.audit.record({ actor, action: 'resolve', pipeline: p.id, target, outcome: 'refused', details: { reason } });
    return { ok: false, reason, pr: pull };
  };
  const list = resolveAllowList(p, deps.config.access.resolve);
  const who = checkActor(actor, list) ?? (await deps.allowSlack(actor, p));
  if (!who.ok) return refuse(who.reason, null);
  let pull: PullRequest;
  try {
    pull = await deps.github.getPull(p.fork.repo, pr);
  } catch (err) {
    if (isAppError(err, 'not_found')) return refuse(`PR #${pr} does not exist in ${p.fork.repo}`, null);
    throw err;
  }
  const shape = checkPull(p, pull);
  if (!shape.ok) return refuse(shape.reason, pull);
  deps.audit.record({ actor, action: 'resolve', pipeline: p.id, target, outcome: 'allowed' });
  return { ok: true, pr: pull };
}

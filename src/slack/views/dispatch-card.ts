import { ACTION_IDS, encodeValue } from '../action-ids.js';
import { code, inline, link } from '../mrkdwn.js';
import { actions, bulletSections, button, buttons, context, section, type Block } from './blocks.js';
import type { RenderedMessage } from './sync-card.js';
import { plural } from '../../core/plural.js';

// The card of one dispatch run: which subscriber got which feature, ✓ or ✗ with the PR or the
// error, and "Retry failed" while any delivery failed. Pure: facts in, Block Kit out.

interface DeliveryFacts {
  subscriber: string;
  feature: string;
  mode: string;
  result: string;
  pr: { number: number; url: string } | null;
  error: string | null;
}

export interface DispatchCardFacts {
  outcome: string;
  from: string | null;
  to: string | null;
  deliveries: DeliveryFacts[];
  sourceRepo: string;
  sourceUrl: string | null;
}

const short = (sha: string | null) => (sha ? sha.slice(0, 7) : '?');

function deliveryLine(d: DeliveryFacts): string {
  const mark = d.result === 'failed' ? '✗' : '✓';
  const what = d.pr ? `${d.result} ${link(d.pr.url, `#${d.pr.number}`)}` : d.result;
  const error = d.error ? ` — ${inline(d.error.slice(0, 300))}` : '';
  return `${mark} ${code(d.subscriber)} ${code(d.feature)}: ${what}${error}`;
}

export function dispatchCard(pipeline: string, f: DispatchCardFacts): RenderedMessage {
  const failed = f.deliveries.filter((d) => d.result === 'failed').length;
  const emoji = failed === 0 ? '📦' : failed === f.deliveries.length ? '🔴' : '🟠';
  const range =
    f.sourceUrl && f.from && f.to
      ? link(`${f.sourceUrl}/compare/${f.from}...${f.to}`, `${short(f.from)}..${short(f.to)}`)
      : `${short(f.from)}..${short(f.to)}`;
  const summary =
    `${emoji} *${inline(pipeline)}* dispatched ${range} of ${code(f.sourceRepo)}: ` +
    `${plural(f.deliveries.length - failed, 'delivery')} done` +
    (failed ? `, ${plural(failed, 'delivery')} failed (retried by the next run)` : '');
  const blocks: Block[] = [
    section(summary),
    ...bulletSections(f.deliveries.map(deliveryLine), { maxLines: 40, maxBlocks: 10 }),
  ];
  const retry = failed
    ? button({
        label: 'Retry failed',
        actionId: ACTION_IDS.rerun,
        value: encodeValue({ p: pipeline }),
        style: 'primary',
      })
    : null;
  const row = buttons(retry);
  if (row.length) blocks.push(actions(row));
  blocks.push(context(`Outcome: ${inline(f.outcome)}`));
  return { text: `${emoji} ${pipeline}: ${f.outcome} (${short(f.from)}..${short(f.to)})`, blocks };
}

import type { ChatView } from '../../ports.js';
import { code, codeBlock } from '../mrkdwn.js';
import { context, divider, fitBlocks, header, section, LIMITS, type Block } from './blocks.js';
import { pipelineStatusBlocks, type StatusView } from './status.js';

// App Home: every pipeline with the same facts as `/upstream-sync status`, for whoever opens it.

export interface HomeView extends ChatView {
  type: 'home';
  blocks: Block[];
}

/** A pipeline of another kind: its own status lines (the CLI's), shown verbatim. */
export interface KindStatusLines {
  pipeline: string;
  kind: string;
  lines: string[];
}

export function appHomeView(statuses: StatusView[], others: KindStatusLines[] = []): HomeView {
  const blocks: Block[] = [
    header('upstream-sync'),
    context(
      `Keeps each fork in step with upstream stable releases. Type ${code('/upstream-sync help')} in a pipeline's channel for the commands.`,
    ),
  ];
  const budget = statuses[0]?.budget ?? [];
  if (budget.length) blocks.push(context(budget.join('\n')));
  for (const st of statuses) {
    blocks.push(divider(), ...pipelineStatusBlocks(st, { maxRuns: 3 }));
  }
  for (const o of others)
    blocks.push(divider(), section(`*${o.pipeline}* (${o.kind})\n${codeBlock(o.lines.join('\n'))}`));
  if (!statuses.length && !others.length) blocks.push(section('No pipelines are configured.'));
  return { type: 'home', blocks: fitBlocks(blocks, LIMITS.viewBlocks) };
}

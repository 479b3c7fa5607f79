import type { ChatView } from '../../ports.js';
import { code } from '../mrkdwn.js';
import { context, divider, fitBlocks, header, section, LIMITS, type Block } from './blocks.js';
import { pipelineStatusBlocks, type StatusView } from './status.js';

// App Home: every pipeline with the same facts as `/upstream-sync status`, for whoever opens it.

export interface HomeView extends ChatView {
  type: 'home';
  blocks: Block[];
}

export function appHomeView(statuses: StatusView[]): HomeView {
  const blocks: Block[] = [
    header('upstream-sync'),
    context(
      `Keeps each fork in step with upstream stable releases. Type ${code('/upstream-sync help')} in a pipeline's channel for the commands.`,
    ),
  ];
  for (const st of statuses) {
    blocks.push(divider(), ...pipelineStatusBlocks(st, { maxRuns: 3 }));
  }
  if (!statuses.length) blocks.push(section('No pipelines are configured.'));
  return { type: 'home', blocks: fitBlocks(blocks, LIMITS.viewBlocks) };
}

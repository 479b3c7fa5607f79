import { COMMANDS, type CommandName } from '../command-parser.js';
import { code, inline, mentionPrincipal } from '../mrkdwn.js';
import { context, section, type Block } from './blocks.js';

// `help` and the usage text for a command that could not be parsed. Every command is listed,
// including the ones nobody may run, with who may run it: people should not have to guess.

/** Who may run each command: 'everyone' for reading, a list of Slack ids, or null for nobody. */
export type CommandAudience = Record<CommandName, 'everyone' | string[] | null>;

function audienceText(who: 'everyone' | string[] | null): string {
  if (who === 'everyone') return 'everyone in the channel';
  if (!who || who.length === 0) return 'nobody (no access list)';
  return who.map(mentionPrincipal).join(', ');
}

export function helpMessage(input: { audience: CommandAudience; pipelines: string[] }): {
  text: string;
  blocks: Block[];
} {
  const lines = (Object.keys(COMMANDS) as CommandName[]).map((name) => {
    const c = COMMANDS[name];
    return `${code(`/upstream-sync ${c.usage}`)}\n      ${c.summary} _Who:_ ${audienceText(input.audience[name])}`;
  });
  const blocks: Block[] = [
    section(`*upstream-sync commands*\n${lines.join('\n')}`),
    context(
      `Pipelines here: ${input.pipelines.length ? input.pipelines.map(code).join(', ') : 'none'}. Without a pipeline, a command uses the one that reports to this channel.`,
    ),
  ];
  return { text: 'upstream-sync commands', blocks };
}

export function usageMessage(problem: string, name: CommandName | null): { text: string; blocks: Block[] } {
  const usage = name
    ? `Usage: ${code(`/upstream-sync ${COMMANDS[name].usage}`)}`
    : `Commands: ${(Object.keys(COMMANDS) as CommandName[]).map((n) => code(n)).join(' ')}`;
  const text = `⚠️ ${inline(problem)}`;
  return {
    text,
    blocks: [
      section(`${text}\n${usage}`),
      context(`${code('/upstream-sync help')} lists every command and who may run it.`),
    ],
  };
}

/** A short ephemeral reply: refusals, "already running", "queued". */
export function noticeMessage(mrkdwn: string): { text: string; blocks: Block[] } {
  return { text: mrkdwn, blocks: [section(mrkdwn)] };
}

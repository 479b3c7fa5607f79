import { z } from 'zod';
import { AppError } from '../errors.js';
import { markClosed } from '../sandbox/slack/view-submission.js';
import type { ActionSource } from '../sandbox/slack/interaction-payloads.js';
import type { DemoWorld } from './demo-world.js';

// What a person can do on the page, each turned into what Slack or GitHub would do: a slash
// command, a button click or a modal submit sent over Socket Mode; CI finishing or upstream
// publishing a release on the GitHub stand-in (which tells the bot by webhook). Nothing here calls
// the bot.

export interface SlashCommandSpec {
  command: string;
  usageHint: string;
  description: string;
}

const user = z.string().regex(/^U[A-Z0-9]+$/);
const repo = z.string().regex(/^[\w.-]+\/[\w.-]+$/);

const actions = {
  command: z.object({ user, channel: z.string().min(1), text: z.string().max(4000) }),
  click: z.object({
    user,
    label: z.string().min(1).max(200),
    channel: z.string().optional(),
    ts: z.string().optional(),
    ephemeral: z.boolean().optional(),
    viewId: z.string().optional(),
  }),
  /** A select, overflow menu, radio group or checkbox group outside a modal's inputs: block_actions at once. */
  choose: z.object({
    user,
    blockId: z.string().min(1),
    actionId: z.string().min(1),
    values: z.array(z.string()).max(100),
    channel: z.string().optional(),
    ts: z.string().optional(),
    ephemeral: z.boolean().optional(),
    viewId: z.string().optional(),
  }),
  submit: z.object({
    user,
    viewId: z.string().min(1),
    values: z.record(z.string(), z.record(z.string(), z.union([z.string(), z.record(z.string(), z.unknown())]))),
  }),
  close: z.object({ user, viewId: z.string().min(1) }),
  home: z.object({ user }),
  ci: z.object({ repo, pr: z.number().int().positive(), conclusion: z.enum(['success', 'failure']) }),
  publish: z.object({ repo }),
};

export type DemoActionName = keyof typeof actions;

export function isDemoAction(name: string): name is DemoActionName {
  return Object.hasOwn(actions, name);
}

/** Runs one action; resolves with what the page may show (the ack, the new tag), or throws a usage AppError. */
export async function runDemoAction(
  world: DemoWorld,
  commands: SlashCommandSpec[],
  name: DemoActionName,
  body: unknown,
): Promise<Record<string, unknown>> {
  const parsed = actions[name].safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError('usage', `${name}: ${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
  }
  const { slack, github } = world;
  switch (name) {
    case 'command': {
      const input = parsed.data as z.infer<typeof actions.command>;
      const [command = '', ...rest] = input.text.trim().split(/\s+/);
      if (!commands.some((c) => c.command === command))
        throw new AppError(
          'usage',
          `unknown command ${command || '(none)'}: try ${commands.map((c) => c.command).join(', ')}`,
        );
      const ack = await slack.sendSlashCommand({
        command,
        text: rest.join(' '),
        user_id: input.user,
        channel_id: input.channel,
      });
      return { ack };
    }
    case 'click': {
      const input = parsed.data as z.infer<typeof actions.click>;
      const where = input.viewId
        ? { viewId: input.viewId }
        : input.ephemeral
          ? { channel: input.channel, ts: input.ts, ephemeral: true }
          : { message: slack.state.findMessage(input.channel ?? '', input.ts ?? '') };
      if ('message' in where && !where.message)
        throw new AppError('usage', `click: no message ${input.ts} in ${input.channel}`);
      return { ack: await slack.clickButton({ ...where, label: input.label, user: input.user }) };
    }
    case 'choose': {
      const input = parsed.data as z.infer<typeof actions.choose>;
      const source = actionSource(world, input);
      const blocks = source.kind === 'view' ? source.view.view.blocks : source.message.blocks;
      const action = choiceAction(blocks, input.blockId, input.actionId, input.values);
      return { ack: await slack.sendBlockAction({ user: input.user, source, action }) };
    }
    case 'submit': {
      const input = parsed.data as z.infer<typeof actions.submit>;
      const result = await slack.sendViewSubmission({ user: input.user, viewId: input.viewId, values: input.values });
      return { ...result };
    }
    case 'close': {
      const input = parsed.data as z.infer<typeof actions.close>;
      const view = slack.openModals(input.user).find((v) => v.id === input.viewId);
      if (!view) throw new AppError('usage', `close: ${input.user} has no open modal ${input.viewId}`);
      // Slack tells the app only when the view asked to be told.
      if (view.view.notify_on_close === true) return { ack: await slack.sendViewClosed(input) };
      markClosed(slack.state, view);
      return {};
    }
    case 'home': {
      const input = parsed.data as z.infer<typeof actions.home>;
      await slack.sendEvent({
        type: 'app_home_opened',
        user: input.user,
        channel: `D${input.user.slice(1)}`,
        tab: 'home',
      });
      return {};
    }
    case 'ci': {
      const input = parsed.data as z.infer<typeof actions.ci>;
      const pull = github.pull(input.repo, input.pr);
      if (pull.state !== 'open') throw new AppError('usage', `ci: pull request #${input.pr} is ${pull.state}`);
      const head = (await github.branchSha(input.repo, pull.headRef)) ?? pull.headSha;
      await github.setCheckRun(input.repo, head, {
        name: 'ci / tests',
        status: 'completed',
        conclusion: input.conclusion,
      });
      return { head };
    }
    case 'publish': {
      const input = parsed.data as z.infer<typeof actions.publish>;
      const publish = world.publishers[input.repo];
      if (!publish)
        throw new AppError(
          'usage',
          `publish: the demo publishes releases only in ${Object.keys(world.publishers).join(', ')}`,
        );
      return await publish();
    }
  }
}

function actionSource(
  world: DemoWorld,
  where: { user: string; channel?: string; ts?: string; ephemeral?: boolean; viewId?: string },
): ActionSource {
  const { state } = world.slack;
  if (where.viewId) {
    const view = state.views.get(where.viewId);
    if (!view || view.closed || view.user !== where.user) throw new AppError('usage', `no open view ${where.viewId}`);
    return { kind: 'view', view };
  }
  if (where.ephemeral) {
    const message = state.ephemerals.find(
      (e) => e.channel === where.channel && e.ts === where.ts && e.user === where.user,
    );
    if (!message) throw new AppError('usage', `no ephemeral message ${where.ts} for ${where.user}`);
    return { kind: 'ephemeral', message };
  }
  const message = state.findMessage(where.channel ?? '', where.ts ?? '');
  if (!message) throw new AppError('usage', `no message ${where.ts} in ${where.channel}`);
  return { kind: 'message', message };
}

type Json = Record<string, unknown>;

/** The block_actions entry Slack sends when a person picks options in a select-like element. */
function choiceAction(blocks: unknown, blockId: string, actionId: string, values: string[]): Json {
  const block = (Array.isArray(blocks) ? (blocks as Json[]) : []).find((b) => b.block_id === blockId);
  const candidates = block
    ? [...((block.elements as Json[] | undefined) ?? []), block.accessory as Json | undefined]
    : [];
  const element = candidates.find((e) => e?.action_id === actionId);
  if (!element) throw new AppError('usage', `choose: no element ${actionId} in block ${blockId}`);
  const groups = (element.option_groups as Array<{ options: Json[] }> | undefined) ?? [];
  const options = [...((element.options as Json[] | undefined) ?? []), ...groups.flatMap((g) => g.options)];
  const picked = values.map((v) => {
    const option = options.find((o) => o.value === v);
    if (!option) throw new AppError('usage', `choose: ${actionId} has no option ${v}`);
    return option;
  });
  const base = { type: element.type, action_id: actionId, block_id: blockId };
  return element.type === 'checkboxes' || String(element.type).startsWith('multi_')
    ? { ...base, selected_options: picked }
    : { ...base, selected_option: picked[0] ?? null };
}

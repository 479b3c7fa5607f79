import { AppError } from '../../errors.js';
import { buttonAction, buttonLabels, findButton } from './find-button.js';
import {
  blockActionsPayload,
  eventPayload,
  slashCommandPayload,
  viewClosedPayload,
  viewSubmissionPayload,
  type ActionSource,
  type SlashCommandInput,
  type ViewStateValues,
} from './interaction-payloads.js';
import { applyResponse, type ResponseUrls } from './response-urls.js';
import type { SlackState, StoredMessage, StoredView } from './slack-state.js';
import type { SocketModeServer } from './socket-mode-server.js';
import {
  applySubmissionAck,
  expandValues,
  markClosed,
  type SubmissionOutcome,
  type SubmissionValues,
} from './view-submission.js';

// What people do in Slack, sent to the bot over Socket Mode. Each call resolves with the bot's ack
// payload, or rejects when no ack arrives within the deadline (3 s, like Slack).

export type Ack = Record<string, unknown>;

/** Where to find a button: a message (by channel+ts, object, or newest in channel), a view, or home. */
export interface ButtonSource {
  channel?: string;
  ts?: string;
  message?: StoredMessage;
  viewId?: string;
  home?: boolean;
  /** Look in the user's ephemeral messages in `channel` instead of posted ones. */
  ephemeral?: boolean;
}

export class SlackInteractions {
  constructor(
    readonly state: SlackState,
    protected readonly socket: SocketModeServer,
    protected readonly responseUrls: ResponseUrls,
    protected readonly originOf: () => string,
  ) {}

  /** A slash command; an ack with text/blocks becomes the response (ephemeral unless in_channel). */
  async sendSlashCommand(input: SlashCommandInput): Promise<Ack> {
    const target = { channel: input.channel_id, user: input.user_id };
    const payload = slashCommandPayload(
      this.state,
      input,
      this.responseUrls.create(this.originOf(), target),
      this.state.issueTrigger(input.user_id),
    );
    const ack = await this.socket.send('slash_commands', payload, true);
    if (ack.text !== undefined || ack.blocks !== undefined) applyResponse(this.state, target, ack, 'ack');
    return ack;
  }

  /** A raw block_actions interaction (selects, overflow menus...); clickButton covers buttons. */
  async sendBlockAction(input: {
    user: string;
    source: ActionSource;
    action: Record<string, unknown>;
    values?: ViewStateValues;
  }): Promise<Ack> {
    const { source } = input;
    const responseUrl =
      source.kind === 'view'
        ? undefined
        : this.responseUrls.create(this.originOf(), {
            channel: source.message.channel,
            user: input.user,
            messageTs: source.message.ts,
            threadTs: source.message.threadTs,
            ephemeral: source.kind === 'ephemeral',
          });
    const payload = blockActionsPayload(this.state, {
      ...input,
      responseUrl,
      triggerId: this.state.issueTrigger(input.user),
    });
    return this.socket.send('interactive', payload, false);
  }

  /** Clicks the button labelled `label` (URL buttons too: Slack sends block_actions for them). */
  async clickButton(input: ButtonSource & { label: string; user: string }): Promise<Ack> {
    const source = this.resolveSource(input);
    const blocks = source.kind === 'view' ? source.view.view.blocks : source.message.blocks;
    const found = findButton(blocks, input.label);
    if (!found) {
      throw new AppError('not_found', `no button labelled "${input.label}"`, {
        details: { labels: buttonLabels(blocks) },
      });
    }
    return this.sendBlockAction({ user: input.user, source, action: buttonAction(found) });
  }

  /** Submits the user's top modal (or the one given); applies response_action like Slack. */
  async sendViewSubmission(input: {
    user: string;
    viewId?: string;
    callbackId?: string;
    values?: SubmissionValues;
  }): Promise<{ ack: Ack; outcome: SubmissionOutcome; problems: string[] }> {
    const view = this.openModal(input.user, input.viewId, input.callbackId);
    const payload = viewSubmissionPayload(
      this.state,
      input.user,
      view,
      expandValues(input.values ?? {}),
      this.state.issueTrigger(input.user),
    );
    const ack = await this.socket.send('interactive', payload, true);
    return { ack, ...applySubmissionAck(this.state, view, ack) };
  }

  /** The user closes a modal; Slack only tells the app when the view asked (notify_on_close). */
  async sendViewClosed(input: { user: string; viewId?: string; isCleared?: boolean }): Promise<Ack> {
    const view = this.openModal(input.user, input.viewId, undefined);
    if (view.view.notify_on_close !== true) {
      throw new AppError('validation', `view ${view.id} has no notify_on_close: Slack would not send view_closed`);
    }
    markClosed(this.state, view);
    return this.socket.send(
      'interactive',
      viewClosedPayload(this.state, input.user, view, input.isCleared ?? false),
      false,
    );
  }

  /** An Events API event (app_home_opened, app_mention...); Bolt acks these itself. */
  sendEvent(event: Record<string, unknown>): Promise<Ack> {
    return this.socket.send('events_api', eventPayload(this.state, event), false);
  }

  private openModal(user: string, viewId: string | undefined, callbackId: string | undefined): StoredView {
    const open = this.state
      .openModals(user)
      .filter((v) => (viewId ? v.id === viewId : callbackId ? v.view.callback_id === callbackId : true));
    const view = open.at(-1);
    if (!view)
      throw new AppError(
        'not_found',
        `user ${user} has no open modal${viewId ? ` ${viewId}` : ''}${callbackId ? ` with callback_id ${callbackId}` : ''}`,
      );
    return view;
  }

  private resolveSource(input: ButtonSource & { label: string; user: string }): ActionSource {
    if (input.viewId || input.home) {
      const id = input.viewId ?? this.state.homes.get(input.user);
      const view = id ? this.state.views.get(id) : undefined;
      if (!view || view.closed) throw new AppError('not_found', `no open view ${id ?? `home for ${input.user}`}`);
      return { kind: 'view', view };
    }
    if (input.message) return { kind: 'message', message: input.message };
    if (!input.channel) throw new AppError('usage', 'clickButton needs channel, message, viewId or home');
    const hasLabel = (blocks: unknown): boolean => findButton(blocks, input.label) !== undefined;
    if (input.ephemeral) {
      const mine = this.state.ephemerals.filter(
        (e) =>
          e.channel === input.channel &&
          e.user === input.user &&
          (!input.ts || e.ts === input.ts) &&
          hasLabel(e.blocks),
      );
      const message = mine.at(-1);
      if (!message)
        throw new AppError(
          'not_found',
          `no ephemeral message for ${input.user} in ${input.channel} with a "${input.label}" button`,
        );
      return { kind: 'ephemeral', message };
    }
    const channel = this.state.findChannel(input.channel)?.id ?? input.channel;
    const candidates = input.ts
      ? [this.state.findMessage(channel, input.ts)].filter((m): m is StoredMessage => m !== undefined)
      : this.state.messages.filter((m) => m.channel === channel && !m.deleted && hasLabel(m.blocks));
    const message = candidates.at(-1);
    if (!message)
      throw new AppError(
        'not_found',
        `no message in ${input.channel}${input.ts ? ` with ts ${input.ts}` : ` with a "${input.label}" button`}`,
      );
    return { kind: 'message', message };
  }
}

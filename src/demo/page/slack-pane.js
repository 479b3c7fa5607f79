/* global document */
import { renderBlocks, renderMessageBody, textHtml } from './block-kit.js';
import { $, api, app, names, onButton, onChoose, toast } from './app.js';

// The Slack pane: the channel (the bot's messages and your ephemeral ones, by time), a thread,
// App Home and the top modal of whoever "you" are.

function timeOf(ts) {
  const d = new Date(Number(String(ts).split('.')[0]) * 1000);
  return d.toTimeString().slice(0, 5);
}

function messageRow(m, where, extra = {}) {
  const row = document.createElement('div');
  row.className = `msg${extra.ephemeral ? ' msg-ephemeral' : ''}`;
  row.dataset.ts = m.ts;
  const head = document.createElement('div');
  head.className = 'msg-head';
  head.innerHTML =
    `<span class="msg-avatar">us</span><b>upstream-sync</b> <span class="app-badge">APP</span>` +
    ` <span class="msg-time">${timeOf(m.ts)}</span>` +
    (m.edits ? ' <span class="msg-edited">(edited)</span>' : '') +
    (extra.ephemeral ? ' <span class="msg-only-you">Only visible to you</span>' : '');
  row.append(head, renderMessageBody(m, { names: names(), onButton: onButton(where), onChoose: onChoose(where) }));
  if (extra.replies) {
    const link = document.createElement('button');
    link.className = 'msg-replies';
    link.textContent = `${extra.replies} ${extra.replies === 1 ? 'reply' : 'replies'}`;
    link.onclick = () => {
      app.openThread = m.ts;
      app.render();
    };
    row.append(link);
  }
  return row;
}

export function renderChannel(channelId) {
  const { messages, ephemerals } = app.state.slack;
  const list = $('#messages');
  const keep = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  list.replaceChildren();
  const top = messages.filter((m) => m.channel === channelId && !m.threadTs);
  const mine = ephemerals.filter((e) => e.channel === channelId && e.user === app.you && !e.threadTs);
  const rows = [
    ...top.map((m) => ({
      ts: m.ts,
      node: () => messageRow(m, { channel: channelId, ts: m.ts }, { replies: replies(m).length }),
    })),
    ...mine.map((e) => ({
      ts: e.ts,
      node: () => messageRow(e, { channel: channelId, ts: e.ts, ephemeral: true }, { ephemeral: true }),
    })),
  ].sort((a, b) => Number(a.ts) - Number(b.ts));
  if (rows.length === 0)
    list.append(
      Object.assign(document.createElement('div'), {
        className: 'empty',
        textContent: 'No messages yet. Try /upstream-sync status below.',
      }),
    );
  for (const r of rows) list.append(r.node());
  if (keep) list.scrollTop = list.scrollHeight;
  renderThread(channelId);
}

function replies(parent) {
  return app.state.slack.messages.filter((m) => m.channel === parent.channel && m.threadTs === parent.ts);
}

function renderThread(channelId) {
  const pane = $('#thread');
  const parent =
    app.openThread && app.state.slack.messages.find((m) => m.channel === channelId && m.ts === app.openThread);
  pane.hidden = !parent;
  if (!parent) return;
  const body = $('#thread-messages');
  const scroll = body.scrollTop;
  body.replaceChildren(messageRow(parent, { channel: channelId, ts: parent.ts }));
  const divider = document.createElement('div');
  divider.className = 'thread-count';
  const rs = replies(parent);
  divider.textContent = `${rs.length} ${rs.length === 1 ? 'reply' : 'replies'}`;
  body.append(divider);
  const mine = app.state.slack.ephemerals.filter(
    (e) => e.channel === channelId && e.user === app.you && e.threadTs === parent.ts,
  );
  const rows = [
    ...rs.map((m) => ({ ts: m.ts, node: () => messageRow(m, { channel: channelId, ts: m.ts }) })),
    ...mine.map((e) => ({
      ts: e.ts,
      node: () => messageRow(e, { channel: channelId, ts: e.ts, ephemeral: true }, { ephemeral: true }),
    })),
  ].sort((a, b) => Number(a.ts) - Number(b.ts));
  for (const r of rows) body.append(r.node());
  body.scrollTop = scroll;
}

export function renderHome() {
  const list = $('#messages');
  list.replaceChildren();
  const home = app.state.slack.homes[app.you];
  if (!home) {
    list.append(Object.assign(document.createElement('div'), { className: 'empty', textContent: 'Opening App Home…' }));
    return;
  }
  const wrap = document.createElement('div');
  wrap.className = 'home';
  wrap.append(
    renderBlocks(home.view.blocks, {
      names: names(),
      onButton: onButton({ viewId: home.id }),
      onChoose: onChoose({ viewId: home.id }),
    }),
  );
  list.append(wrap);
  $('#thread').hidden = true;
}

export function renderSidebar() {
  const side = $('#channels');
  side.replaceChildren();
  const item = (label, active, onclick) => {
    const b = document.createElement('button');
    b.className = `side-item${active ? ' active' : ''}`;
    b.textContent = label;
    b.onclick = onclick;
    side.append(b);
  };
  for (const c of app.state.slack.channels)
    item(`# ${c.name}`, app.place.kind === 'channel' && app.place.id === c.id, () => {
      app.place = { kind: 'channel', id: c.id };
      app.openThread = null;
      app.render();
    });
  const apps = document.createElement('div');
  apps.className = 'side-title';
  apps.textContent = 'Apps';
  side.append(apps);
  item('upstream-sync · Home', app.place.kind === 'home', () => {
    app.place = { kind: 'home' };
    app.render();
    void api('home', { user: app.you });
  });
}

export function renderModal() {
  const stack = app.state.slack.modals[app.you] ?? [];
  const top = stack.at(-1);
  const key = top ? `${app.you}:${top.id}:${JSON.stringify(top.view)}` : '';
  if (key === app.shownModal) return;
  app.shownModal = key;
  const overlay = $('#modal');
  overlay.hidden = !top;
  if (!top) return;
  const { view } = top;
  const inputs = [];
  $('.modal-title', overlay).innerHTML = textHtml(view.title);
  const body = $('.modal-body', overlay);
  body.replaceChildren(renderBlocks(view.blocks, { names: names(), inputs, onButton: onButton({ viewId: top.id }) }));
  const close = $('.modal-close', overlay);
  close.innerHTML = textHtml(view.close ?? { type: 'plain_text', text: 'Close' });
  close.onclick = () => void api('close', { user: app.you, viewId: top.id });
  const submit = $('.modal-submit', overlay);
  submit.hidden = !view.submit;
  if (view.submit) submit.innerHTML = textHtml(view.submit);
  submit.onclick = async () => {
    const values = {};
    for (const i of inputs) (values[i.blockId] ??= {})[i.element.action_id] = i.read();
    const answer = await api('submit', { user: app.you, viewId: top.id, values });
    const errors = answer.ok && answer.outcome === 'errors' ? (answer.ack?.errors ?? {}) : {};
    for (const [blockId, message] of Object.entries(errors)) toast(`${blockId}: ${message}`, 'error');
    for (const problem of answer.problems ?? []) toast(`Slack refused the bot's answer: ${problem}`, 'error');
  };
}

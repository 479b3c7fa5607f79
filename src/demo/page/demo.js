/* global document, window, EventSource */
import { mrkdwn, renderBlocks, renderMessageBody, textHtml } from './block-kit.js';

// The demo page: the Slack channel on the left, the repositories on the right, redrawn from the
// state the server pushes (server-sent events). Everything a person does goes to /api/<action>,
// which turns it into what Slack or GitHub would send; the page never talks to the bot.

const $ = (sel, root = document) => root.querySelector(sel);
const escapeHtml = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const short = (sha) => (sha ?? '').slice(0, 7);

let state = null;
let you = localStorage.getItem('demo-you');
let place = { kind: 'channel', id: null };
let openThread = null;
let shownModal = '';
const openDetails = new Set();
const closedDetails = new Set();

async function api(action, body) {
  const res = await fetch(`/api/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = await res.json().catch(() => ({ ok: false, error: `HTTP ${res.status}` }));
  if (!answer.ok) toast(answer.error ?? 'failed', 'error');
  return answer;
}

function toast(text, kind = 'info') {
  const t = document.createElement('div');
  t.className = `toast toast-${kind}`;
  t.textContent = text;
  $('#toasts').append(t);
  setTimeout(() => t.remove(), 6000);
}

function names() {
  const map = {};
  for (const p of state.people) map[p.id] = p.name;
  for (const c of state.slack.channels) map[c.id] = c.name;
  return map;
}

function timeOf(ts) {
  const d = new Date(Number(String(ts).split('.')[0]) * 1000);
  return d.toTimeString().slice(0, 5);
}

/** Clicks go through Slack's confirm dialog first when the button has one. */
function onButton(where) {
  return async (element) => {
    if (element.confirm && !(await confirmDialog(element.confirm))) return;
    const label = element.text?.text ?? '';
    await api('click', { user: you, label, ...where });
    const target = element.url && githubTarget(element.url);
    if (target) focusGitHub(target);
  };
}

function onChoose(where) {
  return async (element, blockId, values) => {
    if (element.confirm && !(await confirmDialog(element.confirm))) return;
    await api('choose', { user: you, blockId, actionId: element.action_id, values, ...where });
  };
}

function confirmDialog(confirm) {
  const box = $('#confirm');
  $('.confirm-title', box).innerHTML = textHtml(confirm.title);
  $('.confirm-text', box).innerHTML = textHtml(confirm.text, names());
  const ok = $('.confirm-ok', box);
  ok.innerHTML = textHtml(confirm.confirm ?? { type: 'plain_text', text: 'Confirm' });
  ok.className = `confirm-ok bk-button ${confirm.style === 'danger' ? 'bk-danger' : 'bk-primary'}`;
  $('.confirm-deny', box).innerHTML = textHtml(confirm.deny ?? { type: 'plain_text', text: 'Cancel' });
  box.hidden = false;
  return new Promise((resolve) => {
    const done = (answer) => () => {
      box.hidden = true;
      ok.onclick = null;
      $('.confirm-deny', box).onclick = null;
      resolve(answer);
    };
    ok.onclick = done(true);
    $('.confirm-deny', box).onclick = done(false);
  });
}

// ---- Slack ------------------------------------------------------------------------------------

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
      openThread = m.ts;
      render();
    };
    row.append(link);
  }
  return row;
}

function renderChannel(channelId) {
  const { messages, ephemerals } = state.slack;
  const list = $('#messages');
  const keep = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  list.replaceChildren();
  const top = messages.filter((m) => m.channel === channelId && !m.threadTs);
  const mine = ephemerals.filter((e) => e.channel === channelId && e.user === you && !e.threadTs);
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
  return state.slack.messages.filter((m) => m.channel === parent.channel && m.threadTs === parent.ts);
}

function renderThread(channelId) {
  const pane = $('#thread');
  const parent = openThread && state.slack.messages.find((m) => m.channel === channelId && m.ts === openThread);
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
  const mine = state.slack.ephemerals.filter(
    (e) => e.channel === channelId && e.user === you && e.threadTs === parent.ts,
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

function renderHome() {
  const list = $('#messages');
  list.replaceChildren();
  const home = state.slack.homes[you];
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

function renderSidebar() {
  const side = $('#channels');
  side.replaceChildren();
  const item = (label, active, onclick) => {
    const b = document.createElement('button');
    b.className = `side-item${active ? ' active' : ''}`;
    b.textContent = label;
    b.onclick = onclick;
    side.append(b);
  };
  for (const c of state.slack.channels)
    item(`# ${c.name}`, place.kind === 'channel' && place.id === c.id, () => {
      place = { kind: 'channel', id: c.id };
      openThread = null;
      render();
    });
  const apps = document.createElement('div');
  apps.className = 'side-title';
  apps.textContent = 'Apps';
  side.append(apps);
  item('upstream-sync · Home', place.kind === 'home', () => {
    place = { kind: 'home' };
    render();
    void api('home', { user: you });
  });
}

function renderModal() {
  const stack = state.slack.modals[you] ?? [];
  const top = stack.at(-1);
  const key = top ? `${you}:${top.id}:${JSON.stringify(top.view)}` : '';
  if (key === shownModal) return;
  shownModal = key;
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
  close.onclick = () => void api('close', { user: you, viewId: top.id });
  const submit = $('.modal-submit', overlay);
  submit.hidden = !view.submit;
  if (view.submit) submit.innerHTML = textHtml(view.submit);
  submit.onclick = async () => {
    const values = {};
    for (const i of inputs) (values[i.blockId] ??= {})[i.element.action_id] = i.read();
    const answer = await api('submit', { user: you, viewId: top.id, values });
    const errors = answer.ok && answer.outcome === 'errors' ? (answer.ack?.errors ?? {}) : {};
    for (const [blockId, message] of Object.entries(errors)) toast(`${blockId}: ${message}`, 'error');
    for (const problem of answer.problems ?? []) toast(`Slack refused the bot's answer: ${problem}`, 'error');
  };
}

// ---- GitHub -----------------------------------------------------------------------------------

function markdown(text) {
  let s = escapeHtml(text ?? '');
  s = s.replace(/```[a-z]*\n([\s\S]*?)```/g, (_, code) => `<pre>${code}</pre>`);
  s = s.replace(/`([^`\n]+)`/g, '<code>$1</code>');
  s = s.replace(/\*\*([^*\n]+)\*\*/g, '<b>$1</b>');
  s = s.replace(/\[([^\]\n]+)\]\((https?:[^)\s]+)\)/g, '<a href="$2" target="_blank" rel="noopener">$1</a>');
  s = s.replace(/^(#{1,4}) (.*)$/gm, (_, h, t) => `<b class="md-h${h.length}">${t}</b>`);
  s = s.replace(/&#60;!--[\s\S]*?--&#62;\n?/g, '');
  return s.replace(/\n/g, '<br>');
}

function details(key, summary, content, defaultOpen) {
  const d = document.createElement('details');
  d.open = openDetails.has(key) || (defaultOpen && !closedDetails.has(key));
  d.ontoggle = () => {
    (d.open ? openDetails : closedDetails).add(key);
    (d.open ? closedDetails : openDetails).delete(key);
  };
  const s = document.createElement('summary');
  s.innerHTML = summary;
  d.append(s, content);
  return d;
}

function div(className, html) {
  const e = document.createElement('div');
  e.className = className;
  if (html !== undefined) e.innerHTML = html;
  return e;
}

function checkIcon(c) {
  if (c.status !== 'completed') return '<span class="check-pending">●</span>';
  return c.conclusion === 'success'
    ? '<span class="check-ok">✔</span>'
    : c.conclusion === 'neutral' || c.conclusion === 'skipped'
      ? '<span class="check-neutral">◼</span>'
      : '<span class="check-bad">✖</span>';
}

function pullNode(repo, pr) {
  const badge = pr.merged ? 'merged' : pr.state;
  const body = div('pr');
  body.dataset.pr = `${repo.fullName}#${pr.number}`;
  body.id = prId(repo.fullName, pr.number);
  body.append(
    div(
      'pr-meta',
      `<span class="pill pill-${badge}">${badge === 'merged' ? 'Merged' : badge === 'open' ? 'Open' : 'Closed'}</span> <code>${escapeHtml(pr.head)}</code> → <code>${escapeHtml(pr.base)}</code> · by ${escapeHtml(pr.user)}`,
    ),
  );
  if (pr.labels.length)
    body.append(div('labels', pr.labels.map((l) => `<span class="label">${escapeHtml(l)}</span>`).join(' ')));
  const checks = div('checks');
  checks.innerHTML =
    `<b>Checks</b> on <code>${short(pr.headSha)}</code>: ` +
    (pr.checks.length
      ? pr.checks.map((c) => `${checkIcon(c)} ${escapeHtml(c.name)}`).join(' · ')
      : '<i>none reported yet</i>');
  if (pr.state === 'open') {
    for (const [label, conclusion, cls] of [
      ['Turn CI green', 'success', 'ci-green'],
      ['Turn CI red', 'failure', 'ci-red'],
    ]) {
      const b = document.createElement('button');
      b.className = `gh-button ${cls}`;
      b.textContent = label;
      b.onclick = () => void api('ci', { repo: repo.fullName, pr: pr.number, conclusion });
      checks.append(' ', b);
    }
  }
  body.append(checks);
  if (pr.mergeCommit)
    body.append(
      div(
        'merge-commit',
        `Merge commit <code>${short(pr.mergeCommit.sha)}</code> with ${pr.mergeCommit.parents.length} parents (${pr.mergeCommit.parents.map((p) => `<code>${short(p)}</code>`).join(', ')}) by ${escapeHtml(pr.mergedBy ?? '?')}`,
      ),
    );
  body.append(details(`body:${body.id}`, 'Description', div('md', markdown(pr.body)), false));
  const comments = div('comments');
  for (const c of pr.comments)
    comments.append(
      details(
        `c:${body.id}:${c.createdAt}:${c.user}`,
        `💬 <b>${escapeHtml(c.user)}</b> ${escapeHtml(firstLine(c.body))}`,
        div('md', markdown(c.body)),
        false,
      ),
    );
  body.append(comments);
  return details(
    `pr:${body.id}`,
    `<b>#${pr.number}</b> ${escapeHtml(pr.title)} <span class="pill pill-${badge}">${badge}</span>`,
    body,
    pr.state === 'open' || pr === repo.pulls[0],
  );
}

const firstLine = (s) =>
  (s ?? '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .trim()
    .split('\n')[0]
    .replace(/^#+ /, '')
    .slice(0, 90);
const prId = (repo, n) => `pr-${repo.replace(/[^\w]/g, '-')}-${n}`;

function renderRepo(repo) {
  const card = div('repo');
  card.dataset.repo = repo.fullName;
  const head = div(
    'repo-head',
    `<b>${escapeHtml(repo.fullName)}</b>${repo.parent ? ` <small>forked from ${escapeHtml(repo.parent)}</small>` : ''}`,
  );
  if (repo.canPublish) {
    const b = document.createElement('button');
    b.className = 'gh-button gh-publish';
    b.textContent = 'Publish a new stable release';
    b.onclick = async () => {
      const answer = await api('publish', { repo: repo.fullName });
      if (answer.ok) toast(`${repo.fullName} published ${answer.tag}`);
    };
    head.append(b);
  }
  card.append(head);
  if (repo.pulls.length) {
    const pulls = div('section');
    pulls.append(div('section-title', `Pull requests (${repo.pulls.length})`));
    for (const pr of repo.pulls) pulls.append(pullNode(repo, pr));
    card.append(pulls);
  }
  const releaseTags = new Set(repo.releases.map((r) => r.tag));
  const branches = div('section');
  branches.append(div('section-title', `Branches (${repo.branches.length})`));
  branches.append(
    div(
      'refs',
      repo.branches
        .map(
          (b) =>
            `<div class="ref"><code class="ref-name">${escapeHtml(b.name)}</code> <code>${short(b.sha)}</code> <span class="ref-subject">${escapeHtml(b.subject)}</span></div>`,
        )
        .join(''),
    ),
  );
  card.append(branches);
  const tags = div('section');
  tags.append(div('section-title', `Tags (${repo.tags.length})`));
  tags.append(
    div(
      'tags',
      repo.tags
        .map(
          (t) =>
            `<span class="tag${releaseTags.has(t.name) ? '' : ' tag-bare'}" title="${short(t.sha)} ${escapeHtml(t.subject)}">${escapeHtml(t.name)}</span>`,
        )
        .join(' '),
    ),
  );
  card.append(tags);
  const releases = div('section');
  releases.append(div('section-title', `Releases (${repo.releases.length})`));
  for (const r of repo.releases) {
    const flags = `${r.prerelease ? ' <span class="pill pill-pre">Pre-release</span>' : ''}${r.draft ? ' <span class="pill pill-draft">Draft</span>' : ''}`;
    releases.append(
      details(
        `rel:${repo.fullName}:${r.tag}`,
        `<b>${escapeHtml(r.name ?? r.tag)}</b>${flags} <small>${escapeHtml(r.author)} · ${escapeHtml((r.publishedAt ?? '').slice(0, 16).replace('T', ' '))}</small>`,
        div('md release-body', r.body ? markdown(r.body) : '<i>no notes</i>'),
        false,
      ),
    );
  }
  card.append(releases);
  return card;
}

function renderGitHub() {
  const pane = $('#github-repos');
  const scroll = pane.scrollTop;
  pane.replaceChildren(...state.github.repos.map(renderRepo));
  pane.scrollTop = scroll;
}

/** Links and URL buttons that point at the GitHub stand-in show the thing in the GitHub pane. */
function githubTarget(href) {
  const m = /^https?:\/\/(?:127\.0\.0\.1|localhost)(?::\d+)?\/([\w.-]+\/[\w.-]+)\/(pull|releases\/tag)\/([^/?#]+)/.exec(
    href,
  );
  return m ? { repo: m[1], kind: m[2], id: decodeURIComponent(m[3]) } : null;
}

function focusGitHub(target) {
  const node =
    target.kind === 'pull' ? document.getElementById(prId(target.repo, target.id)) : $(`[data-repo="${target.repo}"]`);
  if (!node) return;
  const d = node.closest('details');
  if (d) d.open = true;
  node.scrollIntoView({ behavior: 'smooth', block: 'center' });
  node.classList.add('flash');
  setTimeout(() => node.classList.remove('flash'), 1500);
}

// ---- the page ---------------------------------------------------------------------------------

function renderHeader() {
  const select = $('#you');
  if (select.options.length !== state.people.length) {
    select.replaceChildren(
      ...state.people.map((p) =>
        Object.assign(document.createElement('option'), { value: p.id, textContent: p.realName }),
      ),
    );
  }
  select.value = you;
  $('#llm').textContent = `LLM: ${state.llm.detail}`;
  $('#llm').className = `llm llm-${state.llm.kind}`;
  const command = state.commands[0];
  if (command) {
    $('#usage').innerHTML = `<code>${escapeHtml(command.command)}</code> ${escapeHtml(command.usageHint)}`;
    $('#composer').placeholder =
      `${command.command} status   (you are ${state.people.find((p) => p.id === you)?.name})`;
  }
}

function render() {
  if (!state) return;
  if (!state.people.some((p) => p.id === you)) you = state.people[0].id;
  place.id ??= state.channel.id;
  renderHeader();
  renderSidebar();
  const channel = state.slack.channels.find((c) => c.id === place.id);
  $('#place').textContent = place.kind === 'home' ? 'upstream-sync · Home' : `# ${channel?.name ?? place.id}`;
  $('#composer-box').hidden = place.kind === 'home';
  if (place.kind === 'home') renderHome();
  else renderChannel(place.id);
  renderModal();
  renderGitHub();
}

function connect() {
  const events = new EventSource('/api/events');
  events.addEventListener('state', (e) => {
    state = JSON.parse(e.data);
    $('#live').textContent = '● live';
    $('#live').className = 'live';
    render();
  });
  events.onerror = () => {
    $('#live').textContent = '● reconnecting';
    $('#live').className = 'live live-off';
  };
}

$('#you').onchange = (e) => {
  you = e.target.value;
  localStorage.setItem('demo-you', you);
  shownModal = '';
  render();
  if (place.kind === 'home') void api('home', { user: you });
};
$('#composer-form').onsubmit = async (e) => {
  e.preventDefault();
  const input = $('#composer');
  const text = input.value.trim();
  if (!text) return;
  if (!text.startsWith('/')) {
    toast(`The bot answers slash commands: try ${state.commands[0]?.command ?? '/upstream-sync'} help`, 'error');
    return;
  }
  input.value = '';
  await api('command', { user: you, channel: place.id, text });
};
$('#thread-close').onclick = () => {
  openThread = null;
  render();
};
document.addEventListener('click', (e) => {
  const a = e.target.closest?.('a[href]');
  const target = a && githubTarget(a.href);
  if (!target) return;
  e.preventDefault();
  focusGitHub(target);
});
window.demo = { mrkdwn };
connect();

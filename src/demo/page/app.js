/* global document */
import { textHtml } from './block-kit.js';

// What the page's panes share: the state the server last pushed, who "you" are, where you are in
// Slack, and the calls every control makes (POST /api/<action>, which the server turns into what
// Slack or GitHub would send).

export const $ = (sel, root = document) => root.querySelector(sel);
export const escapeHtml = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export const app = {
  /** The last state the server pushed (see src/demo/demo-state.ts). */
  state: null,
  you: localStorage.getItem('demo-you'),
  place: { kind: 'channel', id: null },
  openThread: null,
  shownModal: '',
  render: () => undefined,
};

export async function api(action, body) {
  const res = await fetch(`/api/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = await res.json().catch(() => ({ ok: false, error: `HTTP ${res.status}` }));
  if (!answer.ok) toast(answer.error ?? 'failed', 'error');
  return answer;
}

export function toast(text, kind = 'info') {
  const t = document.createElement('div');
  t.className = `toast toast-${kind}`;
  t.textContent = text;
  $('#toasts').append(t);
  setTimeout(() => t.remove(), 6000);
}

export function names() {
  const map = {};
  for (const p of app.state.people) map[p.id] = p.name;
  for (const c of app.state.slack.channels) map[c.id] = c.name;
  return map;
}

/** Clicks go through Slack's confirm dialog first when the button has one. */
export function onButton(where) {
  return async (element) => {
    if (element.confirm && !(await confirmDialog(element.confirm))) return;
    const label = element.text?.text ?? '';
    await api('click', { user: app.you, label, ...where });
    const target = element.url && githubTarget(element.url);
    if (target) focusGitHub(target);
  };
}

export function onChoose(where) {
  return async (element, blockId, values) => {
    if (element.confirm && !(await confirmDialog(element.confirm))) return;
    await api('choose', { user: app.you, blockId, actionId: element.action_id, values, ...where });
  };
}

export function confirmDialog(confirm) {
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

/** Links and URL buttons that point at the GitHub stand-in show the thing in the GitHub pane. */
export function githubTarget(href) {
  const m = /^https?:\/\/(?:127\.0\.0\.1|localhost)(?::\d+)?\/([\w.-]+\/[\w.-]+)\/(pull|releases\/tag)\/([^/?#]+)/.exec(
    href,
  );
  return m ? { repo: m[1], kind: m[2], id: decodeURIComponent(m[3]) } : null;
}

export function focusGitHub(target) {
  const node =
    target.kind === 'pull' ? document.getElementById(prId(target.repo, target.id)) : $(`[data-repo="${target.repo}"]`);
  if (!node) return;
  const d = node.closest('details');
  if (d) d.open = true;
  node.scrollIntoView({ behavior: 'smooth', block: 'center' });
  node.classList.add('flash');
  setTimeout(() => node.classList.remove('flash'), 1500);
}

export const prId = (repo, n) => `pr-${repo.replace(/[^\w]/g, '-')}-${n}`;

/* global document */
import { $, api, app, escapeHtml, prId, toast } from './app.js';

// The GitHub pane: every repository the stand-in holds, with its pull requests (labels, checks and
// the CI control, body, comments, merge commit), branches, tags and releases.

const short = (sha) => (sha ?? '').slice(0, 7);
const openDetails = new Set();
const closedDetails = new Set();

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

export function renderGitHub() {
  const pane = $('#github-repos');
  const scroll = pane.scrollTop;
  pane.replaceChildren(...app.state.github.repos.map(renderRepo));
  pane.scrollTop = scroll;
}

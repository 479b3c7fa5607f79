/* global document, window, EventSource */
import { mrkdwn } from './block-kit.js';
import { $, api, app, escapeHtml, focusGitHub, githubTarget, toast } from './app.js';
import { renderGitHub } from './github-pane.js';
import { renderChannel, renderHome, renderModal, renderSidebar } from './slack-pane.js';

// The demo page: the Slack channel on the left, the repositories on the right, redrawn from the
// state the server pushes (server-sent events). Everything a person does goes to /api/<action>,
// which turns it into what Slack or GitHub would send; the page never talks to the bot.

function renderHeader() {
  const select = $('#you');
  if (select.options.length !== app.state.people.length) {
    select.replaceChildren(
      ...app.state.people.map((p) =>
        Object.assign(document.createElement('option'), { value: p.id, textContent: p.realName }),
      ),
    );
  }
  select.value = app.you;
  $('#llm').textContent = `LLM: ${app.state.llm.detail}`;
  $('#llm').className = `llm llm-${app.state.llm.kind}`;
  const command = app.state.commands[0];
  if (command) {
    $('#usage').innerHTML = `<code>${escapeHtml(command.command)}</code> ${escapeHtml(command.usageHint)}`;
    $('#composer').placeholder =
      `${command.command} status   (you are ${app.state.people.find((p) => p.id === app.you)?.name})`;
  }
}

function render() {
  if (!app.state) return;
  if (!app.state.people.some((p) => p.id === app.you)) app.you = app.state.people[0].id;
  app.place.id ??= app.state.channel.id;
  renderHeader();
  renderSidebar();
  const channel = app.state.slack.channels.find((c) => c.id === app.place.id);
  $('#place').textContent = app.place.kind === 'home' ? 'upstream-sync · Home' : `# ${channel?.name ?? app.place.id}`;
  $('#composer-box').hidden = app.place.kind === 'home';
  if (app.place.kind === 'home') renderHome();
  else renderChannel(app.place.id);
  renderModal();
  renderGitHub();
}

function connect() {
  const events = new EventSource('/api/events');
  events.addEventListener('state', (e) => {
    app.state = JSON.parse(e.data);
    $('#live').textContent = '● live';
    $('#live').className = 'live';
    app.render();
  });
  events.onerror = () => {
    $('#live').textContent = '● reconnecting';
    $('#live').className = 'live live-off';
  };
}

$('#you').onchange = (e) => {
  app.you = e.target.value;
  localStorage.setItem('demo-you', app.you);
  app.shownModal = '';
  app.render();
  if (app.place.kind === 'home') void api('home', { user: app.you });
};
$('#composer-form').onsubmit = async (e) => {
  e.preventDefault();
  const input = $('#composer');
  const text = input.value.trim();
  if (!text) return;
  if (!text.startsWith('/')) {
    toast(`The bot answers slash commands: try ${app.state.commands[0]?.command ?? '/upstream-sync'} help`, 'error');
    return;
  }
  input.value = '';
  await api('command', { user: app.you, channel: app.place.id, text });
};
$('#thread-close').onclick = () => {
  app.openThread = null;
  app.render();
};
document.addEventListener('click', (e) => {
  const a = e.target.closest?.('a[href]');
  const target = a && githubTarget(a.href);
  if (!target) return;
  e.preventDefault();
  focusGitHub(target);
});
window.demo = { mrkdwn };
app.render = render;
connect();

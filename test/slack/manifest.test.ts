import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

// The manifest is what people paste into Slack: Socket Mode, one command, interactivity, App Home
// and nothing more than the scopes the bot uses.

describe('manifest.yml', () => {
  it('asks for Socket Mode, the command, interactivity, App Home and the least scopes', async () => {
    const m = parse(await readFile('manifest.yml', 'utf8'));
    expect(m.settings.socket_mode_enabled).toBe(true);
    expect(m.settings.interactivity.is_enabled).toBe(true);
    expect(m.settings.interactivity.request_url).toBeUndefined();
    expect(m.settings.event_subscriptions.bot_events).toEqual(['app_home_opened']);
    expect(m.features.app_home.home_tab_enabled).toBe(true);
    expect(m.features.slash_commands.map((c: { command: string }) => c.command)).toEqual(['/upstream-sync']);
    expect(m.features.slash_commands[0].url).toBeUndefined();
    // channels:read + groups:read: conversations.info, so doctor and start can say "/invite the bot" up front.
    // channels:history + groups:history: after a crash the outbox finds its own earlier post (issue 13).
    expect(m.oauth_config.scopes.bot.sort()).toEqual([
      'channels:history',
      'channels:read',
      'chat:write',
      'commands',
      'groups:history',
      'groups:read',
      'usergroups:read',
    ]);
    expect(m.oauth_config.scopes.user).toBeUndefined();
  });
});

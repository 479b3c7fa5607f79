import { writeFile } from 'node:fs/promises';
import { afterEach } from 'vitest';
import { startSlackSandbox, type SlackSandbox } from '../../../src/sandbox/slack/slack-sandbox.js';
import { ALICE, OPS_CHANNEL } from '../../slack/fixtures.js';
import { cliWorld, CONFIG, type CliRun, type CliWorld } from '../sync/cli-process.js';
import type { ChildProcess } from 'node:child_process';
import { until } from '../../helpers/until.js';

// The real `upstream-sync start` process (node + tsx) against the GitHub and Slack stand-ins.

const slacks: SlackSandbox[] = [];
afterEach(async () => {
  while (slacks.length) await slacks.pop()!.close();
});

export const START_CONFIG = `${CONFIG.replace('pipelines:', 'access: { sync: [' + ALICE + '] }\nweb: { host: 127.0.0.1, port: 0 }\npipelines:')}    slack: { channel: ${OPS_CHANNEL} }
`;

export interface StartWorld extends CliWorld {
  slack: SlackSandbox;
  /** Starts `start`; resolves once it logged `ready` (or exited). */
  startBot(extraEnv?: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; done: Promise<CliRun>; web: string | null }>;
}

/** Re-exported for the tests built on this world. */
export { until };

export async function startWorld(options: { config?: string } = {}): Promise<StartWorld> {
  const w = await cliWorld({ config: options.config ?? START_CONFIG });
  const slack = await startSlackSandbox();
  slacks.push(slack);
  slack.addChannel({ id: OPS_CHANNEL, name: 'cartodb-ops' });
  slack.addUser({ id: ALICE });
  Object.assign(w.env, slack.env());
  const startBot: StartWorld['startBot'] = async (extraEnv = {}) => {
    const { child, done } = w.start(['start', '--config', w.configFile], extraEnv);
    let err = '';
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    let exited = false;
    void done.then(() => (exited = true));
    await until(() => exited || /"msg":"ready"/.test(err), 'the bot to be ready');
    const web = /"web":"([^"]+)","msg":"ready"/.exec(err)?.[1] ?? null;
    return { child, done, web };
  };
  return Object.assign(w, { slack, startBot });
}

export async function writeConfig(w: CliWorld, text: string): Promise<void> {
  await writeFile(w.configFile, text);
}

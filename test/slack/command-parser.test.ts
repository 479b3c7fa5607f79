import { describe, expect, it } from 'vitest';
import { parseCommand, parsePrRef } from '../../src/slack/command-parser.js';

const PIPELINES = ['litellm', 'other'];

describe('parseCommand', () => {
  it.each([
    ['', { name: 'help' }],
    ['help', { name: 'help' }],
    ['status', { name: 'status', pipeline: null }],
    ['  STATUS   litellm ', { name: 'status', pipeline: 'litellm' }],
    ['check other', { name: 'check', pipeline: 'other' }],
    ['sync', { name: 'sync', pipeline: null, tag: null, silent: false }],
    ['sync litellm', { name: 'sync', pipeline: 'litellm', tag: null, silent: false }],
    ['sync v1.81.12-stable', { name: 'sync', pipeline: null, tag: 'v1.81.12-stable', silent: false }],
    [
      'sync litellm v1.81.12-stable --silent',
      { name: 'sync', pipeline: 'litellm', tag: 'v1.81.12-stable', silent: true },
    ],
    ['resolve 123', { name: 'resolve', pr: 123, repo: null, pipeline: null }],
    ['resolve #123 litellm', { name: 'resolve', pr: 123, repo: null, pipeline: 'litellm' }],
    [
      'resolve <https://github.com/CartoDB/litellm/pull/77>',
      { name: 'resolve', pr: 77, repo: 'CartoDB/litellm', pipeline: null },
    ],
    ['release minor', { name: 'release', bump: 'minor', pipeline: null }],
    ['release PATCH other', { name: 'release', bump: 'patch', pipeline: 'other' }],
    ['skip v1.81.12-stable', { name: 'skip', tag: 'v1.81.12-stable', pipeline: null }],
    ['unskip v1.81.12-stable litellm', { name: 'unskip', tag: 'v1.81.12-stable', pipeline: 'litellm' }],
    ['history', { name: 'history', pipeline: null }],
  ])('parses %j', (text, command) => {
    expect(parseCommand(text, PIPELINES)).toEqual({ ok: true, command });
  });

  it.each([
    ['deploy', 'unknown command "deploy"'],
    ['status nope', 'unknown pipeline "nope" (known: litellm, other)'],
    ['status litellm extra', 'too many arguments for `status`: "extra"'],
    ['resolve', '`resolve` needs a PR number'],
    ['resolve abc', 'not a PR number or URL: "abc"'],
    ['release', '`release` needs patch, minor or major'],
    ['release huge', '"huge" is not patch, minor or major'],
    ['skip', '`skip` needs a tag'],
    ['skip v1;rm', 'not a valid tag "v1;rm": it contains a shell metacharacter'],
    ['sync litellm ../etc', 'not a valid tag "../etc"'],
    ['sync nope v1.2.3', 'unknown pipeline "nope"'],
    ['sync --force', 'unknown option "--force" for `sync`'],
    ['check --silent', 'unknown option "--silent" for `check`'],
  ])('refuses %j naming the problem', (text, problem) => {
    const result = parseCommand(text, PIPELINES);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem).toContain(problem);
  });

  it('decodes the entities Slack puts in command text before validating', () => {
    const result = parseCommand('skip v1&amp;2', PIPELINES);
    expect(result).toMatchObject({ ok: false, problem: expect.stringContaining('"v1&2"') });
  });

  it('names the command whose usage applies', () => {
    expect(parseCommand('release', PIPELINES)).toMatchObject({ ok: false, name: 'release' });
    expect(parseCommand('bogus', PIPELINES)).toMatchObject({ ok: false, name: null });
  });
});

describe('parsePrRef', () => {
  it.each([
    ['42', { pr: 42, repo: null }],
    ['#42', { pr: 42, repo: null }],
    ['https://github.com/CartoDB/litellm/pull/42/files', { pr: 42, repo: 'CartoDB/litellm' }],
    ['https://ghe.example.com/a/b/pull/7?x=1', { pr: 7, repo: 'a/b' }],
    ['42abc', null],
    ['https://github.com/CartoDB/litellm/issues/42', null],
  ])('%s', (value, expected) => {
    expect(parsePrRef(value)).toEqual(expected);
  });
});

import { describe, expect, it } from 'vitest';
import {
  clip,
  code,
  codeBlock,
  escapeMrkdwn,
  inline,
  link,
  mentionPrincipal,
  safeUrl,
} from '../../src/slack/mrkdwn.js';

describe('mrkdwn escaping', () => {
  it.each([
    ['entities', 'a & b < c > d', 'a &amp; b &lt; c &gt; d'],
    ['channel ping', 'fix <!channel> now', 'fix &lt;!channel&gt; now'],
    ['user mention', 'thanks <@U024BE7LH>', 'thanks &lt;@U024BE7LH&gt;'],
    ['disguised link', '<https://evil.example|github.com/CartoDB>', '&lt;https://evil.example|github.com/CartoDB&gt;'],
    ['already-escaped text is escaped again', '&amp;', '&amp;amp;'],
    ['bare @here', 'cc @here', 'cc @\u2060here'],
    ['control characters', 'a\u0000b\u0007c', 'abc'],
  ])('%s', (_name, input, expected) => {
    expect(escapeMrkdwn(input)).toBe(expected);
  });

  it('puts titles on one line so they cannot fake card lines', () => {
    expect(inline('title\n*Approved by* <@U1>')).toBe('title *Approved by* &lt;@U1&gt;');
  });

  it('keeps code spans closed whatever the text holds', () => {
    expect(code('a`b')).toBe('`a\u02cbb`');
    expect(code('litellm/proxy/_experimental/out')).toBe('`litellm/proxy/_experimental/out`');
    expect(code('')).toBe('` `');
    expect(codeBlock('x```y')).not.toMatch(/x```y/);
  });

  it('links only http(s) URLs and escapes the label', () => {
    expect(link('https://github.com/CartoDB/litellm/pull/1', '#1 <b>|x')).toBe(
      '<https://github.com/CartoDB/litellm/pull/1|#1 &lt;b&gt;\u2223x>',
    );
    expect(link('javascript:alert(1)', 'click')).toBe('click');
    expect(link('', 'PR')).toBe('PR');
    expect(safeUrl('https://example.com/a|b>c')).toBe('https://example.com/a%7Cb%3Ec');
  });

  it('renders user groups as subteam mentions', () => {
    expect(mentionPrincipal('S0OPSGROUP')).toBe('<!subteam^S0OPSGROUP>');
    expect(mentionPrincipal('U012ABCDEF')).toBe('<@U012ABCDEF>');
  });
});

describe('clip', () => {
  it('leaves short text alone', () => {
    expect(clip('short', 10)).toBe('short');
  });

  it('never cuts through an entity', () => {
    const out = clip('aaaa &amp; bbbb', 8);
    expect(out.length).toBeLessThanOrEqual(8);
    expect(out).toBe('aaaa …');
  });

  it('never cuts through a link', () => {
    const out = clip('see <https://example.com/very/long|the pull request> please', 30);
    expect(out).toBe('see …');
  });

  it('closes a code span it cut', () => {
    const out = clip('`aaaaaaaaaaaaaaaaaaaa`', 10);
    expect(out.length).toBeLessThanOrEqual(10);
    expect((out.match(/`/g) ?? []).length % 2).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { placeholdersIn, renderTemplate, templateToRegExp } from '../../src/core/template.js';

describe('templates', () => {
  it('renders and lists placeholders', () => {
    expect(renderTemplate('upstream-sync/{tag}', { tag: 'v1.81.9-stable' })).toBe('upstream-sync/v1.81.9-stable');
    expect(placeholdersIn('v{upstream}-carto.{major}.{minor}.{patch}')).toEqual([
      'upstream',
      'major',
      'minor',
      'patch',
    ]);
  });

  it('refuses to render with a missing value', () => {
    expect(() => renderTemplate('{tag}-{x}', { tag: 'a' })).toThrow('{x}');
  });

  it('inverts a template into an anchored regex with named groups', () => {
    const re = templateToRegExp('v{upstream}-carto.{major}.{minor}.{patch}', {
      upstream: '\\d+\\.\\d+\\.\\d+',
      major: '\\d+',
      minor: '\\d+',
      patch: '\\d+',
    });
    expect(re.exec('v1.81.3-carto.1.18.6')?.groups).toEqual({
      upstream: '1.81.3',
      major: '1',
      minor: '18',
      patch: '6',
    });
    expect(re.test('xv1.81.3-carto.1.18.6')).toBe(false);
    expect(re.test('v1.81.3-carto.1.18')).toBe(false);
    // Literal dots in the template are not wildcards.
    expect(re.test('v1.81.3-cartoX1.18.6')).toBe(false);
  });
});

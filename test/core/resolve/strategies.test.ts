import { describe, expect, it } from 'vitest';
import { resolveHunk } from '../../../src/core/resolve/hunk-resolver.js';
import { compareVersions, higherPin } from '../../../src/core/resolve/strategies/dependency-pin.js';
import { importNames } from '../../../src/core/resolve/strategies/import-names.js';
import { listItems } from '../../../src/core/resolve/strategies/list-items.js';
import { sameIgnoringWhitespace } from '../../../src/core/resolve/strategies/whitespace.js';
import { ctx, diff3Hunk } from './hunk-fixture.js';

const conflict = (up: string, base: string, fork: string, before = 'before\n', after = 'after\n') =>
  `${before}<<<<<<< upstream\n${up}||||||| base\n${base}=======\n${fork}>>>>>>> fork\n${after}`;

describe('list-union: both sides inserted different entries at the same point', () => {
  it.each([
    {
      name: 'enum members',
      path: 'litellm/types/utils.py',
      up: '    HEROKU = "heroku"\n',
      fork: '    OCI = "oci"\n',
      want: '    HEROKU = "heroku"\n    OCI = "oci"\n',
    },
    {
      name: 'string items',
      path: 'litellm/constants.py',
      up: '    "heroku",\n',
      fork: '    "oci",\n',
      want: '    "heroku",\n    "oci",\n',
    },
    {
      name: 'dict entries',
      path: 'litellm/__init__.py',
      up: '    "hyperbolic": hyperbolic_models,\n',
      fork: '    "recraft": recraft_models,\n',
      want: '    "hyperbolic": hyperbolic_models,\n    "recraft": recraft_models,\n',
    },
    {
      name: 'last item without comma after one with',
      path: 'a.py',
      up: '    verify_access_key,\n',
      fork: '    get_llm_provider\n',
      want: '    verify_access_key,\n    get_llm_provider\n',
    },
    {
      name: 'elif clauses',
      path: 'litellm/utils.py',
      up: '        elif provider == "heroku":\n            return HerokuConfig()\n',
      fork: '        elif provider == "oci":\n            return OCIConfig()\n',
      want: '        elif provider == "heroku":\n            return HerokuConfig()\n        elif provider == "oci":\n            return OCIConfig()\n',
    },
    {
      name: 'import statements from different modules',
      path: 'x.py',
      up: 'from a.b import (\n    c,\n)\n',
      fork: 'from d import e\n',
      want: 'from a.b import (\n    c,\n)\nfrom d import e\n',
    },
    {
      name: 'requirement pins in a manifest',
      path: 'requirements.txt',
      up: 'detect-secrets==1.5.0 # masking\n',
      fork: 'cryptography==42.0.7\n',
      want: 'detect-secrets==1.5.0 # masking\ncryptography==42.0.7\n',
    },
    {
      name: 'an entry both added, once',
      path: 'a.ts',
      up: '  "a",\n  "b",\n',
      fork: '  "a",\n  "c",\n',
      want: '  "a",\n  "b",\n  "c",\n',
    },
    { name: 'Markdown bullets', path: 'docs/index.md', up: '- heroku\n', fork: '- oci\n', want: '- heroku\n- oci\n' },
    {
      name: 'the same closing blank line on both sides',
      path: 'a.py',
      up: '    A = 1\n\n',
      fork: '    B = 2\n\n',
      want: '    A = 1\n    B = 2\n\n',
    },
    {
      name: 'only the fork closes the list with a blank line',
      path: 'litellm/types/utils.py',
      up: '    MINIMAX = "minimax"\n',
      fork: '    SYNTHETIC = "synthetic"\n    POE = "poe"\n\n',
      want: '    MINIMAX = "minimax"\n    SYNTHETIC = "synthetic"\n    POE = "poe"\n\n',
    },
    {
      name: "ignore patterns, one side already holding the other's",
      path: '.gitignore',
      up: 'ui/.next\nui/node_modules\n',
      fork: 'ui/.next\nui/node_modules\ndeploy/charts/*.tgz\nlitellm/proxy/vertex_key.json\n',
      want: 'ui/.next\nui/node_modules\ndeploy/charts/*.tgz\nlitellm/proxy/vertex_key.json\n',
    },
    {
      name: 'ignore patterns and comments',
      path: 'ui/.dockerignore',
      up: '# build\n*.whl\n',
      fork: '# build\ndist/\n',
      want: '# build\n*.whl\ndist/\n',
    },
  ])('$name', ({ path, up, fork, want }) => {
    const r = listItems.apply(diff3Hunk(conflict(up, '', fork)), ctx(path));
    expect(r?.lines.join('')).toBe(want);
  });

  it.each([
    {
      name: 'the same key with different values (rival versions)',
      path: 'a.py',
      up: '    timeout = 10\n',
      base: '',
      fork: '    timeout = 30\n',
    },
    {
      name: 'decorators are not list entries',
      path: 't.py',
      up: '@pytest.mark.skip(reason="flaky")\n',
      base: '',
      fork: '@pytest.mark.skip(reason="closed")\n',
    },
    {
      name: 'two imports from the same module',
      path: 'a.py',
      up: 'from x import a\n',
      base: '',
      fork: 'from x import b\n',
    },
    { name: 'a union that would break the commas', path: 'a.js', up: '  b\n', base: '', fork: '  c,\n' },
    {
      name: 'base lines in the region',
      path: 'a.py',
      up: '    "a",\n    "b",\n',
      base: '    "a",\n',
      fork: '    "c",\n',
    },
    { name: 'different indentation', path: 'a.py', up: '    "a",\n', base: '', fork: '  "b",\n' },
    { name: 'blank lines that differ at the end', path: 'a.py', up: 'A = 1\n\n\n', base: '', fork: 'B = 2\n' },
    { name: 'requirement syntax outside a manifest', path: 'notes.txt', up: 'a==1\n', base: '', fork: 'b==2\n' },
    {
      name: 'only upstream closes the list with a blank line',
      path: 'a.py',
      up: 'A = 1\n\n',
      base: '',
      fork: 'B = 2\n',
    },
    {
      name: 'ignore-file patterns outside an ignore file',
      path: 'notes.txt',
      up: '*.whl\n',
      base: '',
      fork: 'dist/\n',
    },
    {
      name: 'ignore patterns with a blank line inside',
      path: '.gitignore',
      up: '*.whl\n\n# x\n',
      base: '',
      fork: 'dist/\n',
    },
  ])('declines: $name', ({ path, up, base, fork }) => {
    expect(listItems.apply(diff3Hunk(conflict(up, base, fork)), ctx(path))).toBeNull();
  });
});

describe("import-union: both sides edited one import's names", () => {
  it.each([
    {
      name: 'added names, sorted on all sides',
      up: 'from typing import Any, Dict, Optional\n',
      base: 'from typing import Dict, Optional\n',
      fork: 'from typing import Dict, List, Optional\n',
      want: 'from typing import Any, Dict, List, Optional\n',
    },
    {
      name: 'a removal honoured',
      up: 'from typing import Any, AsyncIterator, Dict\n',
      base: 'from typing import Any, AsyncIterator, Dict, Optional\n',
      fork: 'from typing import Any, AsyncIterator, Dict, cast\n',
      want: 'from typing import Any, AsyncIterator, Dict, cast\n',
    },
    {
      name: 'unsorted: upstream order, fork additions after',
      up: 'from typing import Optional, List, TypedDict\n',
      base: 'from typing import Optional, List\n',
      fork: 'from typing import Optional, List, TYPE_CHECKING\n',
      want: 'from typing import Optional, List, TypedDict, TYPE_CHECKING\n',
    },
    {
      name: 'JS named imports',
      up: 'import { a, b } from "x";\n',
      base: 'import { a } from "x";\n',
      fork: 'import { a, c } from "x";\n',
      want: 'import { a, b, c } from "x";\n',
    },
  ])('$name', ({ up, base, fork, want }) => {
    expect(importNames.apply(diff3Hunk(conflict(up, base, fork)), ctx('a.py'))?.lines.join('')).toBe(want);
  });

  it('declines imports of different modules', () => {
    expect(
      importNames.apply(
        diff3Hunk(conflict('from a import x\n', 'from a import y\n', 'from b import y\n')),
        ctx('a.py'),
      ),
    ).toBeNull();
  });
});

describe('higher-version-pin: the same dependency pinned on both sides', () => {
  it.each([
    {
      path: 'requirements.txt',
      up: 'litellm-proxy-extras==0.4.17 # extras\n',
      base: 'litellm-proxy-extras==0.4.16 # extras\n',
      fork: 'litellm-proxy-extras==0.4.18 # extras\n',
      want: 'fork',
    },
    {
      path: 'pyproject.toml',
      up: 'x = {version = "0.4.17", optional = true}\n',
      base: 'x = {version = "0.4.16", optional = true}\n',
      fork: 'x = { version = "0.4.18", optional = true }\n',
      want: 'fork',
    },
    {
      path: 'ui/package.json',
      up: '    "react": "18.3.1",\n',
      base: '    "react": "18.2.0",\n',
      fork: '    "react": "18.10.0",\n',
      want: 'fork',
    },
  ])('$path keeps the $want pin', ({ path, up, base, fork, want }) => {
    const h = diff3Hunk(conflict(up, base, fork));
    expect(higherPin.apply(h, ctx(path))?.lines).toEqual(want === 'fork' ? h.fork : h.upstream);
  });

  it.each([
    { name: 'not a dependency manifest', path: 'src/app.py', up: 'VERSION = "2.0"\n', fork: 'VERSION = "3.0"\n' },
    { name: 'different packages', path: 'requirements.txt', up: 'a==1.0\n', fork: 'b==2.0\n' },
  ])('declines: $name', ({ path, up, fork }) => {
    expect(higherPin.apply(diff3Hunk(conflict(up, 'x==0.1\n', fork)), ctx(path))).toBeNull();
  });

  it.each([
    ['1.2.10', '1.2.9', 1],
    ['1.16.21.dev3', '1.16.21', -1],
    ['2.0.0rc1', '2.0.0', -1],
    ['0.4.18', '0.4.18', 0],
  ])('compareVersions(%s, %s) = %i', (a, b, sign) => {
    expect(Math.sign(compareVersions(a, b))).toBe(sign);
  });
});

describe('same-ignoring-whitespace', () => {
  it('keeps the side that kept the base formatting', () => {
    const base = '        <Checkbox\n          checked={all}\n        />\n';
    const up = '                  <Checkbox\n            checked={all}\n            onClick={stop}\n          />\n';
    const fork = '        <Checkbox\n          checked={all}\n          onClick={stop}\n        />\n';
    const h = diff3Hunk(conflict(up, base, fork));
    expect(sameIgnoringWhitespace.apply(h, ctx('a.tsx'))?.lines).toEqual(h.fork);
  });

  it.each([
    { name: 'no base to compare with', path: 'a.ts', up: 'x  = 1\n', base: '', fork: 'x = 1\n' },
    {
      name: 'indentation is meaning in Python',
      path: 'a.py',
      up: 'if a:\n    b()\n',
      base: 'if a:\n  c()\n',
      fork: 'if a:\nb()\n',
    },
  ])('declines: $name', ({ path, up, base, fork }) => {
    expect(sameIgnoringWhitespace.apply(diff3Hunk(conflict(up, base, fork)), ctx(path))).toBeNull();
  });
});

describe('resolveHunk', () => {
  it('leaves a real disagreement alone', () => {
    expect(
      resolveHunk(diff3Hunk(conflict('    return a + b\n', '    return a\n', '    return a - b\n')), ctx('a.py')),
    ).toBeNull();
  });

  it.each([
    {
      name: 'an ignore file: both added a pattern after a kept line',
      path: '.gitignore',
      up: '.vscode/launch.json\n*.whl\n',
      base: '.vscode/launch.json\n',
      fork: '.vscode/launch.json\nlitellm/proxy/loadtest/*\n',
      want: '.vscode/launch.json\n*.whl\nlitellm/proxy/loadtest/*\n',
    },
    {
      name: 'an ignore file: one changed a pattern, the other added one',
      path: '.dockerignore',
      up: 'build/\nnode_modules\n',
      base: 'dist/\nnode_modules\n',
      fork: 'dist/\nnode_modules\n.env\n',
      want: 'build/\nnode_modules\n.env\n',
    },
  ])('refines $name', ({ path, up, base, fork, want }) => {
    expect(
      resolveHunk(diff3Hunk(conflict(up, base, fork)), ctx(path), undefined, { refine: true })?.lines.join(''),
    ).toBe(want);
  });

  it('splits a hunk with a finer merge only when asked, and then needs every piece decided', () => {
    const h = diff3Hunk(conflict('x==1.1\nkeep\n"a",\n', 'x==1.0\nkeep\n', 'x==1.2\nkeep\n"b",\n'));
    expect(resolveHunk(h, ctx('requirements.txt'))).toBeNull();
    expect(resolveHunk(h, ctx('requirements.txt'), undefined, { refine: true })?.lines.join('')).toBe(
      'x==1.2\nkeep\n"a",\n"b",\n',
    );
  });
});

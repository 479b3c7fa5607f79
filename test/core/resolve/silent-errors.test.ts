import { describe, expect, it } from 'vitest';
import { parseConflictText } from '../../../src/core/resolve/conflict-text.js';
import { resolveHunk } from '../../../src/core/resolve/hunk-resolver.js';
import { hunksOf } from '../../../src/core/resolve/merge3.js';
import { blankEqual } from '../../../src/core/resolve/strategies/blank-equal.js';
import { higherPin } from '../../../src/core/resolve/strategies/dependency-pin.js';
import { importNames } from '../../../src/core/resolve/strategies/import-names.js';
import { listItems } from '../../../src/core/resolve/strategies/list-items.js';
import { ctx, diff3Hunk } from './hunk-fixture.js';

// The four silent errors found on real syncs, each a wrong file a reviewer would not expect,
// rebuilt from the shape of the real case.

const conflict = (up: string, base: string, fork: string) =>
  `before\n<<<<<<< upstream\n${up}||||||| base\n${base}=======\n${fork}>>>>>>> fork\nafter\n`;

describe('import-union checks the module path', () => {
  it.each([
    {
      lang: 'TypeScript',
      path: 'ui/src/x.tsx',
      up: 'import { Button, Card } from "antd";\n',
      base: 'import { Button } from "antd";\n',
      fork: 'import { Button, Tooltip } from "@tremor/react";\n',
    },
    {
      lang: 'JavaScript, type imports',
      path: 'ui/src/x.ts',
      up: "import type { A, B } from './types';\n",
      base: "import type { A } from './types';\n",
      fork: "import type { A, C } from './other';\n",
    },
    {
      lang: 'Python',
      path: 'litellm/x.py',
      up: 'from litellm.types.utils import ModelResponse, Usage\n',
      base: 'from litellm.types.utils import ModelResponse\n',
      fork: 'from litellm.types.llms.openai import ModelResponse, ChatCompletionToolCall\n',
    },
  ])('$lang: names from different modules are never merged into one import', ({ path, up, base, fork }) => {
    expect(importNames.apply(diff3Hunk(conflict(up, base, fork)), ctx(path))).toBeNull();
  });

  it('the same module still merges', () => {
    const h = diff3Hunk(
      conflict(
        'import { Button, Card } from "antd";\n',
        'import { Button } from "antd";\n',
        'import { Button, Tooltip } from "antd";\n',
      ),
    );
    expect(importNames.apply(h, ctx('x.tsx'))?.lines).toEqual(['import { Button, Card, Tooltip } from "antd";\n']);
  });
});

describe("higher-version-pin leaves a package's own version to the release job", () => {
  it.each([
    {
      path: 'pyproject.toml',
      up: 'version = "1.81.0"\n',
      base: 'version = "1.80.0"\n',
      fork: 'version = "1.80.0+carto.3"\n',
    },
    {
      path: 'ui/litellm-dashboard/package.json',
      up: '  "version": "0.1.0",\n',
      base: '  "version": "0.0.9",\n',
      fork: '  "version": "0.2.0",\n',
    },
    { path: 'setup.py', up: '    version="1.2.0",\n', base: '    version="1.1.0",\n', fork: '    version="1.1.5",\n' },
  ])('$path', ({ path, up, base, fork }) => {
    expect(higherPin.apply(diff3Hunk(conflict(up, base, fork)), ctx(path))).toBeNull();
  });

  it('a dependency pin in the same manifest is still decided', () => {
    const h = diff3Hunk(conflict('  "react": "18.3.1",\n', '  "react": "18.2.0",\n', '  "react": "18.10.0",\n'));
    expect(higherPin.apply(h, ctx('package.json'))?.lines).toEqual(h.fork);
  });
});

describe('list-union keeps the superset side in its own order', () => {
  it('one side holds every entry of the other: that side, as it is', () => {
    // The fork added "oci" before the entries upstream also added; people kept the fork's list.
    const h = diff3Hunk(conflict('    "heroku",\n    "nscale",\n', '', '    "oci",\n    "heroku",\n    "nscale",\n'));
    expect(listItems.apply(h, ctx('litellm/constants.py'))?.lines).toEqual(h.fork);
  });

  it('neither a superset: the union in the order of the conflict markers', () => {
    const text = '<<<<<<< ours\n    "b",\n||||||| base\n=======\n    "a",\n>>>>>>> theirs\n';
    const [h] = hunksOf(parseConflictText(text, { first: 'ours', base: 'base', second: 'theirs' }, 'fork-first') ?? []);
    // ours is the fork here (the main line was the second parent): the markers put it first.
    expect(h?.upstream).toEqual(['    "a",\n']);
    expect(listItems.apply(h!, ctx('x.py'))?.lines).toEqual(['    "b",\n', '    "a",\n']);
  });
});

describe('non-overlapping never deletes a dependency or config key one-sidedly', () => {
  it('upstream dropped a pin next to a fork edit: a person decides', () => {
    const h = diff3Hunk(
      conflict(
        'fastapi==0.115.5\n',
        'boto3==1.34.34\nfastapi==0.115.0\n',
        'boto3==1.34.34\nfastapi==0.115.1\nsnowflake==1.0\n',
      ),
    );
    expect(resolveHunk(h, ctx('requirements.txt'), undefined, { refine: true })).toBeNull();
  });

  it('pyproject.toml: upstream wrote another package in the line of one it dropped; the fork still has it', () => {
    const h = diff3Hunk(
      conflict(
        'cryptography = { version = "41.0.3", optional = true }\n',
        'argon2-cffi = { version = "^23.1.0", optional = true }\n',
        'argon2-cffi = { version = "^23.1.0", optional = true }\nresend = {version = "^0.8.0", optional = true}\n',
      ),
    );
    expect(resolveHunk(h, ctx('pyproject.toml'), undefined, { refine: true })).toBeNull();
  });

  it('.gitignore: both added a pattern after a kept line, in the order of the markers', () => {
    const text =
      '<<<<<<< ours\n.vscode/launch.json\n*.whl\n||||||| base\n.vscode/launch.json\n=======\n.vscode/launch.json\nloadtest/*\n>>>>>>> theirs\n';
    const [h] = hunksOf(parseConflictText(text, { first: 'ours', base: 'base', second: 'theirs' }, 'fork-first') ?? []);
    expect(resolveHunk(h!, ctx('.gitignore'), undefined, { refine: true })?.lines.join('')).toBe(
      '.vscode/launch.json\n*.whl\nloadtest/*\n',
    );
  });

  it('a pattern one side replaced (not deleted) still merges', () => {
    const h = diff3Hunk(conflict('build/\nnode_modules\n', 'dist/\nnode_modules\n', 'dist/\nnode_modules\n.env\n'));
    expect(resolveHunk(h, ctx('.dockerignore'), undefined, { refine: true })?.lines.join('')).toBe(
      'build/\nnode_modules\n.env\n',
    );
  });

  it('both sides dropped the key: the second signal, so it goes', () => {
    const h = diff3Hunk(conflict('m==1\nz==1\nu==1\n', 'old==1\nm==1\nz==1\n', 'm==1\nz==2\n'));
    expect(resolveHunk(h, ctx('requirements.txt'), undefined, { refine: true })?.lines.join('')).toBe(
      'm==1\nz==2\nu==1\n',
    );
  });
});

describe('blank-equal', () => {
  it("same lines, different blank lines: upstream's layout", () => {
    const h = diff3Hunk(conflict('x = 1\n\ny = 2\n', 'x = 0\n', 'x = 1\ny = 2\n\n'));
    expect(blankEqual.apply(h, ctx('a.py'))?.lines).toEqual(h.upstream);
  });

  it('any other difference: not decided', () => {
    expect(blankEqual.apply(diff3Hunk(conflict('x = 1\n\n', 'x = 0\n', 'x = 2\n')), ctx('a.py'))).toBeNull();
  });
});

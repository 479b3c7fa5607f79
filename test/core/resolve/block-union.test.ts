import { describe, expect, it } from 'vitest';
import { resolveFile } from '../../../src/core/resolve/resolve-file.js';
import { layerOn } from '../../../src/core/resolve/layers.js';
import { blockKeys, blockUnion } from '../../../src/core/resolve/strategies/block-union.js';
import type { Hunk } from '../../../src/core/resolve/types.js';
import { ctx, diff3Hunk } from './hunk-fixture.js';

// Shapes from the conflicts corpus (merges inside upstream's own history): both sides inserted
// blocks where the base had nothing. Their main line is the second parent, so the topic branch's
// side comes first in the markers, and a person keeps both in that order.

const conflict = (up: string, fork: string) =>
  `before\n<<<<<<< upstream\n${up}||||||| base\n=======\n${fork}>>>>>>> fork\nafter\n`;

/** The hunk as the conflicts corpus has it: the fork (topic) side first in the markers. */
const forkFirst = (h: Hunk): Hunk => ({ ...h, first: 'fork' });

describe('block-union: both sides inserted independent blocks where the base had nothing', () => {
  it('keeps two new methods, in marker order (the caching.py shape)', () => {
    const up = '    def delete_cache(self, key):\n        self.cache_dict.pop(key, None)\n\n';
    const fork = '    async def disconnect(self):\n        pass\n\n';
    const h = diff3Hunk(conflict(up, fork));
    expect(blockUnion.apply(h, ctx('litellm/caching.py'))?.lines.join('')).toBe(up + fork);
    expect(blockUnion.apply(forkFirst(h), ctx('litellm/caching.py'))?.lines.join('')).toBe(fork + up);
  });

  it('keeps two new test functions that share only boilerplate', () => {
    const up =
      '\n\ndef test_get_config_callbacks(monkeypatch):\n    from litellm.proxy.proxy_server import app\n    config_data = {"litellm_settings": {"success_callback": "langfuse"}}\n    monkeypatch.setattr(proxy_config, "get_config", mock_get_config)\n    client = TestClient(app)\n    assert client.get("/get/config/callbacks").status_code == 200\n';
    const fork =
      '\n\n@pytest.mark.asyncio\nasync def test_router_settings():\n    from litellm.proxy.proxy_server import app\n    key = UserAPIKeyAuth(router_settings={"routing_strategy": "usage-based"})\n    team = {"router_settings": {"routing_strategy": "latency-based"}}\n    settings = await get_settings(app, key, team)\n    assert settings["routing_strategy"] == "usage-based"\n';
    const out = blockUnion.apply(forkFirst(diff3Hunk(conflict(up, fork))), ctx('tests/test_proxy_server.py'));
    expect(out?.lines.join('')).toBe(fork + up);
    expect(out?.rationale).toContain("the fork's first");
  });

  it.each([
    {
      name: 'the same decorator with another reason (rival versions of one line)',
      up: '@pytest.mark.skip(reason="IBM closed account.")\n',
      fork: '@pytest.mark.skip(reason="Local test")\n',
    },
    {
      name: 'the same setting, once commented out',
      up: '  disable_spend_logs: true\n',
      fork: '  # disable_spend_logs: true\n',
    },
    {
      name: 'the same assignment with another value',
      up: '            openai.api_base = api_base\n',
      fork: '            openai.api_base = api_base or "https://api.openai.com/v1"\n',
    },
    {
      name: 'two imports of one module',
      up: 'from litellm.litellm_core_utils.core_helpers import (\n    safe_deep_copy,\n    reconstruct_model_name,\n)\n',
      fork: 'from litellm.litellm_core_utils.core_helpers import safe_deep_copy\n',
    },
    {
      name: 'an unbalanced piece of a larger structure',
      up: '                  ${NEXT_ACTION:+,{\n                    "type": "context",\n',
      fork: '                  ,{\n                    "type": "divider"\n',
    },
    {
      name: 'blocks at different depths',
      up: '    def a(self):\n        pass\n',
      fork: 'def b():\n    pass\n',
    },
  ])('declines $name', ({ up, fork }) => {
    expect(blockUnion.apply(diff3Hunk(conflict(up, fork)), ctx('a.py'))).toBeNull();
  });

  it('declines the same code written twice (an add/add of one file, reformatted on one side)', () => {
    const shared =
      '        # TODO: Databricks delta does not include supported text or chunk type.\n        # Add either here once Databricks supports it to enable citation linkage.\n        choice["delta"].setdefault("provider_specific_fields", {})["citation"] = citations[0]\n';
    const up = `        if isinstance(choice["delta"].get("content"), list) and (content := choice["delta"]["content"]):\n${shared}`;
    const fork = `        delta_content = choice["delta"].get("content")\n        if isinstance(delta_content, list) and delta_content:\n${shared}`;
    expect(blockUnion.apply(diff3Hunk(conflict(up, fork)), ctx('transformation.py'))).toBeNull();
  });

  it('declines where the base had lines: a side rewrote something', () => {
    const h = diff3Hunk(
      'x\n<<<<<<< upstream\ndef a():\n    pass\n||||||| base\nold = 1\n=======\ndef b():\n    pass\n>>>>>>> fork\ny\n',
    );
    expect(blockUnion.apply(h, ctx('a.py'))).toBeNull();
  });

  it('names each block by what it defines', () => {
    expect(blockKeys(['@pytest.mark.asyncio\n', 'async def test_x():\n', '    pass\n'])).toEqual([
      '@pytest.mark.asyncio',
      'name:test_x',
    ]);
    expect(blockKeys(['from a.b import (\n', '    c,\n', ')\n'])).toEqual(['import:a.b']);
    expect(blockKeys(['x = f(\n'])).toBeNull();
  });

  it('is off by default (below 95% hunk precision on the dev corpora) and decides when a pipeline turns it on', () => {
    expect(layerOn('block-union', undefined)).toBe(false);
    const versions = {
      path: 'litellm/caching.py',
      base: 'class C:\n    x = 1\n',
      upstream: 'class C:\n    x = 1\n    def delete_cache(self, key):\n        self.d.pop(key, None)\n',
      fork: 'class C:\n    x = 1\n    async def disconnect(self):\n        pass\n',
    };
    expect(resolveFile({ versions }).result).toBeUndefined();
    const on = resolveFile({ versions, layers: { 'block-union': true } });
    expect(on.outcomes.map((o) => o.by)).toEqual(['block-union']);
    expect(on.result?.content).toBe(
      'class C:\n    x = 1\n    def delete_cache(self, key):\n        self.d.pop(key, None)\n    async def disconnect(self):\n        pass\n',
    );
  });
});

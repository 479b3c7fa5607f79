import type { Config, PipelineConfig, PipelineKind, PipelineOfKind, ReleaseSyncConfig } from './schema.js';
import { AppError } from '../errors.js';

/** The pipeline with this id, of any kind; undefined when none is configured. */
export function pipelineById(config: Pick<Config, 'pipelines'>, id: string): PipelineConfig | undefined {
  return config.pipelines.find((p) => p.id === id);
}

/** The pipelines of one kind, in configuration order. */
export function pipelinesOfKind<K extends PipelineKind>(
  config: Pick<Config, 'pipelines'>,
  kind: K,
): Array<PipelineOfKind<K>> {
  return config.pipelines.filter((p): p is PipelineOfKind<K> => p.kind === kind);
}

export function isReleaseSync(p: PipelineConfig): p is ReleaseSyncConfig {
  return p.kind === 'release-sync';
}

/**
 * The pipeline a job or command was asked for. A job outlives the config it was enqueued under: if
 * the pipeline has since been removed (or is now of another kind), it fails with a usage error
 * rather than guessing.
 */
export function requirePipeline<K extends PipelineKind>(
  config: Pick<Config, 'pipelines'>,
  id: string,
  kind: K,
): PipelineOfKind<K> {
  const p = pipelineById(config, id);
  if (!p) throw new AppError('usage', `unknown pipeline ${JSON.stringify(id)}`);
  if (p.kind !== kind)
    throw new AppError('usage', `pipeline ${JSON.stringify(id)} is a ${p.kind} pipeline; this needs ${kind}`);
  return p as PipelineOfKind<K>;
}

export function requireReleaseSync(config: Pick<Config, 'pipelines'>, id: string): ReleaseSyncConfig {
  return requirePipeline(config, id, 'release-sync');
}

import type { Config, PipelineConfig } from './schema.js';
import { AppError } from '../errors.js';

/**
 * The pipeline a job was enqueued for. A job outlives the config it was enqueued under: if the
 * pipeline has since been removed, the job fails with a usage error rather than guessing.
 */
export function requirePipeline(config: Config, id: string): PipelineConfig {
  const p = config.pipelines.find((x) => x.id === id);
  if (!p) throw new AppError('usage', `unknown pipeline ${JSON.stringify(id)}`);
  return p;
}

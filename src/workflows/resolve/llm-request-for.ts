import type { LlmConfig } from '../../config/schema.js';
import type { LlmToolRequest } from '../../ports.js';
import { buildResolveRequest } from '../../core/resolve/llm-request.js';
import type { FileResolution } from '../../core/resolve/resolve-file.js';
import type { FileVersions } from '../../core/resolve/types.js';

/**
 * The request the LLM layer sends for one file's pending hunks, from the pipeline's LLM settings.
 * One builder for the run, its preview and the bench, so the preview and the bench ask what the run asks.
 */
export function llmRequestFor(
  settings: LlmConfig,
  file: { path: string; resolution: Pick<FileResolution, 'segments'>; versions: Pick<FileVersions, 'upstream'> | null },
  pending: readonly number[],
): LlmToolRequest {
  return buildResolveRequest({
    path: file.path,
    segments: file.resolution.segments,
    pending,
    outlineSource: file.versions?.upstream ?? '',
    contextLines: settings.contextLines,
    model: settings.model,
    maxTokens: settings.maxOutputTokens,
    timeoutMs: settings.timeoutMs,
  });
}

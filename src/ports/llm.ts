// LLM: one forced tool call, nothing else. The model gets data and a single tool whose input is
// the structured answer; it has no shell, no files and no other tools.

export interface LlmToolRequest {
  model: string;
  system: string;
  /** The user turn. File contents inside it are untrusted data, never instructions. */
  prompt: string;
  tool: { name: string; description: string; inputSchema: Record<string, unknown> };
  maxTokens: number;
  timeoutMs: number;
}

export interface LlmToolResult {
  /** The tool input the model produced; the caller validates it, it is not trusted. */
  input: unknown;
  model: string;
  stopReason: string | null;
  usage: { inputTokens: number; outputTokens: number };
}

export interface LlmPort {
  /**
   * Sends one request forcing `tool`. Throws AppError: rate_limited / unavailable / timeout once
   * the adapter's own retries are spent (transient), validation when no tool call came back.
   */
  callTool(request: LlmToolRequest, signal?: AbortSignal): Promise<LlmToolResult>;
}

// Fault injection for the Slack stand-in: per-method HTTP faults consumed in order, delays, and
// outages during which Socket Mode connections are refused (and optionally the Web API too).

export type HttpFault =
  | { kind: 'ratelimited'; retryAfterSeconds: number }
  | { kind: 'status'; status: number }
  | { kind: 'error'; error: string };

interface Rule {
  /** A Web API method name, or '*' for every method. */
  method: string;
  remaining: number;
  fault: HttpFault;
}

interface DelayRule {
  method: string;
  remaining: number;
  ms: number;
}

export interface FaultPlan {
  fault: HttpFault | undefined;
  delayMs: number;
  /** Carry the call out, then hold the answer this long: Slack did it, the client never heard. */
  holdAnswerMs: number;
}

export class SlackFaults {
  private rules: Rule[] = [];
  private delays: DelayRule[] = [];
  private holds: DelayRule[] = [];
  /** Methods whose request is being (or was) held by a delay, in arrival order: the moment to kill a client at. */
  readonly delayed: string[] = [];
  /** Methods carried out whose answer is being (or was) held, in order: a client killed now never records the effect. */
  readonly answersHeld: string[] = [];
  private outageUntil = 0;
  private outageWebApi = false;

  /** The next `times` calls answer HTTP 429 with `Retry-After: retryAfterSeconds` and `ratelimited`. */
  rateLimit(method: string, options: { times?: number; retryAfterSeconds?: number } = {}): this {
    return this.add(method, options.times ?? 1, {
      kind: 'ratelimited',
      retryAfterSeconds: options.retryAfterSeconds ?? 1,
    });
  }

  /** The next `times` calls answer with an HTTP error status (500 unless given). */
  serverError(method: string, options: { times?: number; status?: number } = {}): this {
    return this.add(method, options.times ?? 1, { kind: 'status', status: options.status ?? 500 });
  }

  /** The next `times` calls answer HTTP 200 `{ok:false, error}` (e.g. `channel_not_found`). */
  failWith(method: string, error: string, options: { times?: number } = {}): this {
    return this.add(method, options.times ?? 1, { kind: 'error', error });
  }

  /** Delays the answer to the next `times` calls (every call when omitted). */
  delay(method: string, ms: number, options: { times?: number } = {}): this {
    this.delays.push({ method, ms, remaining: options.times ?? Number.POSITIVE_INFINITY });
    return this;
  }

  /**
   * Carries out the next `times` calls (after `skip` calls that pass untouched), then holds each
   * answer for `ms`: the message exists in Slack while its poster still waits for the ts.
   */
  holdAnswer(method: string, ms: number, options: { times?: number; skip?: number } = {}): this {
    if (options.skip) this.holds.push({ method, ms: 0, remaining: options.skip });
    this.holds.push({ method, ms, remaining: options.times ?? 1 });
    return this;
  }

  /**
   * Refuses Socket Mode connections (upgrade answered 503) until endOutage(), or for `ms`.
   * With `webApi`, every Web API call answers 503 as well.
   */
  outage(options: { ms?: number; webApi?: boolean } = {}): this {
    this.outageUntil = options.ms === undefined ? Number.POSITIVE_INFINITY : Date.now() + options.ms;
    this.outageWebApi = options.webApi ?? false;
    return this;
  }

  endOutage(): this {
    this.outageUntil = 0;
    this.outageWebApi = false;
    return this;
  }

  inOutage(): boolean {
    return Date.now() < this.outageUntil;
  }

  webApiDown(): boolean {
    return this.outageWebApi && this.inOutage();
  }

  clear(): this {
    this.rules = [];
    this.delays = [];
    this.holds = [];
    return this.endOutage();
  }

  /** What to do with one call to `method`; consumes the matching rules. */
  take(method: string): FaultPlan {
    const rule = this.rules.find((r) => r.remaining > 0 && (r.method === method || r.method === '*'));
    if (rule) rule.remaining -= 1;
    const delay = this.delays.find((d) => d.remaining > 0 && (d.method === method || d.method === '*'));
    if (delay) {
      delay.remaining -= 1;
      this.delayed.push(method);
    }
    const hold = this.holds.find((h) => h.remaining > 0 && (h.method === method || h.method === '*'));
    if (hold) hold.remaining -= 1;
    return { fault: rule?.fault, delayMs: delay?.ms ?? 0, holdAnswerMs: rule ? 0 : (hold?.ms ?? 0) };
  }

  private add(method: string, times: number, fault: HttpFault): this {
    this.rules.push({ method, remaining: times, fault });
    return this;
  }
}

import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { AppError } from '../../errors.js';
import type { SlackFaults } from './slack-faults.js';

// Socket Mode as Slack runs it: apps.connections.open hands out a one-time ws:// URL, the server
// says hello, pushes envelopes, and expects `{envelope_id, payload}` back within 3 s.

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

export interface EnvelopeRecord {
  envelopeId: string;
  type: EnvelopeType;
  payload: Record<string, unknown>;
  /** The bot's ack payload; undefined while pending or when it never came. */
  ack: Record<string, unknown> | undefined;
  /** true when the ack arrived after the deadline (Slack shows the user an error by then). */
  late: boolean;
  /** Which connection got it: its number in the order connections were greeted (1, 2, …). */
  connection: number;
}

interface Pending {
  record: EnvelopeRecord;
  socket: WebSocket;
  resolve(ack: Record<string, unknown>): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

export class SocketModeServer {
  readonly envelopes: EnvelopeRecord[] = [];
  /** Connections that received hello, ever (reconnects count). */
  connectionCount = 0;
  /** Upgrades refused because of an outage (reconnect attempts the client made meanwhile). */
  refusedConnections = 0;
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sockets = new Set<WebSocket>();
  private readonly tickets = new Set<string>();
  private readonly pending = new Map<string, Pending>();
  private readonly events = new EventEmitter();
  private readonly numbers = new WeakMap<WebSocket, number>();
  private turn = 0;
  private accepted = 0;
  /**
   * false: every envelope goes to the newest open connection. true: envelopes take turns over the
   * open connections, as Slack spreads an app's events over its connections (several replicas).
   * Either way each envelope reaches exactly one connection.
   */
  spread = false;

  constructor(private readonly options: { faults: SlackFaults; ackTimeoutMs: number; appId: string }) {}

  /** A one-time URL for apps.connections.open. */
  issueUrl(origin: string): string {
    const ticket = randomUUID();
    this.tickets.add(ticket);
    return `${origin.replace(/^http/, 'ws')}/link/?ticket=${ticket}&app_id=${this.options.appId}`;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const ticket = url.searchParams.get('ticket') ?? '';
    const refuse = (status: string): void => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (this.options.faults.inOutage()) {
      this.refusedConnections += 1;
      return refuse('503 Service Unavailable');
    }
    if (url.pathname !== '/link/' || !this.tickets.delete(ticket)) return refuse('401 Unauthorized');
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
  }

  get openConnections(): number {
    return this.sockets.size;
  }

  /** Resolves once `count` connections in total have been greeted. */
  async waitForConnection(count = this.connectionCount + 1, timeoutMs = 15_000): Promise<void> {
    if (this.connectionCount >= count) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.events.off('hello', check);
        reject(new AppError('timeout', `no Socket Mode connection #${count} within ${timeoutMs} ms`));
      }, timeoutMs);
      const check = (): void => {
        if (this.connectionCount < count) return;
        clearTimeout(timer);
        this.events.off('hello', check);
        resolve();
      };
      this.events.on('hello', check);
    });
  }

  /** Sends an envelope on the newest connection; resolves with the ack payload. */
  send(
    type: EnvelopeType,
    payload: Record<string, unknown>,
    acceptsResponsePayload: boolean,
  ): Promise<Record<string, unknown>> {
    // A socket told to reconnect may still be closing: never hand it new work.
    const open = [...this.sockets].filter((s) => s.readyState === s.OPEN);
    const socket = this.spread ? open[this.turn++ % Math.max(1, open.length)] : open.at(-1);
    if (!socket) return Promise.reject(new AppError('unavailable', 'no Socket Mode connection is open'));
    const record: EnvelopeRecord = {
      envelopeId: randomUUID(),
      type,
      payload,
      ack: undefined,
      late: false,
      connection: this.numbers.get(socket) ?? 0,
    };
    this.envelopes.push(record);
    const envelope: Record<string, unknown> = {
      envelope_id: record.envelopeId,
      type,
      payload,
      accepts_response_payload: acceptsResponsePayload,
    };
    if (type === 'events_api') Object.assign(envelope, { retry_attempt: 0, retry_reason: '' });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(record.envelopeId);
        reject(
          new AppError('timeout', `no ack for ${type} envelope within ${this.options.ackTimeoutMs} ms`, {
            details: { envelopeId: record.envelopeId },
          }),
        );
      }, this.options.ackTimeoutMs);
      this.pending.set(record.envelopeId, { record, socket, resolve, reject, timer });
      socket.send(JSON.stringify(envelope));
    });
  }

  /** Asks clients to reconnect like Slack does (`disconnect` envelope), or drops them abruptly. */
  disconnect(options: { reason?: string; abrupt?: boolean } = {}): void {
    for (const socket of this.sockets) {
      if (options.abrupt) socket.terminate();
      else
        socket.send(
          JSON.stringify({
            type: 'disconnect',
            reason: options.reason ?? 'refresh_requested',
            debug_info: { host: 'applink-sandbox' },
          }),
        );
    }
  }

  async close(): Promise<void> {
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(new AppError('unavailable', 'Slack stand-in closed before the ack'));
    }
    this.pending.clear();
    await Promise.all([...this.sockets].map((s) => closeSocket(s)));
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private accept(ws: WebSocket): void {
    this.sockets.add(ws);
    this.numbers.set(ws, ++this.accepted);
    ws.on('message', (data) => this.onMessage(data.toString()));
    ws.on('close', () => {
      this.sockets.delete(ws);
      for (const [id, p] of this.pending) {
        if (p.socket !== ws) continue;
        clearTimeout(p.timer);
        this.pending.delete(id);
        p.reject(new AppError('unavailable', `Socket Mode connection closed before the ack of ${p.record.type}`));
      }
    });
    ws.on('error', () => ws.terminate());
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.sockets.size,
        debug_info: { host: 'applink-sandbox', build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: this.options.appId },
      }),
    );
    this.connectionCount += 1;
    this.events.emit('hello');
  }

  private onMessage(text: string): void {
    let message: { envelope_id?: string; payload?: Record<string, unknown> };
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      return;
    }
    const id = message.envelope_id;
    if (!id) return;
    const pending = this.pending.get(id);
    if (!pending) {
      const record = this.envelopes.find((e) => e.envelopeId === id);
      if (record) Object.assign(record, { ack: message.payload ?? {}, late: true });
      return;
    }
    clearTimeout(pending.timer);
    this.pending.delete(id);
    pending.record.ack = message.payload ?? {};
    pending.resolve(pending.record.ack);
  }
}

/** Close handshake, bounded: a client that never answers is cut off so tests end promptly. */
function closeSocket(socket: WebSocket): Promise<void> {
  return new Promise((resolve) => {
    if (socket.readyState === socket.CLOSED) return resolve();
    const timer = setTimeout(() => socket.terminate(), 1000);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.close(1001, 'going away');
  });
}

import { createRequire } from 'node:module';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { AppError } from '../../../errors.js';

// Every store port is synchronous (better-sqlite3 is). To run the same repositories on PostgreSQL
// without making the whole code base async, one worker thread owns a `pg` connection and the
// caller blocks on Atomics.wait until the worker has the answer (the technique of `synckit`).
// One connection, and one caller at a time: a transaction is simply the statements in between.
// The worker is eval'd source so it runs the same under tsx, vitest and the compiled dist.

export interface PgResult {
  rows: Record<string, unknown>[];
  rowCount: number;
}

export class PgBridgeError extends Error {
  readonly code: string | undefined;
  constructor(message: string, code: string | undefined) {
    super(message);
    this.name = 'PgBridgeError';
    this.code = code;
  }
}

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const pg = require(workerData.pgPath);
const { port, flag, url } = workerData;
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));
let client = null;
// A connection lost inside a transaction took the transaction with it: until the caller ends it
// (ROLLBACK), every statement fails, so a COMMIT on a fresh connection never reports success.
let inTx = false;
let txLost = false;
function drop(c) {
  if (client !== c) return;
  client = null;
  if (inTx) txLost = true;
  c.end().catch(() => {});
}
// The caller is blocked while we connect: a server that is down fails fast (5 s to connect, then
// 1 s of immediate failures) rather than freezing the process on every statement.
// Statements every new connection runs first (session-level locks that name this process).
const session = [];
let failedAt = 0;
let failure = null;
async function connection() {
  if (client) return client;
  if (failure && Date.now() - failedAt < 1000) throw failure;
  const c = new pg.Client({ connectionString: url, application_name: 'upstream-sync', connectionTimeoutMillis: 5000 });
  c.on('error', () => drop(c));
  try {
    await c.connect();
    // A replica frozen inside a transaction (stopped, swapped out) would hold the writers' lock
    // for ever: the server ends such a session, and a waiter gives up rather than hang.
    await c.query("SET idle_in_transaction_session_timeout = '15s'; SET lock_timeout = '30s'");
    for (const statement of session) await c.query(statement);
  } catch (err) {
    failedAt = Date.now();
    failure = err;
    c.end().catch(() => {});
    throw err;
  }
  failure = null;
  client = c;
  return c;
}
port.on('message', async (msg) => {
  let reply;
  try {
    if (msg.op === 'session') {
      session.push(msg.sql);
      // A new connection runs it with the others; an open one runs it now.
      if (client) await client.query(msg.sql);
      else await connection();
      reply = { ok: true, rows: [], rowCount: 0 };
    } else if (msg.op === 'end') {
      if (client) await client.end().catch(() => {});
      client = null;
      reply = { ok: true, rows: [], rowCount: 0 };
    } else {
      const verb = /^\\s*(BEGIN|COMMIT|ROLLBACK)\\s*$/i.exec(msg.sql);
      const ending = verb && verb[1].toUpperCase() !== 'BEGIN';
      if (txLost) {
        if (ending) { inTx = false; txLost = false; }
        throw Object.assign(new Error('the connection to PostgreSQL was lost inside a transaction; it was rolled back'), { code: 'ECONNRESET' });
      }
      const c = await connection();
      if (verb) inTx = !ending;
      const r = await c.query(msg.params ? { text: msg.sql, values: msg.params } : msg.sql);
      const last = Array.isArray(r) ? r[r.length - 1] : r;
      reply = { ok: true, rows: (last && last.rows) || [], rowCount: (last && last.rowCount) || 0 };
    }
  } catch (err) {
    if (client && (err.code === undefined || err.code === 'ECONNRESET' || err.code === '57P01')) drop(client);
    reply = { ok: false, message: String(err && err.message || err), code: err && err.code };
  }
  port.postMessage(reply);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});
`;

type Reply =
  { ok: true; rows: Record<string, unknown>[]; rowCount: number } | { ok: false; message: string; code?: string };

export class PgBridge {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));
  private closed = false;

  constructor(
    url: string,
    private readonly timeoutMs = 60_000,
  ) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const pgPath = createRequire(import.meta.url).resolve('pg');
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { port: port2, flag: this.flag, url, pgPath },
      transferList: [port2],
    });
    // The worker never keeps the process alive: close() ends it, and so does the process's end.
    this.worker.unref();
    this.port.unref();
  }

  /** Runs one statement (or, without params, a script of several) and waits for the answer. */
  query(sql: string, params?: unknown[]): PgResult {
    if (this.closed) throw new AppError('internal', 'the PostgreSQL store is closed');
    const reply = this.call({ op: 'query', sql, ...(params ? { params } : {}) });
    if (!reply.ok) throw new PgBridgeError(reply.message, reply.code);
    return { rows: reply.rows, rowCount: reply.rowCount };
  }

  /** Runs `sql` now and again first thing on every later connection (it survives a reconnect). */
  onEveryConnection(sql: string): void {
    if (this.closed) throw new AppError('internal', 'the PostgreSQL store is closed');
    const reply = this.call({ op: 'session', sql });
    if (!reply.ok) throw new PgBridgeError(reply.message, reply.code);
  }

  close(): void {
    if (this.closed) return;
    try {
      this.call({ op: 'end' });
    } catch {
      // Ending is best effort: terminate() below closes the socket anyway.
    }
    this.closed = true;
    void this.worker.terminate();
    this.port.close();
  }

  private call(message: Record<string, unknown>): Reply {
    Atomics.store(this.flag, 0, 0);
    this.port.postMessage(message);
    const waited = Atomics.wait(this.flag, 0, 0, this.timeoutMs);
    if (waited === 'timed-out') {
      throw new PgBridgeError(`PostgreSQL did not answer within ${this.timeoutMs} ms`, 'ETIMEDOUT');
    }
    const received = receiveMessageOnPort(this.port);
    if (!received) throw new PgBridgeError('the PostgreSQL worker answered nothing', 'EBRIDGE');
    return received.message as Reply;
  }
}

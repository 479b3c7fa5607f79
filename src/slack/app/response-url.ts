import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { AppError } from '../../errors.js';

// Answers to a person go to the interaction's response_url. Bolt's respond() opens a new
// connection per answer; under a burst of commands that is most of the bot's CPU (and a TLS
// handshake each against Slack). A few kept-alive sockets carry them all instead.

export class ResponseUrlPoster {
  private readonly http = new HttpAgent({ keepAlive: true, maxSockets: 8 });
  private readonly https = new HttpsAgent({ keepAlive: true, maxSockets: 8 });

  constructor(private readonly timeoutMs = 10_000) {}

  /**
   * A kept-alive socket the server closed while idle fails the next request with ECONNRESET before
   * the server read it (Node's docs on `request.reusedSocket`): that one is sent again, once, on a
   * new connection. Any other failure is the caller's.
   */
  async post(url: string, body: Record<string, unknown>): Promise<void> {
    try {
      await this.send(url, body);
    } catch (err) {
      if (!(err instanceof StaleSocket)) throw err;
      await this.send(url, body);
    }
  }

  private send(url: string, body: Record<string, unknown>): Promise<void> {
    const target = new URL(url);
    const secure = target.protocol === 'https:';
    if (!secure && target.protocol !== 'http:')
      return Promise.reject(new AppError('validation', `not an http(s) response_url: ${target.protocol}`));
    const payload = Buffer.from(JSON.stringify(body));
    const send = secure ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(
        target,
        {
          method: 'POST',
          agent: secure ? this.https : this.http,
          timeout: this.timeoutMs,
          headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': payload.length },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            if (status < 400) resolve();
            else
              reject(
                new AppError(
                  status === 429 ? 'rate_limited' : status >= 500 ? 'unavailable' : 'validation',
                  `response_url answered HTTP ${status}`,
                ),
              );
          });
        },
      );
      req.on('timeout', () => req.destroy(new AppError('timeout', 'response_url did not answer')));
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (req.reusedSocket && err.code === 'ECONNRESET') reject(new StaleSocket(err));
        else
          reject(
            err instanceof AppError ? err : new AppError('network', `response_url: ${err.message}`, { cause: err }),
          );
      });
      req.end(payload);
    });
  }

  close(): void {
    this.http.destroy();
    this.https.destroy();
  }
}

class StaleSocket extends AppError {
  constructor(cause: Error) {
    super('network', `response_url: ${cause.message} (a kept-alive socket the server had closed)`, { cause });
  }
}

import { spawn } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isolatedGitEnv } from '../scratch-repo.js';

// Git's smart HTTP protocol, served by git's own CGI program: the stand-in checks the token and
// hands the request to `git http-backend`, which runs the real upload-pack / receive-pack
// (with the bare repository's receive.* settings, so force pushes are refused as configured).

export const GIT_PATH = /^\/([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)\.git(\/.*)?$/;

export type GitService = 'fetch' | 'push';

/** Which side of the protocol a request belongs to: receive-pack is a push, the rest fetches. */
export function gitService(pathname: string, query: URLSearchParams): GitService {
  return pathname.endsWith('/git-receive-pack') || query.get('service') === 'git-receive-pack' ? 'push' : 'fetch';
}

/** Token from Basic (as password or user name, like GitHub) or Bearer credentials; null when absent. */
export function credentialsToken(header: string | undefined): string | null {
  if (!header) return null;
  const [scheme, value = ''] = header.split(/\s+/, 2);
  if (/^bearer$/i.test(scheme ?? '') || /^token$/i.test(scheme ?? '')) return value;
  if (!/^basic$/i.test(scheme ?? '')) return null;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = colon < 0 ? decoded : decoded.slice(0, colon);
  const password = colon < 0 ? '' : decoded.slice(colon + 1);
  return password || user || null;
}

/**
 * Runs http-backend for one request. `beforeEnd` runs after git finished and before the response
 * ends, so when a client's `git push` returns, everything the push caused has been recorded.
 */
export function serveGit(
  req: IncomingMessage,
  res: ServerResponse,
  options: {
    projectRoot: string;
    pathname: string;
    query: string;
    remoteUser: string;
    beforeEnd?: (status: number) => Promise<void>;
  },
): Promise<number> {
  return new Promise((resolve) => {
    const env = isolatedGitEnv({
      GIT_PROJECT_ROOT: options.projectRoot,
      GIT_HTTP_EXPORT_ALL: '1',
      PATH_INFO: options.pathname,
      QUERY_STRING: options.query,
      REQUEST_METHOD: req.method ?? 'GET',
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      REMOTE_USER: options.remoteUser,
      REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
      ...(req.headers['content-length'] ? { CONTENT_LENGTH: req.headers['content-length'] } : {}),
      ...(req.headers['content-encoding'] ? { HTTP_CONTENT_ENCODING: req.headers['content-encoding'] } : {}),
      ...(typeof req.headers['git-protocol'] === 'string' ? { GIT_PROTOCOL: req.headers['git-protocol'] } : {}),
    });
    const child = spawn('git', ['http-backend'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    req.pipe(child.stdin);
    child.stdin.on('error', () => undefined);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));

    let head = Buffer.alloc(0);
    let status = 200;
    let headersDone = false;
    child.stdout.on('data', (chunk: Buffer) => {
      if (headersDone) {
        res.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      headersDone = true;
      for (const line of head.subarray(0, end).toString('latin1').split('\r\n')) {
        const colon = line.indexOf(':');
        if (colon < 0) continue;
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 500;
        else res.setHeader(name, value);
      }
      res.statusCode = status;
      res.write(head.subarray(end + 4));
    });
    child.on('close', (code) => {
      if (!headersDone) {
        res.statusCode = 500;
        res.end(`git http-backend failed (${code}): ${stderr}`);
        resolve(500);
        return;
      }
      const finish = () => {
        res.end();
        resolve(status);
      };
      if (options.beforeEnd) options.beforeEnd(status).then(finish, finish);
      else finish();
    });
  });
}

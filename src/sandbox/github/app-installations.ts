import type { createPublicKey } from 'node:crypto';
import { generateKeyPairSync, randomBytes, verify } from 'node:crypto';

// A GitHub App in the stand-in: its private key (handed to the bot as GITHUB_APP_PRIVATE_KEY),
// JWT checks (RS256 signature and issuer; times are not checked, the bot's clock is real while
// the stand-in's may be a test's), one installation, and installation tokens that expire after
// `tokenTtlMs` of the stand-in's clock. An expired token answers 401 like GitHub.

export interface AppInstallationOptions {
  appId?: number;
  installationId?: number;
  /** GitHub's installation tokens live one hour. */
  tokenTtlMs?: number;
}

export class AppInstallations {
  readonly appId: number;
  readonly installationId: number;
  readonly slug = 'upstream-sync';
  readonly privateKey: string;
  private readonly publicKey: ReturnType<typeof createPublicKey>;
  private readonly ttlMs: number;
  /** token → expiry (ms on the stand-in's clock). */
  readonly expiries = new Map<string, number>();
  /** Every token issued, oldest first. */
  readonly issued: Array<{ token: string; expiresAt: string }> = [];

  constructor(
    options: AppInstallationOptions,
    private readonly now: () => Date,
  ) {
    this.appId = options.appId ?? 424242;
    this.installationId = options.installationId ?? 7_000_001;
    this.ttlMs = options.tokenTtlMs ?? 3600_000;
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    this.publicKey = publicKey;
  }

  get login(): string {
    return `${this.slug}[bot]`;
  }

  /** True for a JWT signed with the app's key and issued for it. */
  verifyJwt(jwt: string): boolean {
    const parts = jwt.split('.');
    if (parts.length !== 3) return false;
    const [header, payload, signature] = parts as [string, string, string];
    const ok = verify(
      'RSA-SHA256',
      Buffer.from(`${header}.${payload}`),
      this.publicKey,
      Buffer.from(signature, 'base64url'),
    );
    if (!ok) return false;
    try {
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { iss?: unknown };
      return String(claims.iss) === String(this.appId);
    } catch {
      return false;
    }
  }

  issue(): { token: string; expires_at: string } {
    const token = `ghs_${randomBytes(18).toString('hex')}`;
    const expiresAt = new Date(this.now().getTime() + this.ttlMs).toISOString();
    this.expiries.set(token, Date.parse(expiresAt));
    this.issued.push({ token, expiresAt });
    return { token, expires_at: expiresAt };
  }

  /** Whether `token` is one of ours and past its expiry. */
  expired(token: string): boolean {
    const at = this.expiries.get(token);
    return at !== undefined && this.now().getTime() >= at;
  }
}

import type { createPublicKey } from 'node:crypto';
import { generateKeyPairSync, randomBytes, verify } from 'node:crypto';

// A GitHub App in the stand-in: its private key (handed to the bot as GITHUB_APP_PRIVATE_KEY),
// JWT checks (RS256 signature and issuer; times are not checked, the bot's clock is real while
// the stand-in's may be a test's), one installation (or one per account, `installations`), and
// installation tokens that expire after `tokenTtlMs` of the stand-in's clock. An expired token
// answers 401 like GitHub; a token of one installation sees no repository of another (404).

export interface AppInstallationOptions {
  appId?: number;
  installationId?: number;
  /**
   * Account (owner) → installation id, for an App installed on several accounts. Repositories of
   * other owners have no installation (GET …/installation answers 404) and are readable by any token.
   * Default: every account is in `installationId`.
   */
  installations?: Record<string, number>;
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
  readonly issued: Array<{ token: string; expiresAt: string; installationId: number }> = [];
  private readonly byOwner: Map<string, number> | null;
  private readonly tokenInstallation = new Map<string, number>();

  constructor(
    options: AppInstallationOptions,
    private readonly now: () => Date,
  ) {
    this.appId = options.appId ?? 424242;
    this.installationId = options.installationId ?? 7_000_001;
    this.ttlMs = options.tokenTtlMs ?? 3600_000;
    this.byOwner = options.installations
      ? new Map(Object.entries(options.installations).map(([o, id]) => [o.toLowerCase(), id]))
      : null;
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

  /** The installation covering `owner`'s repositories; null when the App is not installed there. */
  installationFor(owner: string): number | null {
    if (!this.byOwner) return this.installationId;
    return this.byOwner.get(owner.toLowerCase()) ?? null;
  }

  /** Whether `id` is one of the App's installations. */
  hasInstallation(id: number): boolean {
    return this.byOwner ? [...this.byOwner.values()].includes(id) : id === this.installationId;
  }

  /** False when `token` is an installation token and `owner`'s repositories belong to another installation. */
  mayAccess(token: string, owner: string): boolean {
    const mine = this.tokenInstallation.get(token);
    if (mine === undefined) return true;
    const theirs = this.installationFor(owner);
    return theirs === null || theirs === mine;
  }

  issue(installationId = this.installationId): { token: string; expires_at: string } {
    const token = `ghs_${randomBytes(18).toString('hex')}`;
    const expiresAt = new Date(this.now().getTime() + this.ttlMs).toISOString();
    this.expiries.set(token, Date.parse(expiresAt));
    this.tokenInstallation.set(token, installationId);
    this.issued.push({ token, expiresAt, installationId });
    return { token, expires_at: expiresAt };
  }

  /** Whether `token` is one of ours and past its expiry. */
  expired(token: string): boolean {
    const at = this.expiries.get(token);
    return at !== undefined && this.now().getTime() >= at;
  }
}

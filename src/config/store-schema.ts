import { z } from 'zod';

// Where jobs and records live. SQLite (a file in the data directory) is the embedded default;
// PostgreSQL lets several `start` replicas share one database. Its URL holds a password, so the
// file names the environment variable that carries it (`${NAME}`), never the secret itself.

const ENV_REF = /^\$\{([A-Z_][A-Z0-9_]*)\}$/;

const postgresUrl = z
  .string()
  .superRefine((value, ctx) => {
    if (ENV_REF.test(value)) return;
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be "${ENV_VAR}" naming the variable that holds the URL' });
      return;
    }
    if (!/^postgres(ql)?:$/.test(parsed.protocol)) {
      ctx.addIssue({ code: 'custom', message: 'must be a postgres:// URL, or "${ENV_VAR}"' });
    } else if (parsed.password) {
      ctx.addIssue({
        code: 'custom',
        message:
          'holds a password: put the URL in the environment (e.g. DATABASE_URL) and write url: "${DATABASE_URL}"',
      });
    }
  })
  .describe(
    'For `postgres`: "${NAME}" reads the URL from that environment variable (default "${DATABASE_URL}"); a URL written here must not hold a password.',
  );

export const storeSchema = z
  .object({
    kind: z
      .enum(['sqlite', 'postgres'])
      .default('sqlite')
      .describe(
        '`sqlite`: one file in the data directory, for one process (the default). `postgres`: several `start` replicas share one database (README "Replicas on PostgreSQL").',
      ),
    url: postgresUrl.optional(),
    leaseSeconds: z
      .number()
      .int()
      .min(2)
      .max(3600)
      .default(60)
      .describe(
        'How long a running job stays with its process without a heartbeat (renewed every third of it). A replica that stops answering (host lost, frozen) has its jobs taken over by another within this time; one whose process is gone on the same host, at once.',
      ),
  })
  .strict()
  .superRefine((store, ctx) => {
    if (store.kind === 'sqlite' && store.url !== undefined)
      ctx.addIssue({ code: 'custom', path: ['url'], message: 'only a postgres store has a url' });
  })
  .default({ kind: 'sqlite', leaseSeconds: 60 })
  .describe('Where jobs, sync records, cards, the outbox, audit, resolution memory and webhook deliveries live.');

export type StoreConfig = z.output<typeof storeSchema>;

/** The URL a postgres store connects to, read from the environment; a message when it is missing. */
export function postgresUrlFrom(
  store: StoreConfig,
  env: Record<string, string | undefined>,
): { ok: true; url: string; variable: string | null } | { ok: false; message: string } {
  const written = store.url ?? '${DATABASE_URL}';
  const ref = ENV_REF.exec(written);
  if (!ref) return { ok: true, url: written, variable: null };
  const variable = ref[1] as string;
  const url = env[variable];
  if (!url) return { ok: false, message: `store.url: the environment variable ${variable} is not set` };
  return { ok: true, url, variable };
}

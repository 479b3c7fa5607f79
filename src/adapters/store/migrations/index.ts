import type { Migration } from '../migrate.js';
import { migration001 } from './001-core.js';
import { migration002 } from './002-sync.js';
import { migration003 } from './003-resolver.js';
import { migration004 } from './004-slack.js';
import { migration012 } from './012-slack-dropped.js';
import { migration016 } from './016-mirror.js';
import { migration013 } from './013-slack-requests.js';
import { migration017 } from './017-dispatch.js';
import { migration020 } from './020-ledger.js';
import { migration023 } from './023-http-cache.js';
import { migration024 } from './024-audit-append-only.js';
import { migration113 } from './113-slack-post-intent.js';
import { migration119 } from './119-ci-fix.js';
import { migration231 } from './231-slack-requests-owner.js';

// Every migration the code knows, in any order (applyMigrations sorts). Numbers 002–005 are
// reserved: 002 sync, 003 resolver, 004 slack, 005 release; 012 dropped Slack posts, 016 mirror, 017 dispatch,
// 023 http cache, 024 audit, 113 slack post intent, 119 CI fixer, 231 slack request owners (replicas).
export const MIGRATIONS: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration012,
  migration016,
  migration013,
  migration017,
  migration020,
  migration023,
  migration024,
  migration113,
  migration119,
  migration231,
];

// The composition root: the only place real clients, loops and servers are built (the services
// every command shares, then for `start` the Bolt app, outbox dispatcher, scheduler, CI watcher,
// web server and webhooks). Everything else receives narrow dependencies. Other modules extend
// Services and createServices surgically: add a field, build it below from what is already here,
// register job handlers in registerJobs. The parts live in app/: services.ts (what every command
// shares), slack-parts.ts, bot.ts (Bolt and the loops of `start`), start-app.ts, probes.ts (preflight).

export * from './app/services.js';
export * from './app/bot.js';
export * from './app/start-app.js';
export * from './app/probes.js';

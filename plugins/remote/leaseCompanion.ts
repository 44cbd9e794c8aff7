import type {RunCompanion, RunCompanionHandle} from '../runs/api.js';
import {createClient, RemoteError} from './client.js';
import {LEASE_COMPANION, type LeaseCompanionData} from './api.js';

const isData = (d: unknown): d is LeaseCompanionData => {
  const x = d as Partial<LeaseCompanionData> | null;
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof x.server === 'string' &&
    typeof x.token === 'string' &&
    (x.node === undefined || typeof x.node === 'string') &&
    typeof x.renewEveryMs === 'number' &&
    x.renewEveryMs > 0 &&
    typeof x.timeoutMs === 'number'
  );
};

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * Beside a dispatched run, in its supervisor: renews the node's lease every `renewEveryMs` while
 * the run lives, binds the run's session to its agent token (and to the lease) once the harness
 * names it, and releases the lease when the run fails. Its troubles go to supervisor.log.
 */
export const leaseCompanion: RunCompanion = {
  name: LEASE_COMPANION,
  start(ctx): RunCompanionHandle {
    if (!isData(ctx.data)) throw new Error('the lease companion was handed no usable {server, token, renewEveryMs}');
    const d = ctx.data;
    const client = createClient({server: d.server, token: d.token, timeoutMs: d.timeoutMs});
    const path = d.node === undefined ? undefined : `/v1/nodes/${encodeURIComponent(d.node)}`;
    let session: string | undefined;
    let lost = false;
    // The session binding may still be on the wire when a short run ends: the end waits for it.
    let binding: Promise<void> = Promise.resolve();
    const renew = async (): Promise<void> => {
      if (path === undefined || lost) return;
      try {
        await client.request('POST', `${path}/renew`, {body: session === undefined ? {} : {session}});
      } catch (e) {
        // Someone else holds it now, or it lapsed: renewing again cannot bring it back.
        if (e instanceof RemoteError && e.status === 409) lost = true;
        ctx.warn(`renewing the lease on ${d.node}: ${messageOf(e)}${lost ? ' (no longer renewed)' : ''}`);
      }
    };
    const timer = path === undefined ? undefined : setInterval(() => void renew(), d.renewEveryMs);
    // The run keeps the supervisor alive, not this timer.
    timer?.unref();
    return {
      session(id) {
        session = id;
        binding = (async () => {
          if (d.bindSession) await client.request('POST', '/v1/agents/session', {body: {session: id}});
          await renew();
        })();
        return binding;
      },
      async ended(outcome) {
        clearInterval(timer);
        await binding.catch(() => undefined);
        if (path === undefined || lost || outcome.state === 'done') return;
        await client.request('POST', `${path}/release`, {body: {}});
      },
    };
  },
};

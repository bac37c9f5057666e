/**
 * The provider sandbox: a real HTTP server on 127.0.0.1 that behaves like the providers in SPEC.md
 * (auth, validation bodies, per-entry results, asynchronous status, idempotency, rate limits),
 * with fault injection and a ledger of what was charged. The app's default connection and the
 * tests' provider.
 *
 *   const sb = await startSandbox({ port?: 0, seed?: 1, faults?: FaultsConfig, outcomes?: OutcomeConfig,
 *                                   clock?: Clock, s3?: boolean (default true) });
 *   sb.url                         'http://127.0.0.1:PORT'
 *   sb.providers.epay              'http://127.0.0.1:PORT/epay'  (also wonder, sibs, jpmmps, hypercard)
 *   sb.s3                          { endpoint, region, bucket, accessKeyId, secretAccessKey, forcePathStyle } | undefined
 *   sb.ledger                      Ledger: charges(p?), duplicates(p?, keyOf?), keys(p?), requests(p), snapshot()
 *   sb.setFaults({ epay: { rate: 0.1, kinds: ['drop', '500'] } })     replaces the fault plan ({} = none)
 *   sandboxConnection('epay', sb)  → { provider, baseUrl, credentials } (connection.json of issue 8)
 *   await sb.close()
 *
 * Base URL = provider prefix; paths below it are the provider's own (`{baseUrl}/public/api/v1/mit/batch`).
 * Over HTTP: GET /_sandbox (description), GET /_sandbox/ledger, PUT /_sandbox/faults (JSON plan).
 * Magic amounts that force a decline: see ./outcomes. Credentials: ./credentials (SANDBOX ONLY).
 */
import { Faults, type FaultsConfig } from './faults';
import { Ledger, type SandboxProviderId } from './ledger';
import { IdMaker, systemClock, type Clock } from './random';
import type { OutcomeConfig } from './outcomes';
import { startServer } from './server';
import type { ProviderSim, SimContext } from './sim';
import { EpaySim } from './epay';
import { SibsSim } from './sibs';
import { JpmmpsSim } from './jpmmps';
import { WonderSim, type WonderOptions } from './wonder';
import { HypercardSim } from './hypercard';
import { startS3, type SandboxS3 } from './s3';
import { SANDBOX_CREDENTIALS } from './credentials';

export { Ledger, SANDBOX_PROVIDERS, type SandboxProviderId, type LedgerEntry, type KeyStats, type DuplicateCharge, type RequestStats } from './ledger';
export { FAULT_KINDS, type FaultConfig, type FaultsConfig, type FaultKind } from './faults';
export { manualClock, systemClock, type Clock, type ManualClock } from './random';
export { DECLINE_REASONS, type OutcomeConfig, type DeclineReason } from './outcomes';
export { SANDBOX_CREDENTIALS, SANDBOX_HYPERCARD_CARD_IDS } from './credentials';
export type { SandboxS3 } from './s3';
export { WONDER_PATHS, type WonderOptions } from './wonder';
export { HYPERCARD_MAX_MONTHS } from './hypercard';

export interface SandboxOptions {
  /** 0 (default) = a free port. */
  port?: number;
  seed?: number;
  faults?: FaultsConfig;
  outcomes?: OutcomeConfig;
  clock?: Clock;
  /** Start the S3-compatible store for Wonder uploads (default true). */
  s3?: boolean;
  /** Wonder's account currency and Amount unit (default HKD, major units). */
  wonder?: WonderOptions;
}

export interface Sandbox {
  url: string;
  port: number;
  seed: number;
  providers: Record<SandboxProviderId, string>;
  s3?: SandboxS3;
  ledger: Ledger;
  clock: Clock;
  setFaults(faults: FaultsConfig): void;
  close(): Promise<void>;
}

export interface SandboxConnection {
  provider: SandboxProviderId;
  baseUrl: string;
  /** SANDBOX ONLY: the sandbox's own well-known credentials. */
  sandbox: true;
  credentials: Record<string, unknown>;
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const seed = opts.seed ?? 1;
  const clock = opts.clock ?? systemClock;
  const ledger = new Ledger();
  const faults = new Faults(seed, opts.faults ?? {});
  const ctx: SimContext = { clock, seed, ledger, outcomes: opts.outcomes ?? {}, ids: new IdMaker(seed) };
  const sims = new Map<SandboxProviderId, ProviderSim>();
  for (const sim of [new WonderSim(ctx, opts.wonder), new EpaySim(ctx), new SibsSim(ctx), new JpmmpsSim(ctx), new HypercardSim(ctx)]) sims.set(sim.id, sim);
  const s3 = opts.s3 === false ? undefined : await startS3();
  const providers = {} as Record<SandboxProviderId, string>;
  let server;
  try {
    server = await startServer({
      port: opts.port ?? 0,
      sims,
      faults,
      ledger,
      describe: () => ({ sandbox: true, note: 'Batchdesk provider sandbox: nothing is charged.', providers, s3: s3?.s3.endpoint ?? null }),
    });
  } catch (e) {
    await s3?.close();
    throw e;
  }
  for (const id of sims.keys()) providers[id] = `${server.url}/${id}`;
  let closed: Promise<void> | undefined;
  return {
    url: server.url,
    port: server.port,
    seed,
    providers,
    ...(s3 ? { s3: s3.s3 } : {}),
    ledger,
    clock,
    setFaults: (f) => faults.set(f),
    close: () => {
      closed ??= (async () => {
        await server.close();
        await Promise.all([...sims.values()].map((sim) => sim.close?.()));
        await s3?.close();
      })();
      return closed;
    },
  };
}

/** The connection.json of issue 8 for one provider of a running sandbox (credentials are the sandbox's, labelled so). */
export function sandboxConnection(provider: SandboxProviderId, sandbox: Pick<Sandbox, 'providers' | 's3'>): SandboxConnection {
  const baseUrl = sandbox.providers[provider];
  if (baseUrl === undefined) throw new Error(`The sandbox does not serve ${provider}.`);
  const c = SANDBOX_CREDENTIALS;
  switch (provider) {
    case 'epay':
      return { provider, baseUrl, sandbox: true, credentials: { ...c.epay } };
    case 'sibs':
      return { provider, baseUrl, sandbox: true, credentials: { ...c.sibs } };
    case 'jpmmps':
      return { provider, baseUrl, sandbox: true, credentials: { ...c.jpmmps } };
    case 'hypercard':
      return { provider, baseUrl, sandbox: true, credentials: { ...c.hypercard } };
    case 'wonder': {
      const s3 = sandbox.s3;
      if (!s3) throw new Error('The Wonder sandbox connection uploads to the sandbox S3 store: start the sandbox with s3 enabled.');
      return {
        provider,
        baseUrl,
        sandbox: true,
        credentials: { ...c.wonder, upload: { s3: { endpoint: s3.endpoint, region: s3.region, bucket: s3.bucket, accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey, forcePathStyle: true } } },
      };
    }
  }
}

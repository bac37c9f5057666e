/** One connector per provider folder; the outbox and "Test connection" find them here. */
import type { ProfileId } from '../../../../shared/formats/types';
import { redactSecrets, type Connection } from './connection';
import { EpayConnector } from './epay/connector';
import { SibsConnector } from './sibs/connector';
import { JpmmpsConnector } from './jpmmps/connector';
import { WonderConnector } from './wonder/connector';
import { HypercardClient } from './hypercard/inquiry';
import { TransportError } from './http';
import { redacting } from './redacting';
import { ConnectionProblem, type Connector } from './types';

export function createConnector(conn: Connection): Connector {
  return redacting(connectorOf(conn), conn);
}

function connectorOf(conn: Connection): Connector {
  switch (conn.provider) {
    case 'epay':
      return new EpayConnector(conn);
    case 'sibs':
      return new SibsConnector(conn);
    case 'jpmmps':
      return new JpmmpsConnector(conn);
    case 'wonder':
      return new WonderConnector(conn);
    case 'hypercard':
      throw new ConnectionProblem('HyperCard is used to reconcile card statements; batches are not submitted to it.');
  }
}

export function isSubmittingProvider(id: string): id is ProfileId {
  return id === 'wonder' || id === 'epay' || id === 'sibs' || id === 'jpmmps';
}

export interface ConnectionTestResult {
  ok: boolean;
  message: string;
}

/** "Test connection": a side-effect-free call; the answer is in the clerk's words, never a secret. */
export async function testConnection(conn: Connection, signal?: AbortSignal): Promise<ConnectionTestResult> {
  try {
    const message = conn.provider === 'hypercard' ? await new HypercardClient(conn).test(signal) : await createConnector(conn).test(signal);
    return { ok: true, message };
  } catch (e) {
    // A provider's error text may echo what was sent: any secret in it is blanked.
    if (e instanceof TransportError || e instanceof ConnectionProblem) return { ok: false, message: redactSecrets(e.message, conn) };
    return { ok: false, message: redactSecrets(`The test failed: ${(e as Error).message}`, conn) };
  }
}

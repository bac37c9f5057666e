/**
 * Settings → Connections channels. Secrets arrive in `connections.save` and never leave main:
 * every answer is a ConnectionView (which secrets are set, not their values).
 */
import type { Services } from '../services';
import type { Handlers } from './wrap';

type ConnectionChannel = 'connections.list' | 'connections.save' | 'connections.delete' | 'connections.restore' | 'connections.test' | 'connections.export' | 'connections.import';

export function connectionHandlers(s: Services): Pick<Handlers, ConnectionChannel> {
  return {
    'connections.list': () => s.connections.list(),
    'connections.save': (input) => s.connections.save(input),
    'connections.delete': (input) => s.connections.delete(input.id),
    'connections.restore': (input) => s.connections.restore(input.id),
    'connections.test': (input) => (input.draft ? s.connections.testDraft({ ...input.draft, provider: input.provider, id: input.id ?? undefined }) : s.connections.test(input.id, input.provider)),
    'connections.export': (input) => s.connections.exportJson(input.ids),
    'connections.import': (input) => s.connections.importJson(input.json),
  };
}

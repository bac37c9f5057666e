import type { PolicyView } from '../../../../shared/contract';

/** What the administrator's policy sets on this machine, where it comes from, and what is wrong with it. */
export function ManagedPolicy({ policy }: { policy: PolicyView }) {
  if (policy.managed.length === 0 && policy.problems.length === 0) return null;
  return (
    <section className="managed" aria-labelledby="managed-title">
      <h2 id="managed-title">Managed by your administrator</h2>
      {policy.problems.length > 0 && (
        <div className="warning" role="note" aria-label="Policy problems">
          <p>The policy on this machine has problems; safe defaults apply where it could not be used. Tell your administrator:</p>
          <ul>
            {policy.problems.map((p, i) => (
              <li key={i}>
                {p.message} <span className="muted">({p.source})</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {policy.managed.length > 0 && (
        <table className="managed-values" aria-label="Managed values">
          <thead>
            <tr>
              <th scope="col">Setting</th>
              <th scope="col">Value</th>
              <th scope="col">Set by</th>
            </tr>
          </thead>
          <tbody>
            {policy.managed.map((m) => (
              <tr key={m.key}>
                <td>{m.label}</td>
                <td>{m.value}</td>
                <td>
                  <code>{m.source}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

import { SANDBOX_NOTICE } from '../../../../shared/contract/submissions';

/** Shown wherever money is shown while the connection is the built-in sandbox. */
export function SandboxLabel({ sandbox }: { sandbox: boolean }) {
  if (!sandbox) return <span className="live-label">Live connection — real cards are charged</span>;
  return <span className="sandbox-label">{SANDBOX_NOTICE}</span>;
}

import { useEffect, useId, useRef, useState } from 'react';

interface Props {
  /** The row's line as the grid shows it, and its masked number (first 6 / last 4). */
  line: number | string;
  masked: string;
  /** Asks main to reveal (audited there); rejects with the clerk-words refusal. */
  onReveal(reason: string): Promise<void>;
  /** Closed without revealing (Escape, Cancel) or after revealing: the caller puts focus back. */
  onClose(): void;
}

/**
 * Revealing a full card number is deliberate: a modal dialog asks why (kept in the history), says
 * that it is audited, traps focus while open and hands it back on close (the caller restores it
 * to the grid cell the clerk was on).
 */
export function RevealDialog({ line, masked, onReveal, onClose }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();

  // showModal(): the browser makes the rest of the page inert, traps Tab and sends Escape as "cancel".
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);

  // Closed before the caller moves focus: an open modal dialog keeps the page behind it inert.
  function finish() {
    ref.current?.close();
    onClose();
  }

  async function submit() {
    if (busy) return;
    if (reason.trim().length < 3) {
      setError('Say why you need to see the full card number (at least 3 characters).');
      return;
    }
    setBusy(true);
    try {
      await onReveal(reason.trim());
      finish();
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  }

  return (
    <dialog
      ref={ref}
      className="reveal-dialog"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-desc`}
      onCancel={(e) => {
        e.preventDefault();
        finish();
      }}
    >
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <h2 id={`${id}-title`}>Reveal the card number on line {line}?</h2>
        <p id={`${id}-desc`}>
          The full number of <code>{masked}</code> is shown for 30 seconds. Who revealed it, when and why is kept in the batch's history.
        </p>
        <label>
          <span>Why do you need to see it?</span>
          <input
            name="reveal-reason"
            autoFocus
            value={reason}
            maxLength={200}
            onChange={(e) => (setReason(e.target.value), setError(null))}
            aria-invalid={error !== null}
            aria-describedby={error ? `${id}-error` : undefined}
          />
        </label>
        <p id={`${id}-error`} className="bad" role="alert">
          {error}
        </p>
        <div className="dialog-actions">
          <button type="button" className="secondary" onClick={finish}>
            Cancel
          </button>
          <button type="submit" aria-disabled={busy}>
            Reveal
          </button>
        </div>
      </form>
    </dialog>
  );
}

import { z } from 'zod';

/** Settings an administrator's policy can set and lock (see electron/main/policy). */
export const UpdateChannelSchema = z.enum(['stable', 'beta']);
export type UpdateChannel = z.infer<typeof UpdateChannelSchema>;

/** One value set by policy: which key, its value as shown to the clerk, and where it came from. */
export const ManagedValueSchema = z.object({
  key: z.string(),
  label: z.string(),
  value: z.string(),
  source: z.string(),
});

/** What the Settings screen shows about the machine's policy (`policy.get`). */
export const PolicyViewSchema = z.object({
  /** Every place a policy was looked for, and what was found there. */
  sources: z.array(
    z.object({
      location: z.string(),
      status: z.enum(['applied', 'invalid', 'partly-invalid', 'absent', 'unreadable']),
    }),
  ),
  /** Problems in a policy, in words an administrator can act on; the safe default applied instead. */
  problems: z.array(z.object({ source: z.string(), message: z.string() })),
  managed: z.array(ManagedValueSchema),
  /** Setting keys the clerk cannot change (a subset of the Settings keys). */
  lockedSettings: z.array(z.string()),
  updates: z.object({ enabled: z.boolean(), channel: UpdateChannelSchema.nullable() }),
  fullCardNumberExport: z.enum(['allowed', 'forbidden']),
  historyRetentionDays: z.number().int().positive().nullable(),
});
export type PolicyView = z.infer<typeof PolicyViewSchema>;

/**
 * The managed policy an administrator ships (JSON file, Windows registry or macOS managed
 * preferences; all three map to this one shape). Each section is validated on its own, so a typo in
 * one section does not throw away the others; see load.ts for what applies when a section is invalid.
 */
import { z } from 'zod';
import { ProfileIdSchema, SettingsSchema, UpdateChannelSchema } from '../../../shared/contract';

/** Registry DWORDs arrive as 0/1; JSON as true/false. Both mean the same. */
const Flag = z.union([z.boolean(), z.literal(0).transform(() => false), z.literal(1).transform(() => true)], {
  message: 'expected true or false (1 or 0 in the registry)',
});

const HttpsUrl = z.url({ protocol: /^https$/, message: 'expected an https:// address' });

/** Names that hold a secret: a policy may name where a secret lives (credentialRef), never hold it. */
export const SECRET_KEY = /(secret|password|passwd|token|api[-_]?key|private[-_]?key|credential$|^cvc$|^cvv)/i;

export const ProviderPresetSchema = z
  .object({
    environment: z.enum(['sandbox', 'production']),
    baseUrl: HttpsUrl,
    merchantId: z.string().trim().min(1).max(64),
    terminalId: z.string().trim().min(1).max(64),
    /** The entry's name in the OS credential store (Windows Credential Manager, macOS Keychain, libsecret). */
    credentialRef: z.string().regex(/^[A-Za-z0-9._:/-]{1,128}$/, { message: 'expected the name of a credential-store entry (letters, digits and . _ : / -)' }),
  })
  .partial()
  .strict();
export type ProviderPreset = z.infer<typeof ProviderPresetSchema>;

export const POLICY_SECTIONS = {
  /** Values forced on the clerk's Settings screen (and locked there). */
  settings: SettingsSchema.omit({ updateChannel: true }).partial().strict(),
  updates: z.object({ enabled: Flag, channel: UpdateChannelSchema, url: HttpsUrl }).partial().strict(),
  exports: z.object({ allowFullCardNumbers: Flag }).partial().strict(),
  history: z
    .object({ retentionDays: z.number().int().min(1, { message: 'expected at least 1 day' }).max(3650, { message: 'expected at most 3650 days' }) })
    .partial()
    .strict(),
  providers: z.partialRecord(ProfileIdSchema, ProviderPresetSchema),
} as const;

export type PolicySectionName = keyof typeof POLICY_SECTIONS;
export const SECTION_NAMES = Object.keys(POLICY_SECTIONS) as PolicySectionName[];
export type PolicyDocument = { [K in PolicySectionName]?: z.output<(typeof POLICY_SECTIONS)[K]> };

/** Labels the Settings screen shows for managed values (never internal field names). */
export const MANAGED_LABELS: Record<string, string> = {
  'settings.defaultProfile': 'Default provider for new batches',
  'settings.wonderCurrency': 'Wonder currency',
  'settings.wonderAmountUnit': 'Wonder amount unit',
  'settings.theme': 'Theme',
  'settings.updateChannel': 'Update channel',
  'updates.enabled': 'Automatic updates',
  'updates.channel': 'Update channel',
  'updates.url': 'Update server',
  'exports.allowFullCardNumbers': 'Export of full card numbers',
  'history.retentionDays': 'History kept for (days)',
};

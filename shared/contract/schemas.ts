import { z } from 'zod';
import { UpdateChannelSchema } from './policy';
import { isCurrencyCode } from '../formats/money';

export const ProfileIdSchema = z.enum(['wonder', 'epay', 'sibs', 'jpmmps']);
export const BatchIdSchema = z.uuid({ message: 'A batch id is a UUID.' });

const BatchName = z
  .string()
  .trim()
  .min(1, { message: 'Give the batch a name.' })
  .max(120, { message: 'A batch name is at most 120 characters.' });

export const BatchSummarySchema = z.object({
  id: BatchIdSchema,
  name: z.string(),
  profile: ProfileIdSchema,
  status: z.enum(['draft', 'ready', 'submitting', 'done']),
  rowCount: z.number().int().nonnegative(),
  createdAt: z.string(),
  updatedAt: z.string(),
  deletedAt: z.string().nullable(),
});
export type BatchSummary = z.infer<typeof BatchSummarySchema>;

export const CreateBatchInput = z.object({ name: BatchName, profile: ProfileIdSchema }).strict();
export const RenameBatchInput = z.object({ id: BatchIdSchema, name: BatchName }).strict();
export const BatchRefInput = z.object({ id: BatchIdSchema }).strict();
export const ListBatchesInput = z.object({ includeDeleted: z.boolean().optional() }).strict();

export const AuditEntrySchema = z.object({
  id: z.number().int(),
  at: z.string(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export const HistoryInput = z
  .object({
    limit: z.number().int().min(1).max(1000).optional(),
    query: z.string().max(200).optional(),
  })
  .strict();

/** An active ISO 4217 currency code (the list with exponents in shared/formats/money), e.g. HKD. */
export const CurrencyCodeSchema = z.string().refine(isCurrencyCode, {
  error: (iss) =>
    typeof iss.input === 'string' && /^[A-Z]{3}$/.test(iss.input)
      ? `"${iss.input}" is not an ISO 4217 currency code. Enter the three-letter code of the currency, e.g. HKD, EUR or USD.`
      : 'A currency is three capital letters (ISO 4217), e.g. HKD.',
});

export const SettingsSchema = z.object({
  defaultProfile: ProfileIdSchema,
  wonderCurrency: CurrencyCodeSchema,
  wonderAmountUnit: z.enum(['major', 'minor']),
  theme: z.enum(['system', 'light', 'dark']),
  /** Which release line the desktop app updates from (a policy can pin it or turn updates off). */
  updateChannel: UpdateChannelSchema,
  /** SIBS export: the terminalId from the SIBS onboarding (Settings › SIBS › Terminal ID). */
  sibsTerminalId: z.string().trim().max(64, { message: 'A SIBS terminal ID is at most 64 characters.' }),
  sibsChannel: z.enum(['web', 'mobile']),
  /** JPMMPS export defaults for rows that leave these empty (Settings › J.P. Morgan Mobility Payments). */
  jpmmpsProgramAccno: z.string().trim().max(64, { message: 'A program account number is at most 64 characters.' }),
  jpmmpsAccno: z.string().trim().max(64, { message: 'An account number is at most 64 characters.' }),
  jpmmpsAccnoType: z.string().trim().max(8, { message: 'An account type is at most 8 characters, e.g. 00.' }),
});
export type Settings = z.infer<typeof SettingsSchema>;
export const SettingsPatchSchema = SettingsSchema.partial().strict();

export const AppInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  mode: z.enum(['electron', 'web']),
  dataDir: z.string(),
  schemaVersion: z.number().int(),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

export const Empty = z.object({}).strict();

export const IssueSchema = z.object({
  row: z.number().int().nullable(),
  column: z.string().nullable(),
  severity: z.enum(['error', 'warning']),
  code: z.string(),
  message: z.string(),
  fix: z.string().optional(),
});

export const CheckFileInput = z
  .object({
    path: z.string().trim().min(1, { message: "Enter the file's full path (or choose it)." }).max(4096),
    profile: ProfileIdSchema,
    sheet: z.string().trim().min(1).max(31).optional(),
  })
  .strict();

/** What checking a file found. `issues` holds the first ISSUE_LIMIT findings; `moreIssues` counts the rest. */
export const CheckFileResultSchema = z.object({
  taskId: z.string(),
  path: z.string(),
  profile: ProfileIdSchema,
  rows: z.number().int().nonnegative(),
  errors: z.number().int().nonnegative(),
  warnings: z.number().int().nonnegative(),
  issues: z.array(IssueSchema),
  moreIssues: z.number().int().nonnegative(),
  /** Exact count of findings per rule, listed or not, most frequent first (a rule's first message as its example). */
  byRule: z.array(z.object({ code: z.string(), severity: z.enum(['error', 'warning']), count: z.number().int().positive(), example: z.string() })),
  unknownColumns: z.array(z.string()),
  source: z.object({
    kind: z.enum(['csv', 'xlsx']),
    encoding: z.string().optional(),
    delimiter: z.string().optional(),
    decimalComma: z.boolean().optional(),
    sheet: z.string().optional(),
    sheets: z.array(z.string()).optional(),
  }),
  ms: z.number().nonnegative(),
});
export type CheckFileResult = z.infer<typeof CheckFileResultSchema>;

export const ChooseFileResultSchema = z.object({ path: z.string().nullable() });

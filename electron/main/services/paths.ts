/**
 * Where data lives. Electron passes app.getPath('userData'); other entry points (web mode, CLI,
 * tests) use BATCHDESK_HOME when set, else the same folder Electron would use for "Batchdesk".
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_NAME = 'Batchdesk';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.BATCHDESK_HOME) return env.BATCHDESK_HOME;
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_NAME);
}

export function databaseFile(dataDir: string): string {
  return join(dataDir, 'batchdesk.sqlite');
}

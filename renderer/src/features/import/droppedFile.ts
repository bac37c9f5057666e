/**
 * A file dropped onto the window, as import.preview wants it: in the desktop app its path on disk
 * (the preload's `batchdeskFiles.pathForFile`, Electron's webUtils.getPathForFile: a dropped File
 * carries no path any more), in web mode uploaded to the host.
 */
import type { FileRef } from '../../../../shared/contract';
import { uploadFile } from '../../bridge';

declare global {
  interface Window {
    batchdeskFiles?: { pathForFile(file: File): string };
  }
}

export async function fileRefFor(file: File): Promise<FileRef> {
  const path = window.batchdeskFiles?.pathForFile(file);
  if (path) return { kind: 'path', path };
  return (await uploadFile(file)).file;
}

/** The first file of a drag, or null when the drag holds no file (text, a link). */
export function draggedFile(dt: DataTransfer | null): File | null {
  return dt?.files?.[0] ?? null;
}

export function dragHasFiles(dt: DataTransfer | null): boolean {
  return !!dt && Array.from(dt.types).includes('Files');
}

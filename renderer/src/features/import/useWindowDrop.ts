import { useEffect, useRef, useState } from 'react';
import { dragHasFiles, draggedFile } from './droppedFile';

/**
 * A file dragged anywhere onto the window is taken for import (the browser would otherwise open it
 * in place of the app). The import wizard's own drop zone stops its drops from reaching here.
 * Returns whether a file is being dragged over the window, for the drop hint.
 */
export function useWindowDrop(onFile: (file: File) => void): boolean {
  const [over, setOver] = useState(false);
  const depth = useRef(0);
  const handler = useRef(onFile);
  useEffect(() => {
    handler.current = onFile;
  });

  useEffect(() => {
    const enter = (e: DragEvent) => {
      if (!dragHasFiles(e.dataTransfer)) return;
      depth.current++;
      setOver(true);
    };
    const leave = (e: DragEvent) => {
      if (!dragHasFiles(e.dataTransfer)) return;
      depth.current = Math.max(0, depth.current - 1);
      if (depth.current === 0) setOver(false);
    };
    const overWindow = (e: DragEvent) => {
      if (!dragHasFiles(e.dataTransfer)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    // capture: the hint goes away even when the wizard's own drop zone stops the event
    const ended = () => {
      depth.current = 0;
      setOver(false);
    };
    const drop = (e: DragEvent) => {
      if (!dragHasFiles(e.dataTransfer)) return;
      e.preventDefault();
      const f = draggedFile(e.dataTransfer);
      if (f) handler.current(f);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragleave', leave);
    window.addEventListener('dragover', overWindow);
    window.addEventListener('drop', ended, true);
    window.addEventListener('dragend', ended, true);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('drop', ended, true);
      window.removeEventListener('dragend', ended, true);
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('dragover', overWindow);
      window.removeEventListener('drop', drop);
    };
  }, []);
  return over;
}

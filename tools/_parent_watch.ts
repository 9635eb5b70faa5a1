/**
 * Notices when the process that started this one dies (a terminal killed, a
 * CI runner's step cancelled with SIGKILL): no signal arrives then, but the
 * process is handed to another parent. Tasks that start processes stop them
 * when it happens, as on SIGTERM.
 *
 * @module
 */

/** Calls `onDeath` once, when this process's parent changes. */
export function watchParent(
  onDeath: () => void,
  intervalMs = 500,
): () => void {
  const parent = Deno.ppid;
  const timer = setInterval(() => {
    if (Deno.ppid === parent) return;
    clearInterval(timer);
    onDeath();
  }, intervalMs);
  // Watching alone does not keep the task running.
  Deno.unrefTimer(timer);
  return () => clearInterval(timer);
}

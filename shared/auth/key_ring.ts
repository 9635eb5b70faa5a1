/**
 * The live key set: reloaded when the files in `SECRETS_DIR` change, with no
 * restart. Kubernetes updates a mounted Secret by swapping a `..data`
 * symlink, which a plain file watch misses; the ring compares the files'
 * contents on a short interval instead, which sees every kind of update.
 *
 * @module
 */

import type { Logger } from "../log/log.ts";
import {
  type KeySet,
  keySetFromFiles,
  type LoadKeySetOptions,
  readKeyFiles,
} from "./key_set.ts";

/** Options of {@linkcode KeyRing.open}. */
export interface KeyRingOptions extends LoadKeySetOptions {
  /** Where reloads and refused files are reported. */
  logger: Logger;
  /** How often to look at the files; 500 ms by default. */
  intervalMs?: number;
}

/** The current key set, kept up to date with the secrets folder. */
export class KeyRing {
  #current: KeySet;
  #seen: string;
  #timer: ReturnType<typeof setInterval> | undefined;
  readonly #options: KeyRingOptions;

  private constructor(keySet: KeySet, seen: string, options: KeyRingOptions) {
    this.#current = keySet;
    this.#seen = seen;
    this.#options = options;
  }

  /**
   * Loads the keys, failing like `loadKeySet` when they are missing or refused.
   *
   * @param options The folder, environment, signing role, logger and interval.
   * @returns The ring, not yet watching; call `start()`.
   * @throws {KeyError} When the keys cannot be used.
   * @example Usage
   * ```ts
   * import { KeyRing } from "@thoughts/shared/auth";
   * import { dirSecretReader } from "@thoughts/shared/config";
   * import { memoryLogger } from "@thoughts/shared/log";
   *
   * const reader = dirSecretReader("testing/testdata/keys");
   * const { logger } = memoryLogger();
   * const ring = await KeyRing.open({ reader, appEnv: "test", signs: true, logger });
   * ring.current().signer !== undefined; // true
   * await ring.refresh(); // false: the files did not change
   * ```
   */
  static async open(options: KeyRingOptions): Promise<KeyRing> {
    const files = await readKeyFiles(options.reader, options.signs);
    return new KeyRing(
      await keySetFromFiles(files, options),
      fingerprint(files),
      options,
    );
  }

  /** The key set in force now. */
  current(): KeySet {
    return this.#current;
  }

  /**
   * Looks at the files once and reloads when they changed. A file that
   * cannot be read or parsed, or keys refused, leave the last good set in
   * force with a warning.
   *
   * @returns Whether a new key set took effect.
   */
  async refresh(): Promise<boolean> {
    const { logger } = this.#options;
    let files: Map<string, string>;
    try {
      files = await readKeyFiles(this.#options.reader, this.#options.signs);
    } catch (error) {
      logger("warn", "Cannot read the key files; keeping the current keys", {
        error: (error as Error).name,
      });
      return false;
    }
    const seen = fingerprint(files);
    if (seen === this.#seen) return false;
    this.#seen = seen;
    try {
      this.#current = await keySetFromFiles(files, this.#options);
    } catch (error) {
      logger("warn", "New key files refused; keeping the current keys", {
        error: (error as Error).message,
      });
      return false;
    }
    logger("info", "Keys reloaded", {
      kids: [...this.#current.verifiers.keys()].sort(),
      signingKid: this.#current.signer?.kid,
    });
    return true;
  }

  /** Starts looking at the files on the interval. */
  start(): void {
    if (this.#timer !== undefined) return;
    let busy = false;
    const timer = setInterval(async () => {
      if (busy) return;
      busy = true;
      await this.refresh().finally(() => busy = false);
    }, this.#options.intervalMs ?? 500);
    // The watch alone must not keep a process alive.
    Deno.unrefTimer(timer);
    this.#timer = timer;
  }

  /** Stops looking. */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}

function fingerprint(files: ReadonlyMap<string, string>): string {
  return JSON.stringify(
    [...files.entries()].sort(([a], [b]) => a.localeCompare(b)),
  );
}

/**
 * Opens the key ring of a service and starts watching the folder.
 *
 * @param options The folder, environment, signing role and logger.
 * @returns The running ring; call `stop()` to stop watching.
 * @throws {KeyError} When the keys cannot be used.
 * @example Usage
 * ```ts
 * import { startKeyRing } from "@thoughts/shared/auth";
 * import { dirSecretReader } from "@thoughts/shared/config";
 * import { memoryLogger } from "@thoughts/shared/log";
 *
 * const ring = await startKeyRing({ reader: dirSecretReader("testing/testdata/keys"), appEnv: "test", signs: false, logger: memoryLogger().logger });
 * ring.current().verifiers.size; // 1
 * ring.stop();
 * ```
 */
export async function startKeyRing(options: KeyRingOptions): Promise<KeyRing> {
  const ring = await KeyRing.open(options);
  ring.start();
  return ring;
}

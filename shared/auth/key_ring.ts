/**
 * The live key set: reloaded when the files in `SECRETS_DIR` change, with no
 * restart. Kubernetes updates a mounted Secret by swapping a `..data`
 * symlink, which a plain file watch misses; the ring compares the files'
 * contents on a short interval instead, which sees every kind of update.
 *
 * @module
 */

import { clearInterval, setInterval } from "node:timers";
import type { Logger } from "../log/log.ts";
import {
  keyId,
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
  /** The files as last read, to notice any change. */
  #seen: string;
  /** The files the current set was built from. */
  #used: string;
  /** The last content of each `*.pub` file that parsed. */
  readonly #good: Map<string, string>;
  #timer: ReturnType<typeof setInterval> | undefined;
  readonly #options: KeyRingOptions;

  private constructor(
    keySet: KeySet,
    files: ReadonlyMap<string, string>,
    options: KeyRingOptions,
  ) {
    this.#current = keySet;
    this.#seen = this.#used = fingerprint(files);
    this.#good = new Map([...files].filter(([name]) => name.endsWith(".pub")));
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
    return new KeyRing(await keySetFromFiles(files, options), files, options);
  }

  /** The key set in force now. */
  current(): KeySet {
    return this.#current;
  }

  /**
   * Looks at the files once and reloads when they changed. Each `*.pub` is
   * judged on its own: one that does not parse is skipped with a warning, or
   * stands at its last good version while it is still there; a removed file's
   * key is dropped. A folder that cannot be read, or a set refused as a whole
   * (no key, or a signing key whose public half is not published), leaves
   * the current set in force with a warning.
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
    const usable = await this.#usable(files);
    const used = fingerprint(usable);
    if (used === this.#used) return false;
    try {
      this.#current = await keySetFromFiles(usable, this.#options);
      this.#used = used;
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

  // The files to build the set from: each public key that parses, or its
  // last good version while the file is still there.
  async #usable(
    files: ReadonlyMap<string, string>,
  ): Promise<Map<string, string>> {
    for (const name of this.#good.keys()) {
      if (!files.has(name)) this.#good.delete(name);
    }
    const usable = new Map<string, string>();
    for (const [name, text] of files) {
      if (!name.endsWith(".pub")) {
        usable.set(name, text);
        continue;
      }
      const problem = await keyId(text).then(
        () => undefined,
        (error) => error instanceof RangeError ? ` (${error.message})` : "",
      );
      if (problem === undefined) this.#good.set(name, text);
      const last = this.#good.get(name);
      if (last !== undefined) usable.set(name, last);
      if (problem !== undefined) {
        this.#options.logger("warn", "Key file skipped", {
          error: `Cannot read public key file: '${name}'${problem}; ${
            last === undefined ? "skipped" : "keeping its last good version"
          }`,
        });
      }
    }
    return usable;
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
    timer.unref();
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

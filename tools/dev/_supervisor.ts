/**
 * Runs the services as child processes: started in order, each waited for
 * until ready, output prefixed with its name, stopped together.
 *
 * @module
 */

/** One child service. */
export interface Child {
  name: string;
  url: string;
  process: Deno.ChildProcess;
  status: Promise<Deno.CommandStatus>;
}

/** Spawns and stops the children. */
export class Supervisor {
  readonly children: Child[] = [];
  #stopping = false;
  #crashed: ((child: Child, status: Deno.CommandStatus) => void) | undefined;

  /** @param print Writes one line of output. */
  constructor(private readonly print: (line: string) => void = console.log) {}

  /** Registers what to do when a child exits while nothing asked it to. */
  onCrash(handler: (child: Child, status: Deno.CommandStatus) => void): void {
    this.#crashed = handler;
  }

  /**
   * Starts a service and waits until its `/readyz` answers 200.
   *
   * @throws {Error} When it exits or does not get ready in time.
   */
  async start(
    name: string,
    command: { program: string; args: string[] },
    env: Record<string, string>,
    url: string,
    timeoutMs = 120_000,
  ): Promise<Child> {
    const process = new Deno.Command(command.program, {
      args: command.args,
      env,
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const pad = name.padEnd(8);
    const pipe = async (stream: ReadableStream<Uint8Array>) => {
      let rest = "";
      for await (const text of stream.pipeThrough(new TextDecoderStream())) {
        const lines = (rest + text).split("\n");
        rest = lines.pop() ?? "";
        for (const line of lines) this.print(`${pad}| ${line}`);
      }
      if (rest) this.print(`${pad}| ${rest}`);
    };
    const piped = Promise.all([pipe(process.stdout), pipe(process.stderr)]);
    const status = process.status.then(async (s) => (await piped, s));
    const child = { name, url, process, status };
    this.children.push(child);
    let exited = false;
    status.then((s) => {
      exited = true;
      if (!this.#stopping && s.code !== 0) this.#crashed?.(child, s);
    });
    const deadline = Date.now() + timeoutMs;
    while (
      !(await fetch(`${url}/readyz`).then(
        (r) => (r.body?.cancel(), r.ok),
        () => false,
      ))
    ) {
      if (exited) throw new Error(`${name} exited before it was ready`);
      if (Date.now() > deadline) {
        throw new Error(`${name} not ready after ${timeoutMs} ms`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    return child;
  }

  /** Stops every child with SIGTERM, newest first, and waits for each. */
  async stopAll(): Promise<Record<string, number>> {
    this.#stopping = true;
    const codes: Record<string, number> = {};
    for (const child of [...this.children].reverse()) {
      try {
        child.process.kill("SIGTERM");
      } catch { /* already gone */ }
      codes[child.name] = (await child.status).code;
    }
    return codes;
  }
}

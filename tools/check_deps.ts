/**
 * `deno task check-deps`: the frontend's check of its backends' minimum
 * versions, alone. Exits 0 when every backend holds its minimum, 1 otherwise.
 *
 * @module
 */

import { runMain } from "@thoughts/shared/service";
import { checkDeps } from "@thoughts/frontend/check_deps";
import { parseCli } from "./cli.ts";

if (import.meta.main) {
  // No options: the backends come from the environment, as in the frontend.
  parseCli({
    task: "check-deps",
    synopsis: "",
    summary:
      "Checks that the backends at THOUGHTS_BACKEND_URL and USER_BACKEND_URL run at least\nthe versions the frontend requires, retrying for DEPENDENCY_TIMEOUT_SECONDS.",
    options: [],
    example:
      "THOUGHTS_BACKEND_URL=http://127.0.0.1:8001 USER_BACKEND_URL=http://127.0.0.1:8002 deno task check-deps",
  }, { args: Deno.args, options: {} });
  await runMain("check-deps", () => checkDeps());
}

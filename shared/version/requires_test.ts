import { assertEquals, assertThrows } from "@thoughts/testing";
import {
  dependencyService,
  groupReplicas,
  parseRequires,
  parseVersionAnswer,
  VersionError,
} from "./mod.ts";

Deno.test("parseRequires() takes '<service>_backend' names with versions, and names what is wrong", () => {
  assertEquals(parseRequires(undefined, "users/deno.json"), {});
  assertEquals(
    parseRequires({ users_backend: "v2.3-4-gabc1234" }, "thoughts/deno.json"),
    { users_backend: "v2.3-4-gabc1234" },
  );
  assertThrows(
    () => parseRequires({ billing: "v1.0" }, "thoughts/deno.json"),
    VersionError,
    "The 'requires' of 'thoughts/deno.json' names 'billing', which is not '<service>_backend'",
  );
  assertThrows(
    () => parseRequires({ users_backend: "soon" }, "x"),
    VersionError,
    "Cannot parse version: 'soon'",
  );
  assertThrows(() => parseRequires(["v1"], "x"), VersionError, "not an object");
  assertEquals(dependencyService("thoughts_backend"), "thoughts");
  assertThrows(() => dependencyService("thoughts"), VersionError);
});

Deno.test("an answer without an instance is known by the address asked; replicas are grouped by version, each once", () => {
  const answer = (version: string, instance?: string) =>
    parseVersionAnswer({ version, commit: "c", instance }, "10.0.0.5:8000");
  assertEquals(answer("v1.6").instance, "10.0.0.5:8000");
  assertThrows(
    () => parseVersionAnswer({ commit: "c" }, "x"),
    VersionError,
    "The answer gives no version",
  );
  const groups = groupReplicas([
    answer("v1.10", "t-2"),
    answer("v1.9", "t-1"),
    answer("v1.10", "t-0"),
    answer("v1.10", "t-2"),
  ]);
  assertEquals(
    groups.map((g) => [g.version, g.instances]),
    [["v1.9", ["t-1"]], ["v1.10", ["t-0", "t-2"]]],
  );
});

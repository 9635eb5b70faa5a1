// The schema validator's format checks (ajv-formats-draft2019, under
// kubernetes-models) load Node's `punycode`, which prints a deprecation
// warning a user of k8s:check can do nothing about. Imported first, so it
// runs before they load; the tool itself uses no deprecated Node API.
import process from "node:process";

// Node reads it; its types leave it out.
Object.assign(process, { noDeprecation: true });

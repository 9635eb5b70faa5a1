/**
 * The users API's schemas: they validate requests and document the API.
 *
 * @module
 */

import { z } from "@hono/zod-openapi";
import { plainText } from "@thoughts/shared/http";
import { singleScript } from "./username.ts";

/**
 * A new account. Names: trimmed, in NFKC, 1–50 letters, digits, `.`, `_` or
 * `-`, from one script; unique whatever their case.
 */
export const CreateUserBody = z.object({
  username: z.string().trim().normalize("NFKC").min(1).max(50)
    .regex(
      /^[\p{L}\p{N}._-]+$/u,
      "Only letters, digits, '.', '_' and '-' are allowed",
    )
    .refine(
      singleScript,
      "Letters from different scripts are not allowed together (look-alike names)",
    )
    .openapi({ example: "ada" }),
  password: z.string().min(8).max(1024).openapi({
    example: "correct horse battery",
  }),
}).openapi("CreateUser");

/** Login credentials. */
export const LoginBody = z.object({
  username: plainText().trim().normalize("NFKC").min(1).max(50).openapi({
    example: "ada",
  }),
  password: z.string().min(1).max(1024).openapi({
    example: "correct horse battery",
  }),
}).openapi("Login");

/** An account as the API shows it. */
export const UserSchema = z.object({
  id: z.number().int().openapi({ example: 1 }),
  username: z.string().openapi({ example: "ada" }),
  creation: z.string().openapi({
    format: "date-time",
    example: "2026-11-25T12:00:00.000Z",
  }),
}).openapi("User");

/** A successful login. */
export const LoginResponse = z.object({
  Authorized: z.string().regex(/^Bearer /).openapi({
    example: "Bearer eyJhbGciOiJSUzI1NiIs…",
  }),
}).openapi("LoginResponse");

/** The public keys as a JWK Set. */
export const JwksSchema = z.object({
  keys: z.array(
    z.object({
      kty: z.literal("RSA"),
      kid: z.string(),
      n: z.string(),
      e: z.string(),
    }).passthrough(),
  ),
}).openapi("Jwks");

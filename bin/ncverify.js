#!/usr/bin/env node
// Entry point: registers tsx so that the TypeScript sources (and user theories written in
// TypeScript, for `ncverify verify --theory my-theory.ts`) load without a build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));

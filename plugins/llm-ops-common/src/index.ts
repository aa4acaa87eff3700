/**
 * Isomorphic types, schemas, spec validators, converters and permissions
 * shared by the LLM Ops portal's frontend, backend, scaffolder and CLI.
 *
 * @packageDocumentation
 */

export * from './schema/openapi';
export * from './client';
export * from './types';
export * from './toolData';
export * from './mlflowTags';
export * from './modelVersions';
export * from './lifecycle';
export * from './kinds';
export * from './permissions';
export * from './specs';
export * from './converters';

/**
 * Extension points and tool adapter interfaces for the LLM Ops backend.
 *
 * @packageDocumentation
 */

export * from './types';
export * from './extensions';
export * from './adapters';
export * from './health';
export * from './catalogSync';
export * from './tools';
